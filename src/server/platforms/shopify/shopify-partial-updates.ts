import type { Order, OrderStatus } from '../../../shared/domain';
import { mergeById, mergeShipment } from '../merge-platform-order';
import { withStatusEntry } from '../order-timeline';
import { SHOPIFY_ACTOR, toShopifyRefundCase, toShopifyShipment } from './map-shopify-order';
import type { ShopifyFulfillment, ShopifyRefund } from './shopify-payloads';

/** Statuses a shipment can move an order between; a cancelled or refunded order stays so. */
const SHIPPING_STATUSES: ReadonlySet<OrderStatus> = new Set(['paid', 'fulfilling', 'shipped', 'delivered']);

/**
 * A refunds/create webhook applied to the stored order: the refund becomes (or replaces) its
 * refund case, and once Shopify's refunds cover the total the order and payment are refunded.
 */
export function applyShopifyRefund(order: Order, refund: ShopifyRefund): Order {
  const refundCase = toShopifyRefundCase(refund, order.payment.amount.currency);
  const afterSales = mergeById(order.afterSales, [refundCase], (_, incoming) => incoming);
  const refunded = afterSales
    .filter((entry) => entry.id.startsWith('ref_sh_') && entry.status === 'completed')
    .reduce((sum, entry) => sum + (entry.amount?.amount ?? 0), 0);
  if (refunded === 0) return { ...order, afterSales };
  const fully = refunded >= order.payment.amount.amount;
  const status = fully ? 'refunded' : order.status;
  return {
    ...order,
    afterSales,
    status,
    payment: { ...order.payment, status: fully ? 'refunded' : 'partially_refunded' },
    timeline: withStatusEntry(order.timeline, status, refundCase.createdAt, SHOPIFY_ACTOR),
  };
}

/**
 * A fulfillments/create or /update webhook applied to the stored order: the shipment is added or
 * its tracking state appended to its events; a cancelled fulfillment's shipment is removed.
 */
export function applyShopifyFulfillment(order: Order, fulfillment: ShopifyFulfillment): Order {
  const shipment = toShopifyShipment(fulfillment);
  const shipments = shipment
    ? mergeById(order.shipments, [shipment], mergeShipment)
    : order.shipments.filter((entry) => entry.id !== `ful_sh_${fulfillment.id}`);
  if (!SHIPPING_STATUSES.has(order.status) || shipments.length === 0) return { ...order, shipments };
  const delivered = shipments.every((entry) => entry.status === 'delivered');
  const status: OrderStatus = delivered ? 'delivered' : 'shipped';
  const at = shipment?.events.at(-1)?.at ?? order.updatedAt;
  return {
    ...order,
    shipments,
    status,
    timeline: withStatusEntry(order.timeline, status, at, SHOPIFY_ACTOR),
  };
}
