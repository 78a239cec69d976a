import type { ErrorInfo } from '../../../shared/errors';
import type { CachedOrderSummary } from '../../../shared/offline';
import type { VisibleOrder as Order } from '../../../shared/visibility';
import type { ActionRequest, OrderEvent, OrderSearchQuery } from '../../../shared/protocol';
import type { OutboxEntry, OutboxSettlement, OutboxStatus } from '../outbox/outbox-entry';

/** An order read from the cache, with when this version was cached so the UI can show its age. */
export interface CachedOrder {
  order: Order;
  cachedAt: string;
}

export interface CacheSearchQuery {
  text: string;
  /** Default 50, at most 200. */
  limit?: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string | null;
  /** The gateway's search filters, same shape and meaning (orders.search). */
  filters?: CacheSearchFilters;
}

/**
 * Status and platform lists (an empty list filters nothing, as on the gateway) and an
 * inclusive created-at range.
 */
export type CacheSearchFilters = Pick<
  OrderSearchQuery,
  'statuses' | 'platforms' | 'createdFrom' | 'createdTo'
>;

export interface CacheSearchPage {
  /** Newest first, each with when it was cached. */
  items: CachedOrderSummary[];
  nextCursor: string | null;
}

export interface AppliedEvents {
  /** The seq stored with the orders, in the same transaction: resume the stream from it. */
  lastSeq: number;
  /** Events that replaced or added an order (others were older versions or already applied). */
  ordersChanged: number;
}

export interface EvictionLimits {
  /** Orders not used (read or seen) for longer than this are removed. */
  ttlMs: number;
  /** Beyond this many, the least recently used are removed. */
  maxOrders: number;
}

/** Every request the worker answers: params and result of each, checked on both sides. */
export interface OrderCacheMethods {
  put: { params: readonly Order[]; result: number };
  get: { params: string; result: CachedOrder | null };
  search: { params: CacheSearchQuery; result: CacheSearchPage };
  forCustomer: { params: { customerId: string; limit?: number }; result: CachedOrderSummary[] };
  applyEvents: { params: readonly OrderEvent[]; result: AppliedEvents };
  lastSeq: { params: null; result: number };
  /** Ids of the cached orders, most recently used first (what a resync refetches). */
  recentOrderIds: { params: { limit: number }; result: string[] };
  /** After a resync: stores the refetched orders and the gateway's head seq in one transaction. */
  resync: { params: { orders: OrderCacheMethods['put']['params']; headSeq: number }; result: number };
  evict: { params: EvictionLimits; result: number };
  count: { params: null; result: number };
  /** Moves the WAL into the database file. */
  checkpoint: { params: null; result: null };
  outboxEnqueue: { params: ActionRequest; result: OutboxEntry };
  outboxList: { params: { status?: OutboxStatus }; result: OutboxEntry[] };
  outboxSettle: { params: { idempotencyKey: string; settlement: OutboxSettlement }; result: OutboxEntry };
  /** Deletes the files and starts an empty cache sealed with the new key. */
  wipe: { params: { dataKey: Uint8Array }; result: null };
  close: { params: null; result: null };
}

export type OrderCacheMethod = keyof OrderCacheMethods;

export interface OrderCacheRequest<M extends OrderCacheMethod = OrderCacheMethod> {
  id: number;
  method: M;
  params: OrderCacheMethods[M]['params'];
}

export type OrderCacheResponse =
  | { id: number; ok: true; result: OrderCacheMethods[OrderCacheMethod]['result'] }
  | { id: number; ok: false; error: ErrorInfo };

/** What the worker is started with. */
export interface OrderCacheWorkerData {
  path: string;
  dataKey: Uint8Array;
  nativeBinding?: string;
}
