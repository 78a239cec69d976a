import { abnormalTypesFor, type AbnormalOrdersPage } from '../../shared/abnormal';
import type { AgentUser } from '../../shared/domain';
import { ROLE_FIELD_POLICIES, visibleSummary } from '../../shared/visibility';
import type { AbnormalOrdersCriteria, OrderStore } from './order-store';

/**
 * `orders.abnormal` for one agent: only the types the role may see (a type derived from risk
 * flags or payment details is not listed to a role those are hidden from), and each order's
 * customer fields withheld as for search.
 */
export async function abnormalOrdersFor(
  store: OrderStore,
  criteria: AbnormalOrdersCriteria,
  user: AgentUser,
  nowMs: number,
): Promise<AbnormalOrdersPage> {
  const policy = ROLE_FIELD_POLICIES[user.role];
  const page = await store.abnormal(criteria, { nowMs, types: abnormalTypesFor(policy.grants) });
  return {
    ...page,
    items: page.items.map((item) => ({ ...item, order: visibleSummary(item.order, policy) })),
  };
}
