import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type WebSocket from 'ws';
import { OrderCacheClient } from '../../src/main/services/cache/OrderCacheClient';
import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import { Outbox } from '../../src/main/services/outbox/Outbox';
import { OrderSync } from '../../src/main/services/sync/OrderSync';
import type { VisibleOrder } from '../../src/shared/visibility';
import { createTestKeyProvider } from '../harness/test-key-provider';

/** What the scenario learns from a client incarnation. */
export interface ClientHooks {
  /** The seq stored in the cache when this incarnation started (before it subscribed). */
  onStarted(storedSeq: number): void;
  /** OrderSync reported the event with this seq (after its cache commit). */
  onApplied(seq: number): void;
  /** A resync replaced the seq range (fromSeq, toSeq] with a refetch. */
  onResynced(fromSeq: number, toSeq: number): void;
  onError(err: unknown): void;
}

export interface FaultClientOptions {
  cachePath: string;
  /** The key provider's key: the same across incarnations, like the OS keychain. */
  key: Buffer;
  url: string;
  token: string;
  workerScript?: URL;
  checkIntervalMs: number;
  requestTimeoutMs: number;
}

/**
 * One incarnation of the desk's sync stack with real parts: GatewayClient, the worker-thread
 * OrderCacheClient on a real SQLite file, Outbox and OrderSync. `kill()` tears it down without
 * any of them shutting down in order (see there).
 */
export class FaultClient {
  dead = false;
  readonly gateway: GatewayClient;
  readonly cache: OrderCacheClient;
  readonly outbox: Outbox;
  readonly sync: OrderSync;

  private constructor(
    options: FaultClientOptions,
    private readonly hooks: ClientHooks,
  ) {
    this.gateway = new GatewayClient({
      url: options.url,
      client: { name: 'fault-harness', version: '0' },
      requestTimeoutMs: options.requestTimeoutMs,
      backoff: { minMs: 5, maxMs: 40 },
    });
    this.gateway.setToken(options.token);
    this.cache = new OrderCacheClient({
      path: options.cachePath,
      keys: createTestKeyProvider(options.key),
      ...(options.workerScript ? { workerScript: options.workerScript } : {}),
    });
    // The resync range is seen where the cache stores it.
    const resync = this.cache.resync.bind(this.cache);
    this.cache.resync = async (orders, headSeq) => {
      const before = await this.cache.lastSeq();
      const written = await resync(orders, headSeq);
      if (!this.dead && headSeq > before) this.hooks.onResynced(before, headSeq);
      return written;
    };
    this.outbox = new Outbox(this.cache);
    this.sync = new OrderSync({
      gateway: this.gateway,
      cache: this.cache,
      outbox: this.outbox,
      onOrderChanged: (event) => {
        if (!this.dead) this.hooks.onApplied(event.seq);
      },
      onOutboxSettled: () => undefined,
      onError: (err) => {
        if (!this.dead) this.hooks.onError(err);
      },
      checkIntervalMs: options.checkIntervalMs,
    });
  }

  static async open(options: FaultClientOptions, hooks: ClientHooks): Promise<FaultClient> {
    const client = new FaultClient(options, hooks);
    await client.cache.start();
    hooks.onStarted(await client.cache.lastSeq());
    await client.sync.start();
    client.gateway.start();
    return client;
  }

  /** Caches these orders as the desk does for the orders an agent opens. */
  async prefetch(ids: readonly string[]): Promise<void> {
    const orders: VisibleOrder[] = [];
    for (const id of ids) orders.push((await this.gateway.request('orders.get', { id })).order);
    await this.cache.put(orders);
  }

  /** An agent's note made offline-first: queued with its idempotency key, then the outbox replays. */
  async enqueueNote(orderId: string, text: string): Promise<void> {
    const cached = await this.cache.get(orderId);
    if (!cached) return;
    await this.outbox.enqueue({
      orderId,
      expectedVersion: cached.order.version,
      idempotencyKey: randomUUID(),
      action: { type: 'note', text },
    });
    if (this.gateway.state.status === 'online') {
      this.sync.replayOutbox().catch(() => undefined);
    }
  }

  /**
   * Client teardown (in-process stand-in for a crash): the cache worker thread is terminated
   * first, wherever it is (a commit either happened or did not), then the socket is cut without
   * a close handshake. No component gets to finish or flush anything; the listeners of this
   * incarnation are silenced so nothing it still has queued counts.
   */
  async kill(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    const internals = this.cache as unknown as { worker: Worker | null };
    await internals.worker?.terminate();
    (this.gateway as unknown as { ws: WebSocket | null }).ws?.terminate();
    await this.gateway.stop();
    this.sync.stop();
    // Rejections of requests that were in flight settle on the next turns.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** An orderly shutdown (the end of a run). */
  async close(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    this.sync.stop();
    await this.gateway.stop();
    await this.cache.stop();
  }

  /** True once the cache's seq is the gateway's head and no outbox entry is pending. */
  async caughtUp(): Promise<boolean> {
    if (this.gateway.state.status !== 'online') return false;
    const { headSeq } = await this.gateway.request('events.head', {});
    const stored = await this.cache.lastSeq();
    const pending = await this.outbox.list('pending');
    if (pending.length > 0) await this.sync.replayOutbox();
    return stored === headSeq && pending.length === 0;
  }
}
