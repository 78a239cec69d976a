import type { EventCause } from '../../../shared/protocol';
import type { OrderChange, OrderChanges } from '../../orders/order-changes';
import type { OrderStore } from '../../orders/order-store';
import { mergePlatformOrder } from '../merge-platform-order';
import type { OrderWrite } from './platform-webhook';

/**
 * Stores what a webhook delivery changed, through the one write path. A snapshot of an order the
 * store already has is merged into it inside the update (so an agent's note written meanwhile
 * is not lost); a new one is created. A partial change of an unknown order throws NOT_FOUND.
 */
export async function applyOrderWrite(
  write: OrderWrite,
  stores: { orders: OrderStore; changes: OrderChanges },
  cause: EventCause,
): Promise<OrderChange> {
  if (write.kind === 'partial') return stores.changes.update(write.orderId, null, write.apply, cause);
  const { order } = write;
  if ((await stores.orders.get(order.id)) === null) return stores.changes.upsert(order, cause);
  return stores.changes.update(
    order.id,
    null,
    (current) => mergePlatformOrder(current, order, order.updatedAt),
    cause,
  );
}
