import { SqliteError } from 'better-sqlite3';
import { Order } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import { EventCause, type OrderEvent } from '../../shared/protocol';
import type { SqliteDatabase } from '../db/open-database';
import type { EventLog, NewOrderEvent } from '../events/event-log';
import type { LiveEvents } from '../events/live-events';
import { summarizeIssues } from '../ws/summarize-issues';
import type { OrderChange, OrderChanges, OrderUpdateOptions } from './order-changes';
import { SqliteOrderRows } from './sqlite-order-rows';

export interface SqliteOrderChangesDeps {
  /** The log in the same database file, so that the order and its event commit together. */
  log: EventLog<SqliteDatabase>;
  live: LiveEvents;
  /** Epoch ms; injectable so that tests and the simulator can pin time. */
  now?: () => number;
}

/**
 * OrderChanges on the gateway's SQLite file: the order row, its document, its search text, the
 * event and the caller's `alsoInTransaction` writes are one transaction; live subscribers hear of
 * the event after commit.
 */
export class SqliteOrderChanges implements OrderChanges {
  private readonly rows: SqliteOrderRows;
  private readonly now: () => number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly deps: SqliteOrderChangesDeps,
  ) {
    this.rows = new SqliteOrderRows(db);
    this.now = deps.now ?? Date.now;
  }

  async upsert(order: Order, cause: EventCause, options: OrderUpdateOptions = {}): Promise<OrderChange> {
    const validCause = parseCause(cause);
    return this.commit(() => {
      const existing = this.rows.findByPlatformId(order.platform, order.platformOrderId);
      // The stored id wins: desks cache orders by id, and the platform key is what identifies.
      const next = parseOrder({
        ...order,
        id: existing?.order.id ?? order.id,
        version: (existing?.order.version ?? 0) + 1,
      });
      if (existing) this.rows.replace(existing.seq, next, existing.order);
      else this.rows.insert(next);
      const written = this.appendEvent(existing ? 'order.updated' : 'order.created', next, validCause);
      options.alsoInTransaction?.(written);
      return written;
    });
  }

  async update(
    orderId: string,
    expectedVersion: number | null,
    change: (current: Order) => Order,
    cause: EventCause,
    options: OrderUpdateOptions = {},
  ): Promise<OrderChange> {
    const validCause = parseCause(cause);
    return this.commit(() => {
      const stored = this.rows.findById(orderId);
      if (!stored) throw new DeskError('NOT_FOUND', `No order with id ${orderId}`);
      const current = stored.order;
      if (expectedVersion !== null && current.version !== expectedVersion) {
        throw new DeskError(
          'VERSION_CONFLICT',
          `Order ${orderId} is at version ${current.version}, not ${expectedVersion}`,
          { currentOrder: current },
        );
      }
      const changed = change(current);
      if (
        changed.id !== current.id ||
        changed.platform !== current.platform ||
        changed.platformOrderId !== current.platformOrderId
      ) {
        throw new Error(`An order change must not change the order's identity (${orderId})`);
      }
      const next = parseOrder({
        ...changed,
        version: current.version + 1,
        updatedAt: new Date(this.now()).toISOString(),
      });
      this.rows.replace(stored.seq, next, current);
      const written = this.appendEvent('order.updated', next, validCause);
      options.alsoInTransaction?.(written);
      return written;
    });
  }

  /**
   * Runs `write` in one transaction, then publishes its event. Nothing awaits between commit
   * and publish, so events reach live subscribers in seq order.
   */
  private commit(write: () => OrderChange): OrderChange {
    let change: OrderChange;
    try {
      change = this.db.transaction(write)();
    } catch (err) {
      throw asUniqueConflict(err) ?? err;
    }
    this.deps.live.publish(change.event);
    return change;
  }

  private appendEvent(kind: OrderEvent['kind'], order: Order, cause: EventCause): OrderChange {
    const event: NewOrderEvent = {
      at: new Date(this.now()).toISOString(),
      kind,
      orderId: order.id,
      version: order.version,
      cause,
      order,
    };
    return { order, event: this.deps.log.append(this.db, event) };
  }
}

function parseOrder(candidate: unknown): Order {
  const parsed = Order.safeParse(candidate);
  if (!parsed.success) throw new DeskError('BAD_REQUEST', `Invalid order: ${summarizeIssues(parsed.error)}`);
  return parsed.data;
}

function parseCause(cause: EventCause): EventCause {
  const parsed = EventCause.safeParse(cause);
  if (!parsed.success) {
    throw new DeskError('BAD_REQUEST', `Invalid event cause: ${summarizeIssues(parsed.error)}`);
  }
  return parsed.data;
}

/** A new order whose id or display number belongs to another order is the caller's mistake. */
function asUniqueConflict(err: unknown): DeskError | null {
  if (!(err instanceof SqliteError) || err.code !== 'SQLITE_CONSTRAINT_UNIQUE') return null;
  return new DeskError('BAD_REQUEST', `Order clashes with another order: ${err.message}`);
}
