import type { Order } from '../../shared/domain';
import type { CurrentPrices } from '../../shared/rules/refund-quote';
import type { OrderAction } from '../../shared/rules/types';

/** What the platform reported back for one action. */
export interface PlatformOutcome {
  /**
   * For actions that give money back (refund, cancel of a paid order): 'settled' once the
   * payment provider has paid out, 'pending' while it is still processing (the order then
   * shows "refunding" until the platform's refund webhook arrives).
   */
  refund?: 'settled' | 'pending';
  /** The platform's return authorisation number, if it issues its own. */
  rma?: string;
}

/**
 * The calls an agent action makes on the shop platform that owns the order, after the gateway
 * has checked the rules and before it records the change. The demo platform needs none; a
 * deployment implements this for each platform it connects, for example:
 * - refund: Shopify Admin API `POST /orders/{id}/refunds.json` (after `refunds/calculate`);
 *   WooCommerce `POST /wp-json/wc/v3/orders/{id}/refunds` with `api_refund: true`, so that the
 *   payment gateway really pays out;
 * - cancel: Shopify `POST /orders/{id}/cancel.json` (with `refund`); WooCommerce
 *   `PUT /orders/{id}` with `status: cancelled` and a refund as above;
 * - address_change: Shopify `PUT /orders/{id}.json` with `shipping_address`; WooCommerce
 *   `PUT /orders/{id}` with `shipping`;
 * - return / exchange: Shopify `returnCreate` (GraphQL Admin API); WooCommerce has no core
 *   returns API: a returns plugin, or an order note;
 * - note: Shopify order `note`; WooCommerce `POST /orders/{id}/notes`.
 * `requestId` is stable across retries of one agent action: pass it to the platform as its
 * idempotency key where one exists, so that an action retried after a crash pays out once.
 * Throw DeskError('GATEWAY_UNAVAILABLE') when the platform cannot be reached: nothing is
 * recorded, and the agent's retry with the same idempotency key tries again.
 */
export interface PlatformActions {
  perform(order: Order, action: OrderAction, requestId: string): Promise<PlatformOutcome>;
  /** Today's prices of the order's items, for price protection; missing skus are unknown. */
  currentPrices(order: Order): Promise<CurrentPrices>;
}

/** The demo platform: the gateway's store is the shop, so every call simply succeeds. */
export class DemoPlatformActions implements PlatformActions {
  async perform(_order: Order, action: OrderAction): Promise<PlatformOutcome> {
    return action.type === 'refund' || action.type === 'cancel' ? { refund: 'settled' } : {};
  }

  /** Demo prices never change, so there is never a price drop to protect. */
  async currentPrices(): Promise<CurrentPrices> {
    return {};
  }
}
