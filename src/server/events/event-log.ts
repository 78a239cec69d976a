import type { OrderEvent } from '../../shared/protocol';

/** An event as a writer describes it; the log assigns the seq. */
export type NewOrderEvent = Omit<OrderEvent, 'seq'>;

/**
 * The durable, totally ordered log of order events.
 *
 * Seqs are consecutive (1, 2, 3, ...) and never reused, so a jump between two events a reader
 * gets means the events in between were dropped by retention. Reads are async so that a
 * PostgreSQL log can stand in for the SQLite one without changing readers.
 *
 * `Transaction` is the writer's open transaction: appending inside it makes the event exist
 * exactly when the change it records does.
 */
export interface EventLog<Transaction = unknown> {
  /** Appends within `transaction`; the event is visible to readers once the writer commits. */
  append(transaction: Transaction, event: NewOrderEvent): OrderEvent;
  /** Up to `limit` events with a seq above `afterSeq`, oldest first. */
  readAfter(afterSeq: number, limit: number): Promise<OrderEvent[]>;
  /** The newest seq; 0 when nothing was ever appended. */
  headSeq(): Promise<number>;
  /**
   * The oldest seq still kept (headSeq() + 1 when the log holds none): a reader that applied
   * seq s can resume without a gap only if s + 1 >= oldestSeq().
   */
  oldestSeq(): Promise<number>;
}
