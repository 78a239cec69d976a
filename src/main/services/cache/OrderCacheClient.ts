import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { VisibleOrder as Order, VisibleOrderSummary as OrderSummary } from '../../../shared/visibility';
import { DeskError } from '../../../shared/errors';
import type { ActionRequest, OrderEvent } from '../../../shared/protocol';
import type { OutboxEntry, OutboxSettlement, OutboxStatus } from '../outbox/outbox-entry';
import type { KeyProvider } from '../telephony/KeyProvider';
import { loadOrCreateDataKey, saveDataKey } from './cache-data-key';
import { deleteCacheFiles } from './cache-files';
import { DATA_KEY_BYTES } from './cache-keys';
import { DEFAULT_ORDER_CACHE_POLICY, type OrderCachePolicy } from './order-cache-policy';
import type {
  AppliedEvents,
  CachedOrder,
  CacheSearchPage,
  CacheSearchQuery,
  EvictionLimits,
  OrderCacheMethod,
  OrderCacheMethods,
  OrderCacheRequest,
  OrderCacheResponse,
} from './order-cache-protocol';
import { spawnOrderCacheWorker } from './spawn-order-cache-worker';

export interface OrderCacheClientOptions {
  /** The SQLite file; its wrapped data key is kept at `${path}.key`. */
  path: string;
  keys: KeyProvider;
  policy?: Partial<OrderCachePolicy>;
  nativeBinding?: string;
  /** A request not answered by then fails with TIMEOUT. */
  requestTimeoutMs?: number;
  /** The worker module, when a build puts it elsewhere. */
  workerScript?: URL;
}

interface PendingRequest {
  resolve: (result: unknown) => void;
  reject: (err: DeskError) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const EMPTY_PAGE: CacheSearchPage = { items: [], nextCursor: null };

/**
 * The main-process face of the order cache: async methods that are requests to the cache
 * worker (order-cache-worker.ts), correlated by id, with a timeout each and errors as DeskError.
 * When the policy disables the cache, or the OS offers no key store to protect it, nothing is
 * stored and every read is a miss.
 */
export class OrderCacheClient {
  readonly policy: OrderCachePolicy;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;

  constructor(private readonly options: OrderCacheClientOptions) {
    this.policy = { ...DEFAULT_ORDER_CACHE_POLICY, ...options.policy };
  }

  /** True once started with a worker: false when disabled by policy or without a key store. */
  get enabled(): boolean {
    return this.worker !== null;
  }

  private get keyPath(): string {
    return `${this.options.path}.key`;
  }

  async start(): Promise<void> {
    if (this.worker) return;
    if (!this.policy.enabled || !this.options.keys.isAvailable()) {
      // A disabled cache leaves no personal data behind from when it was enabled.
      await this.deleteFiles();
      return;
    }
    const dataKey = await loadOrCreateDataKey(this.keyPath, this.options.keys);
    if (dataKey.isNew) deleteCacheFiles(this.options.path);
    const worker = spawnOrderCacheWorker(
      {
        path: this.options.path,
        dataKey: dataKey.key,
        ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      },
      this.options.workerScript,
    );
    worker.on('message', (response: OrderCacheResponse) => this.settle(response));
    worker.on('error', (err) => this.failAll(DeskError.from(err)));
    worker.on('exit', (code) => {
      this.worker = null;
      this.failAll(new DeskError('INTERNAL', `The order cache worker stopped (exit code ${code})`));
    });
    this.worker = worker;
    // The first answer proves the database opened and migrated.
    await this.request('lastSeq', null);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.request('close', null);
    } finally {
      await worker.terminate();
    }
  }

  /** Caches orders the agent saw; a cached higher version wins. Returns how many were written. */
  async put(orders: readonly Order[]): Promise<number> {
    return this.worker ? this.request('put', orders) : 0;
  }

  async get(id: string): Promise<CachedOrder | null> {
    return this.worker ? this.request('get', id) : null;
  }

  async search(query: CacheSearchQuery): Promise<CacheSearchPage> {
    return this.worker ? this.request('search', query) : EMPTY_PAGE;
  }

  async forCustomer(customerId: string, limit?: number): Promise<OrderSummary[]> {
    return this.worker
      ? this.request('forCustomer', limit === undefined ? { customerId } : { customerId, limit })
      : [];
  }

  /** Applies events and stores their last seq in one transaction; resume the stream from it. */
  async applyEvents(events: readonly OrderEvent[]): Promise<AppliedEvents> {
    return this.worker ? this.request('applyEvents', events) : { lastSeq: 0, ordersChanged: 0 };
  }

  /** 0 when nothing was applied (or the cache is disabled): subscribe from the start. */
  async lastSeq(): Promise<number> {
    return this.worker ? this.request('lastSeq', null) : 0;
  }

  /** Ids of the cached orders, most recently used first (none when disabled). */
  async recentOrderIds(limit: number): Promise<string[]> {
    return this.worker ? this.request('recentOrderIds', { limit }) : [];
  }

  /** After a resync: stores the refetched orders and the new seq in one transaction. */
  async resync(orders: Parameters<OrderCacheClient['put']>[0], headSeq: number): Promise<number> {
    return this.worker ? this.request('resync', { orders, headSeq }) : 0;
  }

  /** Evicts by the policy's limits unless others are given; returns how many orders went. */
  async evict(limits: EvictionLimits = this.policy): Promise<number> {
    return this.worker ? this.request('evict', { ttlMs: limits.ttlMs, maxOrders: limits.maxOrders }) : 0;
  }

  async count(): Promise<number> {
    return this.worker ? this.request('count', null) : 0;
  }

  /**
   * The outbox's storage (see Outbox), in the cache's database. A disabled cache keeps no
   * offline requests: these then fail with INTERNAL.
   */
  async outboxEnqueue(request: ActionRequest): Promise<OutboxEntry> {
    return this.request('outboxEnqueue', request);
  }

  async outboxList(status?: OutboxStatus): Promise<OutboxEntry[]> {
    return this.request('outboxList', status === undefined ? {} : { status });
  }

  async outboxSettle(idempotencyKey: string, settlement: OutboxSettlement): Promise<OutboxEntry> {
    return this.request('outboxSettle', { idempotencyKey, settlement });
  }

  async checkpoint(): Promise<void> {
    if (this.worker) await this.request('checkpoint', null);
  }

  /** Logout or role change: deletes every cached order and seq, and seals what follows with a new key. */
  async wipe(): Promise<void> {
    if (!this.worker) {
      await this.deleteFiles();
      return;
    }
    const dataKey = randomBytes(DATA_KEY_BYTES);
    // The files go first: if the app dies before the new key is saved, the empty cache is
    // simply sealed with the old key from then on.
    await this.request('wipe', { dataKey });
    await saveDataKey(this.keyPath, this.options.keys, dataKey);
  }

  private request<M extends OrderCacheMethod>(
    method: M,
    params: OrderCacheMethods[M]['params'],
  ): Promise<OrderCacheMethods[M]['result']> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new DeskError('INTERNAL', 'The order cache is not running'));
    const id = this.nextId++;
    const timeoutMs = this.options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DeskError('TIMEOUT', `The order cache did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      // The worker answers this id with this method's result type (order-cache-worker.ts).
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
      const request: OrderCacheRequest<M> = { id, method, params };
      worker.postMessage(request);
    });
  }

  private settle(response: OrderCacheResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return; // Answered after its timeout.
    this.pending.delete(response.id);
    clearTimeout(pending.timer);
    if (response.ok) pending.resolve(response.result);
    else pending.reject(DeskError.from(response.error));
  }

  private failAll(error: DeskError): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  private async deleteFiles(): Promise<void> {
    deleteCacheFiles(this.options.path);
    await rm(this.keyPath, { force: true });
  }
}
