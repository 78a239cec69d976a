import type { OrderStatus, PaymentStatus, Shipment, ShipmentStatus } from '../../../shared/domain';
import type { ShopifyOrder } from './shopify-payloads';

/** financial_status -> payment status. Voided or expired authorisations never collected money. */
export const SHOPIFY_PAYMENT_STATUSES: Readonly<Record<string, PaymentStatus>> = {
  pending: 'pending',
  partially_paid: 'pending',
  authorized: 'authorized',
  paid: 'paid',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
  voided: 'failed',
  expired: 'failed',
};

/** A fulfillment's shipment_status (carrier tracking) -> shipment status; none yet = label created. */
export const SHOPIFY_SHIPMENT_STATUSES: Readonly<Record<string, ShipmentStatus>> = {
  label_printed: 'label_created',
  label_purchased: 'label_created',
  confirmed: 'label_created',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  // Waiting at a pickup point: the last leg, as far as the customer is concerned.
  ready_for_pickup: 'out_for_delivery',
  attempted_delivery: 'exception',
  failure: 'exception',
  delivered: 'delivered',
};

/** Fulfillment statuses whose shipment never left (or was withdrawn): not shown as shipments. */
export const SHOPIFY_VOID_FULFILLMENT_STATUSES: ReadonlySet<string> = new Set([
  'cancelled',
  'error',
  'failure',
]);

/**
 * The lifecycle status of a Shopify order. Shopify splits it over cancelled_at, financial_status
 * and fulfillment_status; the first matching row wins:
 *
 * | Shopify                                           | status          |
 * |---------------------------------------------------|-----------------|
 * | cancelled_at set, or financial voided / expired   | cancelled       |
 * | financial refunded                                | refunded        |
 * | fulfilled, every shipment delivered               | delivered       |
 * | fulfilled                                         | shipped         |
 * |   (either of the two above with closed_at set)    | completed       |
 * | fulfillment partial                               | fulfilling      |
 * | financial authorized / paid / partially_refunded  | paid            |
 * | financial pending / partially_paid / missing      | pending_payment |
 *
 * Fulfilment is checked before an unpaid financial status: a cash-on-delivery order is pending
 * payment and shipped, and "shipped" is what the caller is asking about.
 */
export function shopifyOrderStatus(order: ShopifyOrder, shipments: readonly Shipment[]): OrderStatus {
  const financial = order.financial_status ?? '';
  if (order.cancelled_at || financial === 'voided' || financial === 'expired') return 'cancelled';
  if (financial === 'refunded') return 'refunded';
  if (order.fulfillment_status === 'fulfilled') {
    if (order.closed_at) return 'completed';
    const delivered = shipments.length > 0 && shipments.every((shipment) => shipment.status === 'delivered');
    return delivered ? 'delivered' : 'shipped';
  }
  if (order.fulfillment_status === 'partial') return 'fulfilling';
  const payment = SHOPIFY_PAYMENT_STATUSES[financial];
  return payment === 'authorized' || payment === 'paid' || payment === 'partially_refunded'
    ? 'paid'
    : 'pending_payment';
}
