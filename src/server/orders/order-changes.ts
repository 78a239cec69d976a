import type { Order } from '../../shared/domain';
import type { EventCause, OrderEvent } from '../../shared/protocol';

export interface OrderChange {
  order: Order;
  /** The event appended to the log in the same transaction as the write. */
  event: OrderEvent;
}

export interface OrderUpdateOptions {
  /**
   * Runs inside the write transaction once the event is appended, for writes that must exist
   * exactly when the change does (an action's audit row and stored outcome). They must go to the
   * same database; if this throws, the change, its event and those writes all roll back.
   */
  alsoInTransaction?(change: OrderChange): void;
}

/**
 * The one write path for orders. Every change (webhook, agent action, simulator) goes through
 * here so that the order row, its search index and the event log change in one transaction:
 * the log never misses a write and never records one that did not happen.
 */
export interface OrderChanges {
  /**
   * Creates an order, or replaces the one with the same (platform, platformOrderId), e.g. from
   * a webhook. The stored version is the previous version + 1 (1 for a new order).
   */
  upsert(order: Order, cause: EventCause, options?: OrderUpdateOptions): Promise<OrderChange>;

  /**
   * Applies `change` to the current order if its version equals `expectedVersion` (null: any
   * version, for system changes). Throws NOT_FOUND, or VERSION_CONFLICT with
   * `details.currentOrder`. Bumps version and updatedAt; `change` must not do either.
   */
  update(
    orderId: string,
    expectedVersion: number | null,
    change: (current: Order) => Order,
    cause: EventCause,
    options?: OrderUpdateOptions,
  ): Promise<OrderChange>;
}
