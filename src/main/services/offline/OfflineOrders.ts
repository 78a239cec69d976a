import { readFile, rm, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AgentUser, Order } from '../../../shared/domain';
import type { VisibleOrder } from '../../../shared/visibility';
import { DeskError, ERROR_CODES, type ErrorCode } from '../../../shared/errors';
import type {
  CacheAge,
  OfflineState,
  OfflineTask,
  OfflineTaskReason,
  QueuedActionResult,
} from '../../../shared/offline';
import {
  E164Number,
  type ActionRequest,
  type ActionResult,
  type GatewayParams,
  type GatewayResult,
  type OrderSearchQuery,
  type OrderSearchResult,
} from '../../../shared/protocol';
import { allowedActionsInView } from '../../../shared/rules/allowed-actions';
import { DEFAULT_ROLE_LAYOUTS } from '../../../shared/role-views';
import { RuleReason } from '../../../shared/rules/types';
import type { OrderCacheClient } from '../cache/OrderCacheClient';
import type { Outbox } from '../outbox/Outbox';
import type { OutboxEntry } from '../outbox/outbox-entry';
import type { SessionService } from '../session/SessionService';
import { CacheOwnerFile } from './cache-owner';

export interface OfflineOrdersOptions {
  /** The cache opened at start (with the IT policy). */
  cache: () => OrderCacheClient;
  outbox: Outbox;
  session: SessionService;
  /** Owner of the cache on disk (see CacheOwnerFile). */
  ownerPath: string;
  /** Ids of the tasks the agent dismissed (idempotency keys: nothing personal). */
  dismissedPath: string;
  /** Told whenever the queue or the task list may have changed. */
  onChanged: (state: OfflineState) => void;
  onError?: (err: unknown) => void;
  evictEveryMs?: number;
  /** The customer of a caller recently announced as waiting in a queue (see QueuePrefetcher). */
  waitingCustomer?: (e164: string) => string | null;
  /** Other personal data on this computer wiped by the same rules (the call history). */
  alsoWipe?: () => Promise<void>;
}

/** Answers that mean "the gateway did not answer", so the cache answers instead. */
const UNREACHABLE: ReadonlySet<ErrorCode> = new Set(['GATEWAY_UNAVAILABLE', 'TIMEOUT']);

const StoredReason = z.object({ code: z.enum(ERROR_CODES), reasons: z.array(RuleReason).default([]) });

/** How the outbox records a refusal: the code and rule reasons the renderer translates. */
export function encodeOutboxReason(error: DeskError): string {
  return JSON.stringify({ code: error.code, reasons: error.details?.reasons ?? [] });
}

function decodeReason(entry: OutboxEntry): OfflineTaskReason {
  try {
    const parsed = StoredReason.safeParse(JSON.parse(entry.reason ?? ''));
    if (parsed.success) return parsed.data;
  } catch {
    // Recorded as plain text (an older desk): fall back to the status below.
  }
  return { code: entry.status === 'conflict' ? 'VERSION_CONFLICT' : 'NOT_ELIGIBLE', reasons: [] };
}

/**
 * Order reads and writes that keep working when the gateway is unreachable: every full order
 * the agent sees is cached; while offline (or when a request finds the gateway gone) reads come
 * from the cache with their age, and actions go to the outbox to be replayed when it is back.
 * Refusals on replay become tasks for the agent until dismissed: nothing is dropped silently.
 */
export class OfflineOrders {
  private readonly owner: CacheOwnerFile;
  private dismissed = new Set<string>();
  private evictTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: OfflineOrdersOptions) {
    this.owner = new CacheOwnerFile(options.ownerPath);
  }

  private get cache(): OrderCacheClient {
    return this.options.cache();
  }

  private get offline(): boolean {
    return this.options.session.connectionState.status !== 'online';
  }

  async start(): Promise<void> {
    try {
      const ids = z.array(z.string()).parse(JSON.parse(await readFile(this.options.dismissedPath, 'utf8')));
      this.dismissed = new Set(ids);
    } catch {
      this.dismissed = new Set();
    }
    if (!this.cache.enabled) return;
    // Orders past the policy's TTL go at launch, then every few minutes while the desk runs.
    const evict = () => {
      this.cache.evict().catch((err: unknown) => this.options.onError?.(err));
    };
    evict();
    this.evictTimer = setInterval(evict, this.options.evictEveryMs ?? 10 * 60 * 1000);
    this.evictTimer.unref();
  }

  stop(): void {
    if (this.evictTimer) clearInterval(this.evictTimer);
    this.evictTimer = null;
  }

  /** At sign-in: a cache that belonged to another user or role is wiped before anything is read. */
  async prepareFor(user: AgentUser): Promise<void> {
    if (await this.owner.differsFrom(user)) await this.wipe();
    if (this.cache.enabled) await this.owner.write(user);
  }

  /** Sign-out: no order, queued request, task or call outlives the session on this machine. */
  async wipe(): Promise<void> {
    await this.cache.wipe();
    await this.options.alsoWipe?.();
    await this.owner.clear();
    this.dismissed.clear();
    await rm(this.options.dismissedPath, { force: true });
    await this.notify();
  }

  /** Caches orders the agent saw; the cache is a convenience, so a failure never fails the read. */
  remember(orders: readonly VisibleOrder[]): void {
    if (!this.cache.enabled || orders.length === 0) return;
    this.cache.put(orders).catch((err: unknown) => this.options.onError?.(err));
  }

  get(id: string): Promise<VisibleOrder & CacheAge> {
    return this.read(
      async () => (await this.options.session.request('orders.get', { id })).order,
      () => this.cached(id),
    );
  }

  find(displayNumber: string): Promise<VisibleOrder & CacheAge> {
    return this.read(
      async () => (await this.options.session.request('orders.find', { displayNumber })).order,
      async () => {
        const page = await this.cache.search({ text: displayNumber, limit: 20 });
        const hit = page.items.find((item) => item.displayNumber === displayNumber);
        return hit ? this.cached(hit.id) : null;
      },
    );
  }

  search(query: OrderSearchQuery): Promise<OrderSearchResult & { fromCache?: boolean }> {
    return this.list(
      () => this.options.session.request('orders.search', query),
      async () => {
        // A waiting caller's whole number: the cache holds phones masked, the queue knew who it is.
        const text = (query.text ?? '').trim();
        const waiting = E164Number.safeParse(text).success ? this.options.waitingCustomer?.(text) : null;
        if (waiting) {
          return {
            items: await this.cache.forCustomer(waiting, query.limit),
            nextCursor: null,
            fromCache: true,
          };
        }
        return { ...(await this.searchCache(query)), fromCache: true };
      },
    );
  }

  /**
   * The search over the cache alone, online too: the desk shows these rows at once while the
   * gateway answers. The rows were stored as the agent's role saw them, and a cache that belonged
   * to another user or role is wiped at sign-in, so nothing here is less masked than the gateway.
   */
  async searchCached(query: OrderSearchQuery): Promise<OrderSearchResult> {
    if (!this.cache.enabled || !this.options.session.session.user) return { items: [], nextCursor: null };
    return this.searchCache(query);
  }

  byCustomer(
    query: GatewayParams<'orders.byCustomer'>,
  ): Promise<OrderSearchResult & { fromCache?: boolean }> {
    return this.list(
      () => this.options.session.request('orders.byCustomer', query),
      async () => ({
        items: await this.cache.forCustomer(query.customerId, query.limit),
        nextCursor: null,
        fromCache: true,
      }),
    );
  }

  /**
   * Offline, the same shared rules the gateway applies answer from the cached order and the
   * role's view (limits and offered actions); the gateway checks again when the queued request reaches it.
   */
  allowedActions(orderId: string): Promise<GatewayResult<'orders.allowedActions'>> {
    return this.read(
      () => this.options.session.request('orders.allowedActions', { orderId }),
      async () => {
        const user = this.options.session.session.user;
        const cached = user ? await this.cache.get(orderId) : null;
        if (!user || !cached) return null;
        const role = user.role;
        // The rules read status, items, payment amounts, shipments and risk flags, which every
        // role receives; withheld contact and address fields play no part in them.
        const order = { ...cached.order, riskFlags: cached.order.riskFlags ?? [] } as Order;
        return {
          version: cached.order.version,
          // The role's view as the gateway last sent it: its limits and offered actions.
          actions: allowedActionsInView(
            order,
            role,
            this.options.session.view?.layout ?? DEFAULT_ROLE_LAYOUTS[role],
            new Date(),
          ),
        };
      },
    );
  }

  async action(request: ActionRequest): Promise<ActionResult | QueuedActionResult> {
    if (!this.offline || !this.cache.enabled) {
      try {
        const result = await this.options.session.request('orders.action', request);
        this.remember([result.order]);
        return result;
      } catch (err) {
        const error = DeskError.from(err);
        if (error.details?.currentOrder) this.remember([error.details.currentOrder]);
        // A request that may not have arrived is queued under the same key: applied at most once.
        if (!this.cache.enabled || !UNREACHABLE.has(error.code)) throw error;
      }
    }
    if (!this.options.session.session.user) throw new DeskError('NOT_SIGNED_IN', 'Sign in first');
    const entry = await this.options.outbox.enqueue(request);
    const cached = await this.cache.get(request.orderId);
    await this.notify();
    return { outcome: 'queued', order: cached?.order ?? null, eventSeq: null, queuedAt: entry.enqueuedAt };
  }

  async state(): Promise<OfflineState> {
    if (!this.cache.enabled) return { queued: 0, tasks: [] };
    const entries = await this.options.outbox.list();
    const tasks: OfflineTask[] = [];
    let queued = 0;
    for (const entry of entries) {
      if (entry.status === 'pending') queued += 1;
      if (entry.status !== 'conflict' && entry.status !== 'rejected') continue;
      if (this.dismissed.has(entry.request.idempotencyKey)) continue;
      const cached = await this.cache.get(entry.request.orderId);
      tasks.push({
        id: entry.request.idempotencyKey,
        orderId: entry.request.orderId,
        displayNumber: cached?.order.displayNumber ?? null,
        action: entry.request.action.type,
        status: entry.status,
        reason: decodeReason(entry),
        queuedAt: entry.enqueuedAt,
        settledAt: entry.settledAt,
      });
    }
    return { queued, tasks };
  }

  async dismiss(id: string): Promise<OfflineState> {
    const state = await this.state();
    if (!state.tasks.some((task) => task.id === id)) throw new DeskError('NOT_FOUND', 'No such task');
    this.dismissed.add(id);
    await writeFile(this.options.dismissedPath, JSON.stringify([...this.dismissed]), { mode: 0o600 });
    return this.notify();
  }

  /** Recomputes the state and tells the renderer. */
  async notify(): Promise<OfflineState> {
    const state = await this.state();
    this.options.onChanged(state);
    return state;
  }

  private searchCache({
    text,
    limit,
    cursor,
    statuses,
    platforms,
    createdFrom,
    createdTo,
  }: OrderSearchQuery) {
    const filters = {
      ...(statuses ? { statuses } : {}),
      ...(platforms ? { platforms } : {}),
      ...(createdFrom ? { createdFrom } : {}),
      ...(createdTo ? { createdTo } : {}),
    };
    return this.cache.search({
      text: text ?? '',
      ...(limit !== undefined ? { limit } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
      ...(Object.keys(filters).length > 0 ? { filters } : {}),
    });
  }

  private async cached(id: string): Promise<(VisibleOrder & CacheAge) | null> {
    const hit = await this.cache.get(id);
    return hit ? { ...hit.order, cachedAt: hit.cachedAt } : null;
  }

  /** Online: the gateway (and the answer is cached); unreachable: the cache, or the first error. */
  private async read<T>(fromGateway: () => Promise<T>, fromCache: () => Promise<T | null>): Promise<T> {
    if (this.offline && this.cache.enabled && this.options.session.session.user) {
      const hit = await fromCache();
      if (hit) return hit;
    }
    try {
      const value = await fromGateway();
      if (isOrder(value)) this.remember([value]);
      return value;
    } catch (err) {
      const error = DeskError.from(err);
      if (!this.cache.enabled || !UNREACHABLE.has(error.code)) throw error;
      const hit = await fromCache();
      if (hit) return hit;
      throw error;
    }
  }

  private async list<T>(fromGateway: () => Promise<T>, fromCache: () => Promise<T>): Promise<T> {
    if (this.offline && this.cache.enabled && this.options.session.session.user) return fromCache();
    try {
      return await fromGateway();
    } catch (err) {
      const error = DeskError.from(err);
      if (!this.cache.enabled || !UNREACHABLE.has(error.code)) throw error;
      return fromCache();
    }
  }
}

function isOrder(value: unknown): value is VisibleOrder {
  return typeof value === 'object' && value !== null && 'displayNumber' in value && 'version' in value;
}
