import type { Order } from '../domain';
import { returnedUnits } from './order-facts';
import { reason } from './reasons';
import type { ItemSelection, RuleReason } from './types';

/**
 * What is wrong with a selection of an order's items: unknown skus, a sku listed twice, or
 * more units than are left after earlier returns and refunds. Empty when it is usable.
 */
export function selectionProblems(order: Order, selection: readonly ItemSelection[]): RuleReason[] {
  const returned = returnedUnits(order);
  const seen = new Set<string>();
  const problems: RuleReason[] = [];
  for (const { sku, qty } of selection) {
    const item = order.items.find((candidate) => candidate.sku === sku);
    if (!item) {
      problems.push(reason('UNKNOWN_ITEM', { sku }));
    } else if (seen.has(sku)) {
      problems.push(reason('DUPLICATE_ITEM', { sku }));
    } else {
      const remaining = Math.max(0, item.qty - (returned.get(sku) ?? 0));
      if (qty > remaining) problems.push(reason('QTY_EXCEEDS_REMAINING', { sku, requested: qty, remaining }));
    }
    seen.add(sku);
  }
  return problems;
}
