import type { Order, OrderStatus, Shipment } from '../domain';
import { DAY_MS } from './policy';

/** Facts about an order that several rules read, derived from the order alone. */

/** Statuses after which nothing more can happen to the goods or the money. */
const FINISHED_STATUSES: readonly OrderStatus[] = ['cancelled', 'closed', 'refunded'];

export function isFinished(order: Order): boolean {
  return FINISHED_STATUSES.includes(order.status);
}

/** Money was captured (and not all of it given back). */
export function isPaid(order: Order): boolean {
  return order.payment.status === 'paid' || order.payment.status === 'partially_refunded';
}

/**
 * When the goods arrived: the last 'delivered' status entry, else the last 'delivered'
 * tracking event (platforms that only report tracking). Null if not delivered.
 */
export function deliveredAt(order: Order): Date | null {
  const fromTimeline = order.timeline
    .filter((entry) => entry.status === 'delivered')
    .map((entry) => entry.at);
  const fromTracking = order.shipments.flatMap((shipment) =>
    shipment.events.filter((event) => event.status === 'delivered').map((event) => event.at),
  );
  const times = (fromTimeline.length > 0 ? fromTimeline : fromTracking).map((at) => Date.parse(at));
  return times.length === 0 ? null : new Date(Math.max(...times));
}

export type ShippingStage = 'not_shipped' | 'label_printed' | 'in_transit' | 'delivered';

/**
 * How far the goods have gone, with the shipment that got furthest. A label means the
 * warehouse may already have packed the parcel: the address can no longer simply change.
 */
export function shippingStage(order: Order): { stage: ShippingStage; shipment: Shipment | null } {
  if (order.status === 'delivered' || order.status === 'completed' || deliveredAt(order) !== null) {
    return { stage: 'delivered', shipment: order.shipments.at(-1) ?? null };
  }
  const moving = order.shipments.find((shipment) => shipment.status !== 'label_created');
  if (moving) return { stage: 'in_transit', shipment: moving };
  const labelled = order.shipments[0];
  if (labelled) return { stage: 'label_printed', shipment: labelled };
  return { stage: order.status === 'shipped' ? 'in_transit' : 'not_shipped', shipment: null };
}

/** After-sales cases that gave (or will give) money or goods back: not rejected or cancelled. */
function liveCases(order: Pick<Order, 'afterSales'>) {
  return order.afterSales.filter((c) => c.status !== 'rejected' && c.status !== 'cancelled');
}

/**
 * Money refunded or committed to refunds (open returns included, so that a return in transit
 * and a refund of the same goods cannot both be paid). A payment marked refunded counts whole.
 */
export function refundedAmount(
  order: { payment: Pick<Order['payment'], 'amount' | 'status'> } & Pick<Order, 'afterSales'>,
): number {
  const paid = order.payment.amount;
  const committed = liveCases(order)
    .filter((c) => c.kind !== 'exchange' && c.amount?.currency === paid.currency)
    .reduce((sum, c) => sum + (c.amount?.amount ?? 0), 0);
  return order.payment.status === 'refunded' ? Math.max(committed, paid.amount) : committed;
}

/** What can still be refunded: paid minus refunded, never negative; 0 if never paid. */
export function refundableAmount(order: Order): number {
  if (!isPaid(order)) return 0;
  return Math.max(0, order.payment.amount.amount - refundedAmount(order));
}

/** Units per sku already returned or refunded (by cases that record their items). */
export function returnedUnits(order: Order): Map<string, number> {
  const units = new Map<string, number>();
  for (const c of liveCases(order)) {
    if (c.kind === 'exchange') continue;
    for (const item of c.items ?? []) units.set(item.sku, (units.get(item.sku) ?? 0) + item.qty);
  }
  return units;
}

/** Order-level discounts split by what they came off, each capped at what it could reduce. */
export function orderDiscounts(order: Order): { items: number; shipping: number } {
  const currency = order.payment.amount.currency;
  const inCurrency = order.promotions.filter((promotion) => promotion.discount.currency === currency);
  const sum = (target: 'items' | 'shipping') =>
    inCurrency
      .filter((promotion) => (promotion.appliesTo ?? 'items') === target)
      .reduce((total, promotion) => total + promotion.discount.amount, 0);
  const subtotal = order.items.reduce((total, item) => total + item.unitPrice.amount * item.qty, 0);
  return {
    items: Math.min(sum('items'), subtotal),
    shipping: Math.min(sum('shipping'), order.shippingFee.amount),
  };
}

/** Whole days from `from` to `to`, rounded down (0 within the first day). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}
