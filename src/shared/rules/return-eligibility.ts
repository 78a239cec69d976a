import type { Order } from '../domain';
import { deliveredAt, isFinished, returnedUnits, wholeDaysBetween } from './order-facts';
import { DAY_MS, DEFAULT_RULE_POLICY, type RulePolicy } from './policy';
import { reason } from './reasons';
import type { RuleReason } from './types';

export interface ItemEligibility {
  sku: string;
  eligible: boolean;
  /** Units that can still be returned or exchanged (0 when not eligible). */
  eligibleQty: number;
  /** Why not, or (when eligible) how long is left; order-level reasons come first. */
  reasons: RuleReason[];
}

export interface ReturnEligibility {
  /** At least one item can be returned. */
  eligible: boolean;
  /** End of the return window (ISO); null until the goods are delivered. */
  windowEndsAt: string | null;
  items: ItemEligibility[];
}

/** Which items of an order can be returned or exchanged now, and why (not). */
export function returnEligibility(
  order: Order,
  now: Date,
  policy: RulePolicy = DEFAULT_RULE_POLICY,
): ReturnEligibility {
  const delivered = deliveredAt(order);
  const windowEnds = delivered && new Date(delivered.getTime() + policy.returnWindowDays * DAY_MS);
  const orderReasons = orderLevelReasons(order, now, windowEnds, policy);
  const blocked = orderReasons.length > 0;
  const returned = returnedUnits(order);

  const items = order.items.map((item): ItemEligibility => {
    const reasons = [...orderReasons];
    if (policy.excludedCategories.includes(item.category)) {
      reasons.push(reason('CATEGORY_EXCLUDED', { sku: item.sku, category: item.category }));
    } else if (!item.returnable) {
      reasons.push(reason('ITEM_NOT_RETURNABLE', { sku: item.sku }));
    }
    const returnedQty = Math.min(returned.get(item.sku) ?? 0, item.qty);
    const remainingQty = item.qty - returnedQty;
    const itemBlocked = reasons.length > orderReasons.length || remainingQty === 0;
    if (returnedQty > 0) {
      reasons.push(reason('ALREADY_RETURNED', { sku: item.sku, returnedQty, remainingQty }));
    }
    const eligible = !blocked && !itemBlocked;
    if (eligible && windowEnds) {
      const daysLeft = Math.ceil((windowEnds.getTime() - now.getTime()) / DAY_MS);
      reasons.push(reason('RETURN_WINDOW_OPEN', { daysLeft, windowDays: policy.returnWindowDays }));
    }
    return { sku: item.sku, eligible, eligibleQty: eligible ? remainingQty : 0, reasons };
  });

  return {
    eligible: items.some((item) => item.eligible),
    windowEndsAt: windowEnds ? windowEnds.toISOString() : null,
    items,
  };
}

/** Reasons that stop every item at once: the order's state and the window. */
function orderLevelReasons(
  order: Order,
  now: Date,
  windowEnds: Date | null,
  policy: RulePolicy,
): RuleReason[] {
  if (isFinished(order)) return [reason('ORDER_NOT_ACTIVE', { status: order.status })];
  if (!windowEnds) return [reason('NOT_DELIVERED', { status: order.status })];
  if (now.getTime() > windowEnds.getTime()) {
    const daysAgo = wholeDaysBetween(windowEnds, now);
    return [reason('RETURN_WINDOW_CLOSED', { daysAgo, windowDays: policy.returnWindowDays })];
  }
  return [];
}
