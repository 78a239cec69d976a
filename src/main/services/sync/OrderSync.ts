import { DeskError } from '../../../shared/errors';
import type { OrderEvent, ResyncFrame } from '../../../shared/protocol';
import type { VisibleOrder } from '../../../shared/visibility';
import type { OrderCacheClient } from '../cache/OrderCacheClient';
import type { GatewayClient } from '../gateway/GatewayClient';
import type { Outbox, OutboxReplay } from '../outbox/Outbox';
import type { OutboxEntry } from '../outbox/outbox-entry';

export interface OrderSyncOptions {
  gateway: GatewayClient;
  cache: OrderCacheClient;
  outbox: Outbox;
  /** After the event is stored in the cache (with its seq): never for a duplicate or replayed one. */
  onOrderChanged(event: OrderEvent): void;
  /** An outbox entry the gateway answered for good: done, conflict or rejected. */
  onOutboxSettled(entry: OutboxEntry): void;
  onError(err: unknown): void;
  /** Orders refetched after a resync (they came without events); optional. */
  onOrdersRefetched?(orders: VisibleOrder[]): void;
  /**
   * How often a connected sync checks that it is not stuck behind the gateway's head (a lost
   * frame at the end of a burst) and retries outbox entries left pending; default 15 s.
   */
  checkIntervalMs?: number;
  /** How many cached orders (most recently used first) a resync refetches; default 100. */
  resyncRefetchLimit?: number;
}

const DEFAULT_CHECK_INTERVAL_MS = 15_000;
/** Within the gateway's per-connection burst of frames (a larger refetch is paced by RATE_LIMITED). */
const DEFAULT_RESYNC_REFETCH_LIMIT = 100;
const REFETCH_CONCURRENCY = 4;
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
 * resync frame it refetches the cached orders, stores them with the gateway's head seq and
 * subscribes from there.
 */
export class OrderSync {
  private readonly gateway: GatewayClient;
  private readonly cache: OrderCacheClient;
  private readonly outbox: Outbox;
  private readonly checkIntervalMs: number;
  private readonly refetchLimit: number;
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

  /** Refetches the cached orders (bounded), then stores them with `headSeq` in one transaction. */
  private async refetchAt(headSeq: number): Promise<void> {
    const ids = await this.cache.recentOrderIds(this.refetchLimit);
    const orders: VisibleOrder[] = [];
    let index = 0;
    const worker = async () => {
      while (index < ids.length) {
        const id = ids[index++]!;
        for (let attempt = 0; ; attempt += 1) {
          try {
            orders.push((await this.gateway.request('orders.get', { id })).order);
            break;
          } catch (err) {
            const code = DeskError.from(err).code;
            // Gone at the gateway (or not visible any more): nothing to refresh.
            if (code === 'NOT_FOUND') break;
            // The gateway limits frames per connection: wait for its bucket to refill.
            if (code !== 'RATE_LIMITED' || attempt >= RATE_LIMIT_RETRIES || !this.running) throw err;
            await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_BACKOFF_MS * 2 ** attempt));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(REFETCH_CONCURRENCY, ids.length) }, worker));
    await this.cache.resync(orders, headSeq);
    this.seq = headSeq;
    if (orders.length > 0) this.o.onOrdersRefetched?.(orders);
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
