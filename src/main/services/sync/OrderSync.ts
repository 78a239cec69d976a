import { DeskError } from '../../../shared/errors';
import { GET_MANY_MAX, type OrderEvent, type ResyncFrame } from '../../../shared/protocol';
import type { VisibleOrder } from '../../../shared/visibility';
import type { OrderCacheClient } from '../cache/OrderCacheClient';
import type { GatewayClient } from '../gateway/GatewayClient';
import type { Outbox, OutboxReplay } from '../outbox/Outbox';
import type { OutboxEntry } from '../outbox/outbox-entry';
import { RequestBudget } from './request-budget';

export interface OrderSyncOptions {
  gateway: GatewayClient;
  cache: OrderCacheClient;
  outbox: Outbox;
  /** After the event is stored in the cache (with its seq): never for a duplicate or replayed one. */
  onOrderChanged(event: OrderEvent): void;
  /** An outbox entry the gateway answered for good: done, conflict or rejected. */
  onOutboxSettled(entry: OutboxEntry): void;
  onError(err: unknown): void;
  /**
   * Orders refetched after a resync (they came without events), a page at a time, fetched after
   * the gateway's head was `headSeq`; optional.
   */
  onOrdersRefetched?(orders: VisibleOrder[], headSeq: number): void;
  /**
   * How often a connected sync checks that it is not stuck behind the gateway's head (a lost
   * frame at the end of a burst) and retries outbox entries left pending; default 15 s.
   */
  checkIntervalMs?: number;
  /** How many cached orders (most recently used first) a resync refetches; default 10,000. */
  resyncRefetchLimit?: number;
  /**
   * Of how many customers (of the most recently used orders) a resync also fetches the newest
   * orders, to cover orders created during the gap; default 50.
   */
  resyncCustomerLimit?: number;
}

const DEFAULT_CHECK_INTERVAL_MS = 15_000;
/**
 * 100 getMany frames, a few seconds within the refetch's budget: an agent's working set of the
 * last days. Orders used longer ago stay cached with their age shown, and are refreshed when
 * opened online (and by any event for them).
 */
const DEFAULT_RESYNC_REFETCH_LIMIT = 10_000;
/** The customers an agent dealt with most recently are the ones likely to call about a new order. */
const DEFAULT_RESYNC_CUSTOMER_LIMIT = 50;
/** An order created during the gap is among the customer's newest. */
const GAP_ORDERS_PER_CUSTOMER = 10;
/** Half the gateway's 50 frames/s per connection: the agent's own requests keep the rest. */
const REFETCH_REQUESTS_PER_SECOND = 25;
const RATE_LIMIT_RETRIES = 6;
const RATE_LIMIT_BACKOFF_MS = 250;

/**
 * Keeps the order cache in step with the gateway's event log, and sends the outbox.
 *
 * Events are applied strictly in seq order: each batch of consecutive events is written to the
 * cache together with its last seq in one transaction, and only then reported. An event at or
 * below the stored seq is a duplicate or a replay and is dropped; an event beyond the next seq
 * means frames were lost, so the subscription is restarted from the stored seq and the gateway
 * replays the gap. A crash after the commit loses nothing (the stream resumes from the stored
 * seq) and applies nothing twice (the seq came with the changes).
 *
 * On every (re)connect it subscribes from the stored seq and replays the outbox in order. On a
 * resync frame it refetches the cached orders (and what their customers ordered meanwhile),
 * stores them with the gateway's head seq and subscribes from there.
 */
export class OrderSync {
  private readonly gateway: GatewayClient;
  private readonly cache: OrderCacheClient;
  private readonly outbox: Outbox;
  private readonly checkIntervalMs: number;
  private readonly refetchLimit: number;
  private readonly customerLimit: number;
  private readonly budget = new RequestBudget(REFETCH_REQUESTS_PER_SECOND, REFETCH_REQUESTS_PER_SECOND);
  /** The seq stored in the cache, mirrored; null until read at start. */
  private seq: number | null = null;
  private queued: OrderEvent[] = [];
  private draining = false;
  /** Every cache write and subscription change runs on this chain, one at a time. */
  private chain: Promise<void> = Promise.resolve();
  /** A subscribe request is in flight: gaps seen meanwhile come from the stream it replaces. */
  private subscribing = false;
  private unsubscribers: Array<() => void> = [];
  private checkTimer: NodeJS.Timeout | null = null;
  private seqAtLastCheck: number | null = null;
  private outboxPending = false;
  /** Idempotency keys already reported through onOutboxSettled. */
  private readonly reported = new Set<string>();
  private running = false;
  private lastResync: { reason: ResyncFrame['reason']; headSeq: number } | null = null;

  constructor(private readonly o: OrderSyncOptions) {
    this.gateway = o.gateway;
    this.cache = o.cache;
    this.outbox = o.outbox;
    this.checkIntervalMs = o.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
    this.refetchLimit = o.resyncRefetchLimit ?? DEFAULT_RESYNC_REFETCH_LIMIT;
    this.customerLimit = o.resyncCustomerLimit ?? DEFAULT_RESYNC_CUSTOMER_LIMIT;
  }

  /** The seq the cache holds (null before start): what the stream resumes from. */
  get storedSeq(): number | null {
    return this.seq;
  }

  /** Listens to the gateway; if it is online, subscribes and replays the outbox before resolving. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribers = [
      this.gateway.onEvent((event) => this.receive(event)),
      this.gateway.onResync((frame) => {
        this.enqueue(() => this.resync(frame)).catch((err: unknown) => this.report(err));
      }),
      this.gateway.onState((state) => {
        if (state.status === 'online') this.connected().catch((err: unknown) => this.report(err));
      }),
    ];
    this.checkTimer = setInterval(() => this.check(), this.checkIntervalMs);
    this.checkTimer.unref();
    if (this.gateway.state.status === 'online') await this.connected();
  }

  stop(): void {
    this.running = false;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
    this.queued = [];
  }

  /** Sends the pending outbox entries in order; reports each one that settled. */
  async replayOutbox(): Promise<OutboxReplay> {
    const before = await this.outbox.list('pending');
    const result = await this.outbox.replay((request) => this.gateway.request('orders.action', request));
    this.outboxPending = result.pending > 0;
    if (before.length > 0) {
      const keys = new Set(before.map((entry) => entry.request.idempotencyKey));
      const now = await this.outbox.list();
      for (const entry of now) {
        const key = entry.request.idempotencyKey;
        // Two overlapping replays share one run (Outbox.replay): report each entry once.
        if (entry.status === 'pending' || !keys.has(key) || this.reported.has(key)) continue;
        this.reported.add(key);
        this.o.onOutboxSettled(entry);
      }
    }
    return result;
  }

  private async connected(): Promise<void> {
    await this.enqueue(async () => {
      if (!this.running) return;
      if (this.seq === null) {
        const stored = await this.cache.lastSeq();
        if (stored > 0) this.seq = stored;
        else {
          // No seq stored (a new cache, or one started while the log was empty): the stream
          // starts at the log's head, and what is already cached is refetched as on a resync,
          // since events before the head will not be replayed to it.
          const { headSeq } = await this.gateway.request('events.head', {});
          await this.refetchAt(headSeq);
        }
      }
      await this.subscribe();
    });
    if (this.running) await this.replayOutbox();
  }

  private receive(event: OrderEvent): void {
    if (!this.running) return;
    this.queued.push(event);
    if (this.draining) return;
    this.draining = true;
    this.enqueue(() => this.drain()).catch((err: unknown) => this.report(err));
  }

  /** Applies the queued events that follow the stored seq, in one cache transaction. */
  private async drain(): Promise<void> {
    this.draining = false;
    const events = this.queued;
    this.queued = [];
    if (this.seq === null || !this.running) return; // Not subscribed yet: the subscription replays them.
    const batch: OrderEvent[] = [];
    let next = this.seq + 1;
    let gap = false;
    for (const event of events) {
      if (event.seq < next) continue; // Already applied: a replay or a duplicated frame.
      if (event.seq > next) {
        gap = true;
        break;
      }
      batch.push(event);
      next += 1;
    }
    if (batch.length > 0) {
      await this.cache.applyEvents(newestPerOrder(batch));
      this.seq = batch[batch.length - 1]!.seq;
      for (const event of batch) this.o.onOrderChanged(event);
    }
    // Frames were lost: the gateway replays from the stored seq (once per subscription).
    if (gap && !this.subscribing) void this.subscribe().catch((err: unknown) => this.report(err));
  }

  private async subscribe(): Promise<void> {
    if (this.seq === null || !this.running) return;
    this.subscribing = true;
    try {
      await this.gateway.request('events.subscribe', { fromSeq: this.seq });
    } finally {
      this.subscribing = false;
    }
  }

  private async resync(frame: ResyncFrame): Promise<void> {
    if (!this.running) return;
    const last = this.lastResync;
    // The same frame again (a duplicate) after it was handled: the stream already moved on.
    if (
      last &&
      last.reason === frame.reason &&
      last.headSeq === frame.headSeq &&
      (this.seq ?? 0) >= frame.headSeq
    ) {
      return;
    }
    this.lastResync = { reason: frame.reason, headSeq: frame.headSeq };
    this.queued = [];
    await this.refetchAt(frame.headSeq);
    await this.subscribe();
  }

  /**
   * Refetches the cached orders, most recently used first, a page per `orders.getMany`, each
   * page written as it arrives with the seq left as it was (a crash midway resumes from the old
   * seq and resyncs again); then the newest orders of the customers of the most recently used
   * ones (what they ordered during the gap), stored with `headSeq` in the last transaction.
   * Each page goes to the renderer too, so an open order shows what changed.
   */
  private async refetchAt(headSeq: number): Promise<void> {
    const seqBefore = this.seq ?? 0;
    const ids = await this.cache.recentOrderIds(this.refetchLimit);
    const known = new Set(ids);
    const customers = new Set<string>();
    for (let start = 0; start < ids.length && this.running; start += GET_MANY_MAX) {
      const orders = await this.fetchMany(ids.slice(start, start + GET_MANY_MAX));
      for (const order of orders) {
        if (customers.size < this.customerLimit) customers.add(order.customer.id);
      }
      await this.cache.resync(orders, seqBefore);
      if (orders.length > 0) this.o.onOrdersRefetched?.(orders, headSeq);
    }
    const created: string[] = [];
    for (const customerId of customers) {
      if (!this.running) return;
      const { items } = await this.paced(() =>
        this.gateway.request('orders.byCustomer', { customerId, limit: GAP_ORDERS_PER_CUSTOMER }),
      );
      for (const item of items) if (!known.has(item.id)) created.push(item.id);
    }
    const orders = created.length > 0 ? await this.fetchMany(created) : [];
    if (!this.running) return;
    await this.cache.resync(orders, headSeq);
    this.seq = headSeq;
    if (orders.length > 0) this.o.onOrdersRefetched?.(orders, headSeq);
  }

  /** The orders with these ids as the gateway has them now; gone or forbidden ones are skipped. */
  private async fetchMany(ids: readonly string[]): Promise<VisibleOrder[]> {
    const orders: VisibleOrder[] = [];
    let left = [...ids];
    while (left.length > 0 && this.running) {
      const page = left.slice(0, GET_MANY_MAX);
      const answer = await this.paced(() => this.gateway.request('orders.getMany', { ids: page }));
      orders.push(...answer.orders);
      // Missing ids (NOT_FOUND, FORBIDDEN) have nothing to refresh; `remaining` did not fit the answer.
      left = [...answer.remaining, ...left.slice(page.length)];
    }
    return orders;
  }

  /** Within the refetch's share of the gateway's frame limit, retrying a RATE_LIMITED answer. */
  private async paced<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      await this.budget.take();
      try {
        return await request();
      } catch (err) {
        // The agent's own requests share the bucket: wait for it to refill.
        if (DeskError.from(err).code !== 'RATE_LIMITED' || attempt >= RATE_LIMIT_RETRIES || !this.running) {
          throw err;
        }
        await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_BACKOFF_MS * 2 ** attempt));
      }
    }
  }

  /** Periodic: resubscribe if stuck behind the head since the last check; retry a stalled outbox. */
  private check(): void {
    if (!this.running || this.gateway.state.status !== 'online' || this.seq === null) return;
    const seqAtLastCheck = this.seqAtLastCheck;
    this.seqAtLastCheck = this.seq;
    this.gateway
      .request('events.head', {})
      .then(({ headSeq }) =>
        this.enqueue(async () => {
          if (this.seq !== null && headSeq > this.seq && this.seq === seqAtLastCheck && !this.subscribing) {
            await this.subscribe();
          }
        }),
      )
      .catch((err: unknown) => this.report(err));
    if (this.outboxPending) this.replayOutbox().catch((err: unknown) => this.report(err));
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Losing the connection mid-request is expected: the next connect starts over. */
  private report(err: unknown): void {
    const code = DeskError.from(err).code;
    if (code === 'GATEWAY_UNAVAILABLE' || code === 'TIMEOUT' || code === 'RATE_LIMITED') return;
    this.o.onError(err);
  }
}

/**
 * Events carry the whole order, so of several events for one order in a batch only the newest
 * version needs writing (a catch-up often changes an order many times). The batch's last event
 * always stays, so the cache stores the batch's last seq with the writes, in one transaction.
 */
function newestPerOrder(batch: readonly OrderEvent[]): OrderEvent[] {
  const newest = new Map<string, OrderEvent>();
  for (const event of batch) {
    const kept = newest.get(event.orderId);
    if (!kept || event.version >= kept.version) newest.set(event.orderId, event);
  }
  const last = batch[batch.length - 1]!;
  const writes = batch.filter((event) => newest.get(event.orderId) === event);
  if (writes[writes.length - 1] !== last) writes.push(last);
  return writes;
}
