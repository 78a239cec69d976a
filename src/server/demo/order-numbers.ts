import type { Platform } from '../../shared/domain';
import type { SeededRandom } from './random';
import { iso } from './time';

export interface OrderIdentity {
  id: string;
  platformOrderId: string;
  displayNumber: string;
}

/** Per-platform order number sequences: numbers grow with time, as in a real shop. */
export class OrderNumbers {
  private shopify = 100_000;
  private woocommerce = 200_000;
  private demo = 0;
  private afterSales = 0;

  /** The next order's internal id, platform id and the number customers see. */
  next(platform: Platform, createdAtMs: number, random: SeededRandom): OrderIdentity {
    switch (platform) {
      case 'shopify': {
        this.shopify += 1;
        // Shopify order ids are large numbers unrelated to the visible order number.
        const platformOrderId = String(5_400_000_000_000 + this.shopify * 10_000 + random.int(0, 9_999));
        return { id: `ord_sh_${platformOrderId}`, platformOrderId, displayNumber: `SH-${this.shopify}` };
      }
      case 'woocommerce': {
        this.woocommerce += 1;
        const platformOrderId = String(this.woocommerce);
        return { id: `ord_wc_${platformOrderId}`, platformOrderId, displayNumber: `WC-${this.woocommerce}` };
      }
      case 'demo': {
        this.demo += 1;
        const month = iso(createdAtMs).slice(2, 7).replace('-', '');
        const sequence = String(this.demo).padStart(6, '0');
        return {
          id: `ord_ad_${month}${sequence}`,
          platformOrderId: `AD${month}${sequence}`,
          displayNumber: `AD-${month}-${sequence}`,
        };
      }
    }
  }

  nextAfterSales(): number {
    this.afterSales += 1;
    return this.afterSales;
  }
}
