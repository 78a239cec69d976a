import type { z } from 'zod';
import type {
  AbnormalOrderItem,
  AbnormalOrdersPage,
  AbnormalOrdersQuery,
  AbnormalType,
} from '../../shared/abnormal';
import type { Order, OrderSummary } from '../../shared/domain';
import type { OrderSearchQuery, OrderSearchResult, gatewayMethods } from '../../shared/protocol';
import type { FieldAccess } from '../../shared/visibility';

/** A search query after validation: defaults applied, text trimmed. */
export type OrderSearchCriteria = z.output<typeof OrderSearchQuery>;

/** By display number, or by the platform and the platform's own order id. */
export type OrderLookup = z.output<(typeof gatewayMethods)['orders.find']['params']>;

/** One page of a customer's orders; the cursor comes from the previous page. */
/** An abnormal-orders query after validation (defaults applied). */
export type AbnormalOrdersCriteria = z.output<typeof AbnormalOrdersQuery>;

/** A queue page as stored: the orders' summaries whole (the caller withholds fields by role). */
export type StoredAbnormalPage = Omit<AbnormalOrdersPage, 'items'> & {
  items: (Omit<AbnormalOrderItem, 'order'> & { order: OrderSummary })[];
};

/** Who asks and when: the types the role may list, and the time the age filter counts from. */
export interface AbnormalScope {
  nowMs: number;
  types: readonly AbnormalType[];
}

export interface CustomerOrdersQuery {
  customerId: string;
  limit: number;
  cursor?: string;
}

/**
 * Where the gateway keeps normalised orders. Async so that a PostgreSQL implementation can
 * stand in for the SQLite one without changing callers.
 */
export interface OrderStore {
  /** Adds new orders in one transaction, each validated against the `Order` schema. */
  insertMany(orders: Iterable<Order>): Promise<number>;
  /** After a bulk load (the demo seed): compacts the indexes many batches left fragmented. */
  afterBulkLoad(): Promise<void>;
  get(id: string): Promise<Order | null>;
  find(lookup: OrderLookup): Promise<Order | null>;
  /** Newest first, keyset-paginated like search. */
  listByCustomer(query: CustomerOrdersQuery): Promise<OrderSearchResult>;
  /**
   * Newest first, keyset-paginated; never ranks or scans the whole match set. `contact` is how
   * the asker sees contact data (default 'full', for the gateway's own lookups): with less, names
   * and phones match only whole, or by the last 4 digits (search-plan.ts).
   */
  search(criteria: OrderSearchCriteria, contact?: FieldAccess): Promise<OrderSearchResult>;
  count(): Promise<number>;
  /**
   * One page of the abnormal-orders queue (keyset-paged by since, then seq) and the count per
   * type, limited to the types in `scope` (FORBIDDEN for another); `scope.nowMs` anchors the age
   * filter.
   */
  abnormal(criteria: AbnormalOrdersCriteria, scope: AbnormalScope): Promise<StoredAbnormalPage>;
}
