import type { z } from 'zod';
import type { Order } from '../../shared/domain';
import type { OrderSearchQuery, OrderSearchResult } from '../../shared/protocol';

/** A search query after validation: defaults applied, text trimmed. */
export type OrderSearchCriteria = z.output<typeof OrderSearchQuery>;

/**
 * Where the gateway keeps normalised orders. Async so that a PostgreSQL implementation can
 * stand in for the SQLite one without changing callers.
 */
export interface OrderStore {
  /** Adds new orders in one transaction, each validated against the `Order` schema. */
  insertMany(orders: Iterable<Order>): Promise<number>;
  get(id: string): Promise<Order | null>;
  /** Newest first, keyset-paginated; never ranks or scans the whole match set. */
  search(criteria: OrderSearchCriteria): Promise<OrderSearchResult>;
  count(): Promise<number>;
}
