import type { Order } from '../../shared/domain';
import type { ReplacementOption } from '../../shared/protocol';
import { productOf, variantOptions } from '../demo/catalog-variants';

/**
 * What an exchanged item may be replaced with: the same product's variants at the same price.
 * The desk offers exactly these and the exchange rule refuses anything else, so an exchange can
 * only ask the shop for something it sells. A deployment passes its own to
 * `startGateway({ replacementCatalog })`, typically answered from the shop's products: Shopify's
 * product variants (Admin API `GET /products/{id}/variants.json`), WooCommerce's
 * `GET /wp-json/wc/v3/products/{id}/variations`.
 */
export interface ReplacementCatalog {
  /**
   * `order` is the stored order, unmasked (the catalogue runs inside the gateway). Empty when
   * the order has no item with that SKU. Throw DeskError('GATEWAY_UNAVAILABLE') when the shop
   * cannot be reached: the agent sees that, not an empty list.
   */
  optionsFor(order: Order, sku: string): Promise<ReplacementOption[]>;
}

/**
 * The reference gateway's catalogue: an item whose SKU the catalogue knows (the demo
 * catalogue, whatever platform the order came from) gets that product's variants; any other
 * gets a like-for-like replacement of the very SKU ordered, since the gateway keeps no copy of
 * the shop's product catalogue.
 */
export class DefaultReplacementCatalog implements ReplacementCatalog {
  async optionsFor(order: Order, sku: string): Promise<ReplacementOption[]> {
    const item = order.items.find((candidate) => candidate.sku === sku);
    if (!item) return [];
    const same: ReplacementOption = { sku, title: item.title, option: '', sameAsOrdered: true };
    const known = productOf(sku);
    if (!known) return [same];
    const { product } = known;
    // The order's language: demo items carry the Chinese or the English title.
    const chinese = item.title === product.titleZh;
    const label = (option: { zh: string; en: string }) => (chinese ? option.zh : option.en);
    const variants = variantOptions(product)
      .map((option) => ({ sku: `${product.sku}-${option.code}`, option }))
      .filter((variant) => variant.sku !== sku)
      .map(({ sku: variantSku, option }) => ({
        sku: variantSku,
        title: item.title,
        option: label(option),
        sameAsOrdered: false,
      }));
    // A variant ordered can also go back to the product's default SKU.
    const base: ReplacementOption[] =
      known.option !== null
        ? [
            {
              sku: product.sku,
              title: item.title,
              option: chinese ? '默认款' : 'Standard',
              sameAsOrdered: false,
            },
          ]
        : [];
    return [same, ...base, ...variants];
  }
}
