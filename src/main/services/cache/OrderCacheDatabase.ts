import { mkdirSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { dirname } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import type { VisibleOrder as Order, VisibleOrderSummary as OrderSummary } from '../../../shared/visibility';
import { DeskError } from '../../../shared/errors';
import type { OrderEvent } from '../../../shared/protocol';
import { toBlindSearchText } from './blind-search-text';
import { BlindTokens } from './blind-tokens';
import { deriveCacheKeys } from './cache-keys';
import { planCacheSearch, type CacheSearchPlan } from './cache-search-plan';
import { ColumnCipher } from './column-cipher';
import { OutboxTable } from '../outbox/OutboxTable';
import { ORDER_CACHE_MIGRATIONS } from './order-cache-migrations';
import type {
  AppliedEvents,
  CachedOrder,
  CacheSearchPage,
  CacheSearchQuery,
  EvictionLimits,
} from './order-cache-protocol';
import { summarizeOrder } from './order-summary';
import { decodeCacheCursor, encodeCacheCursor } from './search-cursor';

export interface OrderCacheDatabaseOptions {
  /** 32 bytes; the worker gets it unwrapped from the OS keychain by the client. */
  dataKey: Uint8Array;
  /** better-sqlite3's addon built for Electron's ABI (see CallHistoryStore). */
  nativeBinding?: string;
  now?: () => number;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
/** Orders created in the same millisecond get consecutive seqs within it. */
const SEQS_PER_MS = 1000;

interface StoredVersion {
  seq: number;
  version: number;
  search_hash: string;
}

interface SummaryRow {
  seq: number;
  id: string;
  summary: Buffer;
}

interface DocumentRow {
  seq: number;
  document: Buffer;
  cached_at: number;
}

/**
 * The order cache's SQLite database (WAL, numbered migrations). Synchronous: it runs inside the
 * cache worker (order-cache-worker.ts) so that no query ever blocks Electron's main thread.
 */
export class OrderCacheDatabase {
  /** Offline action requests, in the same file so that a wipe removes them too. */
  readonly outbox: OutboxTable;
  private readonly db: Database.Database;
  private readonly cipher: ColumnCipher;
  private readonly tokens: BlindTokens;
  private readonly now: () => number;
  private readonly statements;
  private readonly searchStatements = new Map<string, Statement<unknown[], SummaryRow>>();

  constructor(path: string, options: OrderCacheDatabaseOptions) {
    const keys = deriveCacheKeys(options.dataKey);
    this.cipher = new ColumnCipher(keys.columns);
    this.tokens = new BlindTokens(keys.tokens);
    this.now = options.now ?? Date.now;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    try {
      this.db.pragma('journal_mode = WAL');
      // Durable across a crash of the app; a power loss may undo the last commits, which the
      // event stream then replays from the seq that was kept with them.
      this.db.pragma('synchronous = NORMAL');
      // Freed pages are zeroed, so an evicted order's sealed bytes and tokens do not linger.
      this.db.pragma('secure_delete = ON');
      this.migrate();
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.statements = this.prepare();
    this.outbox = new OutboxTable(this.db, this.cipher, this.now);
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Caches orders the agent saw (a higher cached version wins); returns how many were written. */
  put(orders: readonly Order[]): number {
    return this.db.transaction(() => {
      const now = this.now();
      let written = 0;
      for (const order of orders) if (this.store(order, now, true)) written += 1;
      return written;
    })();
  }

  /** The order and when it was cached; counts as a use for eviction. */
  get(id: string): CachedOrder | null {
    const row = this.statements.selectDocument.get(id);
    if (!row) return null;
    this.statements.touch.run(this.now(), row.seq);
    // Sealed by this class from a validated Order; GCM proves it was not altered since.
    const order = JSON.parse(
      inflateRawSync(this.cipher.open(row.document, `document:${id}`)).toString('utf8'),
    ) as Order;
    return { order, cachedAt: new Date(row.cached_at).toISOString() };
  }

  /** Newest first, one bounded index walk per page (keyset on seq), never ranked. */
  search(query: CacheSearchQuery): CacheSearchPage {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const beforeSeq = query.cursor ? decodeCacheCursor(query.cursor) : Number.MAX_SAFE_INTEGER;
    const plan = planCacheSearch(query.text, this.tokens);
    const rows = this.searchStatement(plan).all(...searchValues(plan), beforeSeq, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => this.openSummary(row)),
      nextCursor: rows.length > limit && last ? encodeCacheCursor(last.seq) : null,
    };
  }

  /**
   * Applies events in order and stores the last seq in the same transaction, so a crash keeps
   * both or neither. Events at or below the stored seq were applied before and are skipped.
   */
  applyEvents(events: readonly OrderEvent[]): AppliedEvents {
    return this.db.transaction(() => {
      const now = this.now();
      let lastSeq = this.lastSeq();
      let ordersChanged = 0;
      for (const event of events) {
        if (event.seq <= lastSeq) continue;
        if (this.store(event.order, now, false)) ordersChanged += 1;
        lastSeq = event.seq;
      }
      this.statements.updateLastSeq.run(lastSeq);
      return { lastSeq, ordersChanged };
    })();
  }

  /** The customer's cached orders, newest first (screen pop from X-Customer-Id while offline). */
  forCustomer(customerId: string, limit: number = DEFAULT_PAGE): OrderSummary[] {
    const rows = this.statements.selectByCustomer.all(
      this.tokens.token('customer', customerId),
      Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE),
    );
    return rows.map((row) => this.openSummary(row));
  }

  lastSeq(): number {
    return this.statements.selectLastSeq.pluck().get() as number;
  }

  /** Ids of the cached orders, most recently used first. */
  recentOrderIds(limit: number): string[] {
    const bounded = Math.min(Math.max(Math.trunc(limit), 1), 100_000);
    return this.statements.selectRecentIds.pluck().all(bounded) as string[];
  }

  /**
   * A resync: the refetched orders (a cached higher version wins) and the gateway's head seq,
   * in one transaction. The seq is set as given, also lower than the stored one (a gateway
   * restored from a backup), since the stream resumes from it.
   */
  resync(orders: Parameters<OrderCacheDatabase['put']>[0], headSeq: number): number {
    return this.db.transaction(() => {
      const now = this.now();
      let written = 0;
      for (const order of orders) if (this.store(order, now, false)) written += 1;
      this.statements.updateLastSeq.run(headSeq);
      return written;
    })();
  }

  count(): number {
    return this.statements.countOrders.pluck().get() as number;
  }

  /** Removes orders unused for longer than the TTL, then the least recently used beyond the limit. */
  evict({ ttlMs, maxOrders }: EvictionLimits): number {
    return this.db.transaction(() => {
      const expired = this.statements.selectUnusedSince.pluck().all(this.now() - ttlMs) as number[];
      for (const seq of expired) this.remove(seq);
      const excess = this.count() - Math.max(0, maxOrders);
      const leastUsed = excess > 0 ? (this.statements.selectLeastUsed.pluck().all(excess) as number[]) : [];
      for (const seq of leastUsed) this.remove(seq);
      return expired.length + leastUsed.length;
    })();
  }

  /** Moves the WAL into the database file (the tests read the file's bytes after it). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    this.db.close();
  }

  /** Writes the order unless the cache holds the same or a newer version; `touch` marks it used. */
  private store(order: Order, now: number, touch: boolean): boolean {
    const existing = this.statements.selectVersion.get(order.id);
    if (existing && existing.version >= order.version) {
      if (touch) this.statements.touch.run(now, existing.seq);
      return false;
    }
    const search = toBlindSearchText(order, this.tokens);
    const row = {
      id: order.id,
      display_number: order.displayNumber,
      customer_key: this.tokens.token('customer', order.customer.id),
      status: order.status,
      created_at: order.createdAt,
      version: order.version,
      cached_at: now,
      name_prefix1: search.name_prefix1,
      name_prefix2: search.name_prefix2,
      search_hash: search.search_hash,
      summary: this.cipher.seal(JSON.stringify(summarizeOrder(order)), `summary:${order.id}`),
      // Deflated first: a document shrinks about 4x, and the file, its pages and writes with it.
      document: this.cipher.seal(deflateRawSync(JSON.stringify(order)), `document:${order.id}`),
    };
    if (existing) {
      this.statements.updateOrder.run({ ...row, seq: existing.seq, last_used_at: touch ? now : null });
      // Most changes (status, shipments, notes) leave the indexed text as it was.
      if (existing.search_hash !== search.search_hash) {
        this.statements.deleteSearchText.run(existing.seq);
        this.statements.insertSearchText.run({ ...search, seq: existing.seq });
      }
    } else {
      const seq = this.allocateSeq(order);
      this.statements.insertOrder.run({ ...row, seq, last_used_at: now });
      this.statements.insertSearchText.run({ ...search, seq });
    }
    return true;
  }

  private openSummary(row: SummaryRow): OrderSummary {
    // Sealed by this class from summarizeOrder's output; GCM proves it was not altered since.
    return JSON.parse(this.cipher.open(row.summary, `summary:${row.id}`).toString('utf8')) as OrderSummary;
  }

  private allocateSeq(order: Order): number {
    // A full millisecond (a bulk import with second-precision times) borrows the one before:
    // those orders sort a millisecond early, which no agent can see.
    for (let base = Date.parse(order.createdAt) * SEQS_PER_MS; ; base -= SEQS_PER_MS) {
      const top = this.statements.selectTopSeqIn.pluck().get(base, base + SEQS_PER_MS - 1) as number | null;
      if (top === null) return base;
      if (top + 1 < base + SEQS_PER_MS) return top + 1;
    }
  }

  private remove(seq: number): void {
    this.statements.deleteSearchText.run(seq);
    this.statements.deleteOrder.run(seq);
  }

  private searchStatement(plan: CacheSearchPlan): Statement<unknown[], SummaryRow> {
    let sql: string;
    if (plan.kind === 'fts') {
      // CROSS JOIN pins the FTS table as the outer loop so its rowid order serves ORDER BY.
      sql = `SELECT o.seq, o.id, o.summary FROM orders_fts f CROSS JOIN orders o ON o.seq = f.rowid
             WHERE orders_fts MATCH ? AND f.rowid < ? ORDER BY f.rowid DESC LIMIT ?`;
    } else if (plan.kind === 'name_prefix') {
      const column = `name_prefix${plan.length}`;
      sql = `SELECT seq, id, summary FROM orders INDEXED BY orders_${column}
             WHERE ${column} = ? AND seq < ? ORDER BY seq DESC LIMIT ?`;
    } else {
      sql = 'SELECT seq, id, summary FROM orders WHERE seq < ? ORDER BY seq DESC LIMIT ?';
    }
    let statement = this.searchStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], SummaryRow>(sql);
      this.searchStatements.set(sql, statement);
    }
    return statement;
  }

  private prepare() {
    const db = this.db;
    return {
      selectVersion: db.prepare<[string], StoredVersion>(
        'SELECT seq, version, search_hash FROM orders WHERE id = ?',
      ),
      selectDocument: db.prepare<[string], DocumentRow>(
        'SELECT seq, document, cached_at FROM orders WHERE id = ?',
      ),
      selectTopSeqIn: db.prepare<[number, number]>('SELECT max(seq) FROM orders WHERE seq BETWEEN ? AND ?'),
      insertOrder: db.prepare(
        `INSERT INTO orders (seq, id, display_number, customer_key, status, created_at, version, cached_at,
           last_used_at, name_prefix1, name_prefix2, search_hash, summary, document)
         VALUES (@seq, @id, @display_number, @customer_key, @status, @created_at, @version, @cached_at,
           @last_used_at, @name_prefix1, @name_prefix2, @search_hash, @summary, @document)`,
      ),
      // A null last_used_at (an event, not the agent) keeps the order's place in the LRU order.
      updateOrder: db.prepare(
        `UPDATE orders SET display_number = @display_number, customer_key = @customer_key, status = @status,
           created_at = @created_at, version = @version, cached_at = @cached_at,
           last_used_at = coalesce(@last_used_at, last_used_at), name_prefix1 = @name_prefix1,
           name_prefix2 = @name_prefix2, search_hash = @search_hash, summary = @summary, document = @document
         WHERE seq = @seq`,
      ),
      selectByCustomer: db.prepare<[string, number], SummaryRow>(
        'SELECT seq, id, summary FROM orders WHERE customer_key = ? ORDER BY seq DESC LIMIT ?',
      ),
      touch: db.prepare<[number, number]>('UPDATE orders SET last_used_at = ? WHERE seq = ?'),
      deleteOrder: db.prepare<[number]>('DELETE FROM orders WHERE seq = ?'),
      insertSearchText: db.prepare(
        `INSERT INTO orders_fts (rowid, display_number, customer_name, phone_digits, item_titles)
         VALUES (@seq, @display_number, @customer_name, @phone_digits, @item_titles)`,
      ),
      // contentless_delete: a changed or evicted order's index row is deleted by rowid.
      deleteSearchText: db.prepare<[number]>('DELETE FROM orders_fts WHERE rowid = ?'),
      selectLastSeq: db.prepare('SELECT last_seq FROM sync_state WHERE id = 1'),
      updateLastSeq: db.prepare<[number]>('UPDATE sync_state SET last_seq = ? WHERE id = 1'),
      countOrders: db.prepare('SELECT count(*) FROM orders'),
      selectUnusedSince: db.prepare<[number]>('SELECT seq FROM orders WHERE last_used_at < ?'),
      selectLeastUsed: db.prepare<[number]>('SELECT seq FROM orders ORDER BY last_used_at ASC LIMIT ?'),
      selectRecentIds: db.prepare<[number]>('SELECT id FROM orders ORDER BY last_used_at DESC LIMIT ?'),
    };
  }

  private migrate(): void {
    const current = this.schemaVersion;
    const latest = ORDER_CACHE_MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new DeskError('INTERNAL', `Order cache schema ${current} is newer than this app (${latest})`);
    }
    for (const migration of ORDER_CACHE_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db.pragma(`user_version = ${migration.version}`);
      })();
    }
  }
}

function searchValues(plan: CacheSearchPlan): unknown[] {
  if (plan.kind === 'fts') return [plan.match];
  if (plan.kind === 'name_prefix') return [plan.token];
  return [];
}
