import type { EventCause } from '../../../shared/protocol';
import type { OrderChange, OrderChanges, OrderUpdateOptions } from '../../orders/order-changes';
import type { OrderStore } from '../../orders/order-store';
import { mergePlatformOrder } from '../merge-platform-order';
import type { AppliedSnapshots } from './applied-snapshots';
import type { OrderWrite } from './platform-webhook';

/** A write applied, or a snapshot older than the one already applied (nothing changed). */
export type OrderWriteOutcome =
  | { applied: true; change: OrderChange }
  | { applied: false; orderId: string; snapshotAt: string; newerAppliedAt: string };

/** Thrown inside the write's transaction to roll it back. */
class StaleSnapshotError extends Error {
  constructor(readonly appliedAtMs: number) {
    super('A newer snapshot of this order was applied');
  }
}

/**
 * Stores what a webhook delivery changed, through the one write path. A snapshot applies only
 * if the platform took it no earlier than the last one applied to that order; it is then merged
 * into the stored order inside the update (so an agent's note written meanwhile is not lost),
 * or creates the order. A partial change (a refund, a fulfillment) is not a snapshot: it applies
 * to the stored order as it is, and throws NOT_FOUND for an unknown one.
 */
export async function applyOrderWrite(
  write: OrderWrite,
  stores: { orders: OrderStore; changes: OrderChanges; snapshots: AppliedSnapshots },
  cause: EventCause,
): Promise<OrderWriteOutcome> {
  if (write.kind === 'partial') {
    return { applied: true, change: await stores.changes.update(write.orderId, null, write.apply, cause) };
  }
  const { order } = write;
  // Claimed in the write's transaction: a stale claim rolls the merged write back.
  const claimSnapshot: OrderUpdateOptions = {
    alsoInTransaction: () => {
      const claim = stores.snapshots.claim(
        order.platform,
        order.platformOrderId,
        Date.parse(order.updatedAt),
      );
      if (!claim.fresh) throw new StaleSnapshotError(claim.appliedAtMs);
    },
  };
  try {
    const change =
      (await stores.orders.get(order.id)) === null
        ? await stores.changes.upsert(order, cause, claimSnapshot)
        : await stores.changes.update(
            order.id,
            null,
            (current) => mergePlatformOrder(current, order, order.updatedAt),
            cause,
            claimSnapshot,
          );
    return { applied: true, change };
  } catch (err) {
    if (!(err instanceof StaleSnapshotError)) throw err;
    return {
      applied: false,
      orderId: order.id,
      snapshotAt: order.updatedAt,
      newerAppliedAt: new Date(err.appliedAtMs).toISOString(),
    };
  }
}
