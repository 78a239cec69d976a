import type { Statement } from 'better-sqlite3';
import type { OrderEvent } from '../../shared/protocol';
import type { SqliteDatabase } from '../db/open-database';
import type { EventLog, NewOrderEvent } from './event-log';

export interface SqliteEventLogOptions {
  /**
   * Keep only the newest N events (default: keep all). Clients that fall further behind than
   * that are told to resync instead of replaying.
   */
  retainEvents?: number;
}

/** The event log in the gateway's SQLite file (table `events`, migration 3). */
export class SqliteEventLog implements EventLog<SqliteDatabase> {
  private readonly retainEvents: number | null;
  private readonly insertEvent: Statement<[string, string, string]>;
  private readonly deleteThrough: Statement<[number]>;
  private readonly selectAfter: Statement<[number, number], { seq: number; event_json: string }>;
  private readonly selectHead: Statement<[], { seq: number }>;
  private readonly selectOldest: Statement<[], { seq: number | null }>;

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteEventLogOptions = {},
  ) {
    const { retainEvents } = options;
    if (retainEvents !== undefined && (!Number.isSafeInteger(retainEvents) || retainEvents < 1)) {
      throw new RangeError(`retainEvents must be a positive integer, got ${retainEvents}`);
    }
    this.retainEvents = retainEvents ?? null;
    this.insertEvent = db.prepare('INSERT INTO events (at, order_id, event_json) VALUES (?, ?, ?)');
    this.deleteThrough = db.prepare('DELETE FROM events WHERE seq <= ?');
    this.selectAfter = db.prepare('SELECT seq, event_json FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    // sqlite_sequence keeps the last seq even if every row were gone; it has no row before the
    // first append.
    this.selectHead = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`);
    this.selectOldest = db.prepare('SELECT min(seq) AS seq FROM events');
  }

  /** `transaction` is this log's database, inside the writer's `db.transaction(...)`. */
  append(transaction: SqliteDatabase, event: NewOrderEvent): OrderEvent {
    if (transaction !== this.db || !this.db.inTransaction) {
      throw new Error('SqliteEventLog.append must run inside a transaction on the log database');
    }
    const seq = Number(this.insertEvent.run(event.at, event.orderId, JSON.stringify(event)).lastInsertRowid);
    // One indexed range delete per append keeps the table at the cap without a sweeper.
    if (this.retainEvents !== null) this.deleteThrough.run(seq - this.retainEvents);
    return { ...event, seq };
  }

  async readAfter(afterSeq: number, limit: number): Promise<OrderEvent[]> {
    // Not re-validated: every event was built from a validated order by the write path, and
    // replay speed is what a reconnecting desk waits on.
    return this.selectAfter
      .all(afterSeq, limit)
      .map((row) => ({ ...(JSON.parse(row.event_json) as NewOrderEvent), seq: row.seq }));
  }

  async headSeq(): Promise<number> {
    return this.selectHead.get()?.seq ?? 0;
  }

  async oldestSeq(): Promise<number> {
    return this.selectOldest.get()?.seq ?? (await this.headSeq()) + 1;
  }
}
