import type { Money, Order } from '../domain';
import { DeskError } from '../errors';
import { allocateByWeight, unitsShare } from './money';
import {
  orderDiscounts,
  refundableAmount,
  refundedAmount,
  returnedUnits,
  wholeDaysBetween,
} from './order-facts';
import { DAY_MS, DEFAULT_RULE_POLICY, type RulePolicy } from './policy';
import { reason } from './reasons';
import { selectionProblems } from './item-selection';
import type { ItemSelection, QuoteLine, QuoteType, RefundQuote, RuleReason } from './types';

export interface QuoteRequest {
  type: QuoteType;
  items: readonly ItemSelection[];
  /** Refund the shipping fee even though not the whole order is refunded (e.g. our mistake). */
  includeShipping: boolean;
}

/** Today's price per sku on the shop, for price protection. */
export type CurrentPrices = Readonly<Record<string, Money>>;

/**
 * What the customer gets back for the selected units:
 * - each unit at the price paid: its line's share of order-level coupons and promotions is
 *   deducted (prorated across lines by value, then across units, rounded so that every
 *   share of the order adds up to the discount exactly, however the units are split up);
 * - the shipping fee actually paid, when the refund takes the rest of the order, or when asked;
 * - for price protection, the difference between what the units cost and today's lower price,
 *   if the payment is within the protection window;
 * - an exchange moves no money (total 0; the lines show the value swapped);
 * - never more than was paid minus what was refunded before.
 * Throws NOT_ELIGIBLE with reasons when the selection names unknown items or too many units.
 */
export function refundQuote(
  order: Order,
  request: QuoteRequest,
  policy: RulePolicy = DEFAULT_RULE_POLICY,
  now: Date = new Date(),
  currentPrices: CurrentPrices = {},
): RefundQuote {
  const problems = selectionProblems(order, request.items);
  if (problems.length > 0) {
    throw new DeskError('NOT_ELIGIBLE', 'The item selection does not fit this order', { reasons: problems });
  }
  const currency = order.payment.amount.currency;
  const money = (amount: number): Money => ({ amount, currency });
  const notes: RuleReason[] = [];

  const discounts = orderDiscounts(order);
  const lineDiscounts = allocateByWeight(
    discounts.items,
    order.items.map((item) => item.unitPrice.amount * item.qty),
  );
  const returned = returnedUnits(order);
  const protection = priceProtectionWindow(order, now, policy);
  if (request.type === 'price_protection' && !protection.open) {
    notes.push(
      reason('PRICE_PROTECTION_WINDOW_CLOSED', {
        daysAgo: protection.closedDaysAgo,
        windowDays: policy.priceProtectionDays,
      }),
    );
  }

  const lines = request.items.map(({ sku, qty }): QuoteLine => {
    const index = order.items.findIndex((item) => item.sku === sku);
    const item = order.items[index]!;
    const couponShare = unitsShare(lineDiscounts[index]!, item.qty, returned.get(sku) ?? 0, qty);
    const amount = item.unitPrice.amount * qty - couponShare;
    let priceProtection = 0;
    if (request.type === 'price_protection' && protection.open) {
      const current = currentPrices[sku];
      const currentValue = current?.currency === currency ? current.amount * qty : null;
      if (currentValue !== null && currentValue < amount) {
        priceProtection = amount - currentValue;
        notes.push(reason('PRICE_PROTECTION', { sku, amount: priceProtection, currency }));
      } else {
        notes.push(reason('PRICE_NOT_DROPPED', { sku }));
      }
    }
    return {
      sku,
      qty,
      amount: money(amount),
      couponShare: money(couponShare),
      priceProtection: money(priceProtection),
    };
  });

  const couponTotal = lines.reduce((sum, line) => sum + line.couponShare.amount, 0);
  if (couponTotal > 0) notes.push(reason('COUPON_PRORATED', { amount: couponTotal, currency }));

  const shipping =
    request.type === 'refund' || request.type === 'return' ? shippingRefund(order, request, notes) : 0;

  let total: number;
  switch (request.type) {
    case 'refund':
    case 'return':
      total = lines.reduce((sum, line) => sum + line.amount.amount, 0) + shipping;
      break;
    case 'price_protection':
      total = lines.reduce((sum, line) => sum + line.priceProtection.amount, 0);
      break;
    case 'exchange':
      total = 0;
      notes.push(reason('EXCHANGE_NO_REFUND'));
      break;
  }

  const alreadyRefunded = refundedAmount(order);
  if (alreadyRefunded > 0) notes.push(reason('ALREADY_REFUNDED', { amount: alreadyRefunded, currency }));
  const refundable = refundableAmount(order);
  if (total > refundable) {
    total = refundable;
    notes.push(reason('CAPPED_AT_REFUNDABLE', { amount: refundable, currency }));
  }
  return { lines, shipping: money(shipping), total: money(total), notes };
}

/** The shipping fee paid (after free-shipping coupons) if this refund includes it, with why. */
function shippingRefund(order: Order, request: QuoteRequest, notes: RuleReason[]): number {
  const currency = order.payment.amount.currency;
  const paidShipping = order.shippingFee.amount - orderDiscounts(order).shipping;
  if (paidShipping <= 0) return 0;
  if (takesRestOfOrder(order, request.items)) {
    notes.push(reason('SHIPPING_INCLUDED_WHOLE_ORDER', { amount: paidShipping, currency }));
    return paidShipping;
  }
  if (request.includeShipping) {
    notes.push(reason('SHIPPING_INCLUDED_ON_REQUEST', { amount: paidShipping, currency }));
    return paidShipping;
  }
  notes.push(reason('SHIPPING_NOT_REFUNDED', { amount: paidShipping, currency }));
  return 0;
}

/** The selection covers every unit not yet returned or refunded. */
function takesRestOfOrder(order: Order, selection: readonly ItemSelection[]): boolean {
  if (selection.length === 0) return false;
  const returned = returnedUnits(order);
  return order.items.every((item) => {
    const remaining = item.qty - (returned.get(item.sku) ?? 0);
    const selected = selection.find((chosen) => chosen.sku === item.sku)?.qty ?? 0;
    return selected >= remaining;
  });
}

/** Price protection runs from payment (or creation, if the payment time is unknown). */
function priceProtectionWindow(
  order: Order,
  now: Date,
  policy: RulePolicy,
): { open: boolean; closedDaysAgo: number } {
  const start = Date.parse(order.payment.paidAt ?? order.createdAt);
  const end = new Date(start + policy.priceProtectionDays * DAY_MS);
  const open = now.getTime() <= end.getTime();
  return { open, closedDaysAgo: open ? 0 : wholeDaysBetween(end, now) };
}
