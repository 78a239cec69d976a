import { DeskError } from '../../../shared/errors';
import { GET_MANY_MAX, type Notice, type QueueWaiting } from '../../../shared/protocol';
import { maskPhone, type VisibleOrder } from '../../../shared/visibility';
import type { OrderCacheClient } from '../cache/OrderCacheClient';
import type { GatewayClient } from '../gateway/GatewayClient';
import { RequestBudget } from './request-budget';

export interface QueuePrefetcherOptions {
  gateway: GatewayClient;
  cache: OrderCacheClient;
  onError(err: unknown): void;
  /** After each customer's orders are in the cache (tests, logs). */
  onPrefetched?(customerId: string, orders: number): void;
  /** Gateway requests per second the prefetch may use (default 10, bursts of 10). */
  requestsPerSecond?: number;
  /** The newest orders of each waiting customer that are cached (default 20). */
  ordersPerCustomer?: number;
  /** A customer prefetched this recently is not fetched again (default 5 min). */
  refreshAfterMs?: number;
}

/** The gateway takes 50 frames/s per connection: a fifth for prefetch leaves the agent the rest. */
const DEFAULT_REQUESTS_PER_SECOND = 10;
const DEFAULT_ORDERS_PER_CUSTOMER = 20;
const DEFAULT_REFRESH_AFTER_MS = 5 * 60_000;
/** Customers waiting to be prefetched at most; a longer queue's tail waits for the next notice. */
const MAX_PENDING = 50;
/** Codes that mean the gateway went away or is busy: the next notice tries again. */
const TRANSIENT = new Set(['GATEWAY_UNAVAILABLE', 'TIMEOUT', 'RATE_LIMITED']);

/**
 * When the gateway announces the callers waiting in one of the agent's queues, caches their
 * newest orders (as the agent's role may see them: the gateway filters every read), so that
 * the call pops from the cache even if the gateway goes down before it is answered. Longest
 * waiting first (they are answered first), one customer at a time, within a request budget;
 * a customer prefetched recently is skipped, since the event stream keeps their orders current.
 */
export class QueuePrefetcher {
  private readonly budget: RequestBudget;
  private readonly ordersPerCustomer: number;
  private readonly refreshAfterMs: number;
  /** Customer id, or `#` + IVR order number for a caller known only by the order they typed. */
  private readonly pending = new Map<string, QueueWaiting>();
  private readonly prefetchedAt = new Map<string, number>();
  /**
   * Caller numbers (as this role receives them, usually masked) of recently announced callers the
   * gateway identified, to their customer; null where two customers share one masked number.
   */
  private readonly callers = new Map<string, { customerId: string | null; at: number }>();
  private unsubscribe: (() => void) | null = null;
  private running = false;
  private draining: Promise<void> | null = null;

  constructor(private readonly o: QueuePrefetcherOptions) {
    this.budget = new RequestBudget(
      o.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND,
      o.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND,
    );
    this.ordersPerCustomer = o.ordersPerCustomer ?? DEFAULT_ORDERS_PER_CUSTOMER;
    this.refreshAfterMs = o.refreshAfterMs ?? DEFAULT_REFRESH_AFTER_MS;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.o.gateway.onNotice((notice) => this.receive(notice));
  }

  stop(): void {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.pending.clear();
    this.callers.clear();
  }

  /**
   * The customer of a recently announced caller with this E.164 number, if the gateway identified
   * them: offline, the cache cannot match a whole number against the masked ones it holds.
   */
  customerOfCaller(e164: string): string | null {
    const known = this.callers.get(e164) ?? this.callers.get(maskPhone(e164));
    return known && Date.now() - known.at < this.refreshAfterMs ? known.customerId : null;
  }

  /** Resolves once every customer announced so far was handled (tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private receive(notice: Notice): void {
    if (notice.kind !== 'queue' || !this.running || !this.o.cache.enabled) return;
    const now = Date.now();
    for (const waiting of notice.waiting) {
      if (waiting.callerNumber === null || waiting.customerId === null) continue;
      const known = this.callers.get(waiting.callerNumber);
      const ambiguous =
        known && known.customerId !== waiting.customerId && now - known.at < this.refreshAfterMs;
      this.callers.set(waiting.callerNumber, { customerId: ambiguous ? null : waiting.customerId, at: now });
    }
    const longestWaitingFirst = [...notice.waiting].sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
    for (const waiting of longestWaitingFirst) {
      const key = waiting.customerId ?? (waiting.ivrOrderNumber ? `#${waiting.ivrOrderNumber}` : null);
      if (key === null || this.pending.has(key) || this.pending.size >= MAX_PENDING) continue;
      const last = this.prefetchedAt.get(key);
      if (last !== undefined && now - last < this.refreshAfterMs) continue;
      this.pending.set(key, waiting);
    }
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    for (const [key, waiting] of this.pending) {
      if (!this.running) return;
      this.pending.delete(key);
      try {
        const orders = await this.ordersOf(waiting);
        if (!this.running) return;
        if (orders.length > 0) await this.o.cache.put(orders);
        this.prefetchedAt.set(key, Date.now());
        this.o.onPrefetched?.(waiting.customerId ?? key, orders.length);
      } catch (err) {
        if (!TRANSIENT.has(DeskError.from(err).code)) this.o.onError(err);
      }
    }
    this.forgetOld();
  }

  /** The customer's newest orders, and the order the caller typed in the IVR. */
  private async ordersOf(waiting: QueueWaiting): Promise<VisibleOrder[]> {
    const orders: VisibleOrder[] = [];
    if (waiting.ivrOrderNumber) {
      await this.budget.take();
      try {
        orders.push(
          (await this.o.gateway.request('orders.find', { displayNumber: waiting.ivrOrderNumber })).order,
        );
      } catch (err) {
        // An order number the IVR heard may not exist: that is no reason to skip the customer.
        if (DeskError.from(err).code !== 'NOT_FOUND') throw err;
      }
    }
    const customerId = waiting.customerId ?? orders[0]?.customer.id;
    if (!customerId) return orders;
    await this.budget.take();
    const { items } = await this.o.gateway.request('orders.byCustomer', {
      customerId,
      limit: this.ordersPerCustomer,
    });
    let ids = items.map((item) => item.id).filter((id) => !orders.some((order) => order.id === id));
    while (ids.length > 0 && this.running) {
      await this.budget.take();
      const page = await this.o.gateway.request('orders.getMany', { ids: ids.slice(0, GET_MANY_MAX) });
      orders.push(...page.orders);
      ids = [...page.remaining, ...ids.slice(GET_MANY_MAX)];
    }
    return orders;
  }

  /** The skip list only needs the recent past. */
  private forgetOld(): void {
    const cutoff = Date.now() - this.refreshAfterMs;
    for (const [key, at] of this.prefetchedAt) if (at < cutoff) this.prefetchedAt.delete(key);
    for (const [number, { at }] of this.callers) if (at < cutoff) this.callers.delete(number);
  }
}
