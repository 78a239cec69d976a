import { mkdirSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { dirname } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import type { VisibleOrder as Order, VisibleOrderSummary as OrderSummary } from '../../../shared/visibility';
import { DeskError } from '../../../shared/errors';
import type { CachedOrderSummary } from '../../../shared/offline';
import type { OrderEvent } from '../../../shared/protocol';
import {
  phoneDigits,
  searchSourceDigest,
  toBlindSearchText,
  type BlindSearchText,
} from './blind-search-text';
import { BlindTokens } from './blind-tokens';
import { deriveCacheKeys } from './cache-keys';
import { planCacheSearch, type CacheSearchPlan } from './cache-search-plan';
import { ColumnCipher } from './column-cipher';
import { OutboxTable } from '../outbox/OutboxTable';
import { ORDER_CACHE_MIGRATIONS } from './order-cache-migrations';
import { orderNumberKey, orderNumberSuffixes, prefixRangeEnd } from './order-number-keys';
import type {
  AppliedEvents,
  CachedOrder,
  CacheSearchFilters,
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
/**
 * Order-number matches read from the suffix index before the substring counts as common: up
 * to this many (a tail or a full number) are sorted, exact and cheap; a common one is walked
 * newest first in the numbers' trigram index instead, whose walk meets its matches soon.
 * Reading a long suffix range costs more than that walk (about 5 ms for 2,000 at 50k).
 */
const MAX_SORTED_NUMBER_MATCHES = 200;
/**
 * Orders per background backfill step (migration 4): about 16 ms of work at 1M (41 ms per 500),
 * which is what a request may wait behind one.
 */
const BACKFILL_STEP_ROWS = 200;
/** The head length of order_number_suffixes_head (migration 3). */
const NUMBER_HEAD_CHARS = 6;

interface StoredVersion {
  seq: number;
  version: number;
  search_hash: string;
  display_number: string;
}

/** The half-open seq range a search walks: filters and cursor together. */
interface SeqRange {
  from: number;
  before: number;
}

/** Status and platform conditions on `o`, with their values in order. */
interface RowFilter {
  conditions: string[];
  values: unknown[];
}

interface SummaryRow {
  seq: number;
  id: string;
  summary: Buffer;
  cached_at: number;
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
  private readonly searchStatements = new Map<string, Statement<unknown[], unknown>>();
  /** Cached backfills.before_seq of phone_fts: undefined until read. */
  private phoneBackfillMark: number | null | undefined;

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

  /**
   * Newest first, bounded index walks per page (keyset on seq), never ranked; the gateway's
   * filters narrow the walk (created range as a seq range) or are checked on each row walked.
   */
  search(query: CacheSearchQuery): CacheSearchPage {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const beforeSeq = query.cursor ? decodeCacheCursor(query.cursor) : Number.MAX_SAFE_INTEGER;
    const range = seqRange(query.filters, beforeSeq);
    const filter = rowFilter(query.filters);
    const plan = planCacheSearch(query.text, this.tokens);
    // One extra row tells whether another page exists without counting the match set.
    const wanted = limit + 1;
    let rows: SummaryRow[];
    if (range.from >= range.before) {
      rows = [];
    } else if (plan.kind === 'fts') {
      rows = this.textPage(plan, range, filter, wanted);
    } else if (plan.kind === 'newest' && (query.filters?.statuses?.length ?? 0) > 0) {
      // A newest-first walk of the status index per status, merged: a rare status is found
      // without scanning the table, a common one without sorting it (as on the gateway).
      const platformFilter = rowFilter({ platforms: query.filters?.platforms ?? [] });
      rows = [...new Set(query.filters!.statuses)]
        .flatMap((status) =>
          this.pageRows(
            'orders o INDEXED BY orders_status',
            'o.seq',
            {
              conditions: ['o.status = ?', ...platformFilter.conditions],
              values: [status, ...platformFilter.values],
            },
            range,
            wanted,
          ),
        )
        .sort((a, b) => b.seq - a.seq)
        .slice(0, wanted);
    } else if (plan.kind === 'name_prefix') {
      const column = `name_prefix${plan.length}`;
      rows = this.pageRows(
        `orders o INDEXED BY orders_${column}`,
        'o.seq',
        { conditions: [`o.${column} = ?`, ...filter.conditions], values: [plan.token, ...filter.values] },
        range,
        wanted,
      );
    } else {
      rows = this.pageRows('orders o', 'o.seq', filter, range, wanted);
    }
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => this.cachedSummary(row)),
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
    return rows.map((row) => this.cachedSummary(row));
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
    const searchHash = searchSourceDigest(order, this.tokens);
    const row = {
      id: order.id,
      status: order.status,
      platform: order.platform,
      created_at: order.createdAt,
      version: order.version,
      cached_at: now,
      summary: this.cipher.seal(JSON.stringify(summarizeOrder(order)), `summary:${order.id}`),
      // Deflated first: a document shrinks about 4x, and the file, its pages and writes with it.
      document: this.cipher.seal(deflateRawSync(JSON.stringify(order)), `document:${order.id}`),
    };
    if (existing) {
      // Indexed columns that events rarely change (customer, last use) are left out: SQLite
      // rewrites the index entries of every column an UPDATE sets, changed or not.
      this.statements.updateOrder.run({ ...row, seq: existing.seq });
      if (touch) this.statements.touch.run(now, existing.seq);
      // Most changes (status, shipments, notes) leave the searchable fields as they were.
      if (existing.search_hash !== searchHash) this.reindex(existing.seq, order, searchHash, existing);
    } else {
      const seq = this.allocateSeq(order);
      const search = toBlindSearchText(order, this.tokens);
      this.statements.insertOrder.run({
        ...row,
        seq,
        last_used_at: now,
        display_number: order.displayNumber,
        customer_key: this.tokens.token('customer', order.customer.id),
        name_prefix1: search.name_prefix1,
        name_prefix2: search.name_prefix2,
        search_hash: searchHash,
      });
      this.insertSearchRows(seq, search);
      this.insertNumberSuffixes(seq, order.displayNumber);
    }
    return true;
  }

  /** Rewrites an order's search rows after its searchable fields changed. */
  private reindex(seq: number, order: Order, searchHash: string, stored: StoredVersion): void {
    const search = toBlindSearchText(order, this.tokens);
    this.statements.updateSearchColumns.run({
      seq,
      display_number: order.displayNumber,
      customer_key: this.tokens.token('customer', order.customer.id),
      name_prefix1: search.name_prefix1,
      name_prefix2: search.name_prefix2,
      search_hash: searchHash,
    });
    this.deleteSearchRows(seq);
    this.insertSearchRows(seq, search);
    if (stored.display_number !== order.displayNumber) {
      this.deleteNumberSuffixes(seq, stored.display_number);
      this.insertNumberSuffixes(seq, order.displayNumber);
    }
  }

  /**
   * Indexes the phones of up to `maxRows` orders cached before migration 4, newest first, in
   * one transaction. Returns true while more remain. The worker calls it between requests.
   */
  backfillStep(maxRows = BACKFILL_STEP_ROWS): boolean {
    return this.db.transaction(() => {
      const before = this.phoneBackfillBefore();
      if (before === null) return false;
      const rows = this.statements.selectSummariesBefore.all(before, maxRows);
      for (const row of rows) {
        // An order cached again meanwhile already has its row: replace, never add a second.
        this.statements.deletePhoneGrams.run(row.seq);
        const phone = this.openSummary(row).customerPhone ?? '';
        this.statements.insertPhoneGrams.run(row.seq, this.tokens.phoneGrams(phoneDigits(phone)).join(' '));
      }
      if (rows.length < maxRows) {
        this.statements.deleteBackfill.run('phone_fts');
        this.phoneBackfillMark = null;
        return false;
      }
      const mark = rows.at(-1)!.seq;
      this.statements.updateBackfill.run(mark, 'phone_fts');
      this.phoneBackfillMark = mark;
      return true;
    })();
  }

  /** Orders with a lower seq are not in phone_fts yet; null once the backfill is done. */
  private phoneBackfillBefore(): number | null {
    if (this.phoneBackfillMark === undefined) {
      this.phoneBackfillMark =
        (this.statements.selectBackfill.pluck().get('phone_fts') as number | undefined) ?? null;
    }
    return this.phoneBackfillMark;
  }

  private insertSearchRows(seq: number, search: BlindSearchText): void {
    this.statements.insertSearchText.run({
      seq,
      customer_name: search.customer_name,
      item_titles: search.item_titles,
    });
    this.statements.insertPhoneGrams.run(seq, search.phone_grams);
  }

  private deleteSearchRows(seq: number): void {
    this.statements.deleteSearchText.run(seq);
    this.statements.deletePhoneGrams.run(seq);
  }

  private insertNumberSuffixes(seq: number, displayNumber: string): void {
    for (const suffix of orderNumberSuffixes(displayNumber))
      this.statements.insertNumberSuffix.run(suffix, seq);
    this.statements.insertNumberTrigrams.run(seq, displayNumber);
  }

  private deleteNumberSuffixes(seq: number, displayNumber: string): void {
    for (const suffix of orderNumberSuffixes(displayNumber))
      this.statements.deleteNumberSuffix.run(suffix, seq);
    this.statements.deleteNumberTrigrams.run(seq);
  }

  /** A search row with when it was cached: the desk shows its age. */
  private cachedSummary(row: SummaryRow): CachedOrderSummary {
    return { ...this.openSummary(row), cachedAt: new Date(row.cached_at).toISOString() };
  }

  private openSummary(row: Pick<SummaryRow, 'id' | 'summary'>): OrderSummary {
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
    const displayNumber = this.statements.selectDisplayNumber.pluck().get(seq) as string;
    this.deleteNumberSuffixes(seq, displayNumber);
    this.deleteSearchRows(seq);
    this.statements.deleteOrder.run(seq);
  }

  /**
   * A text's page: the blind FTS walks (names and titles, or phones) merged with the order
   * numbers that contain the text, each newest first and at most `wanted`.
   */
  private textPage(
    plan: Extract<CacheSearchPlan, { kind: 'fts' }>,
    range: SeqRange,
    filter: RowFilter,
    wanted: number,
  ): SummaryRow[] {
    // CROSS JOIN pins the FTS table as the outer loop so its rowid order serves ORDER BY.
    const walk = (table: 'orders_fts' | 'phone_fts', match: string | null, within: SeqRange) =>
      match === null
        ? []
        : this.pageRows(
            `${table} t CROSS JOIN orders o ON o.seq = t.rowid`,
            't.rowid',
            { conditions: [`${table} MATCH ?`, ...filter.conditions], values: [match, ...filter.values] },
            within,
            wanted,
          );
    const textRows = walk('orders_fts', plan.textMatch, range);
    const phoneRows = walk('phone_fts', plan.phoneMatch, range);
    // Until the background backfill is done, orders below its mark have their phone only as
    // trigram tokens in orders_fts (migration 4).
    const pendingBelow = this.phoneBackfillBefore();
    const oldPhoneRows =
      pendingBelow === null
        ? []
        : walk('orders_fts', plan.legacyPhoneMatch, {
            from: range.from,
            before: Math.min(range.before, pendingBelow),
          });
    const bySeq = new Map([...textRows, ...phoneRows, ...oldPhoneRows].map((row) => [row.seq, row]));
    const numberSeqs = this.numberMatches(plan.numberNeedles, range, filter, wanted);
    const seqs = [...new Set([...bySeq.keys(), ...numberSeqs])].sort((a, b) => b - a).slice(0, wanted);
    return seqs.map((seq) => bySeq.get(seq) ?? this.statements.selectSummary.get(seq)!);
  }

  /** Seqs of the newest `wanted` orders whose number contains a needle, filters applied. */
  private numberMatches(
    needles: readonly string[],
    range: SeqRange,
    filter: RowFilter,
    wanted: number,
  ): number[] {
    const keys = [...new Set(needles.map(orderNumberKey))];
    const found = new Set<number>();
    const common: string[] = [];
    for (const key of keys) {
      const seqs = this.statements.selectNumberSuffixRange
        .pluck()
        .all(key, prefixRangeEnd(key), range.before, range.from, MAX_SORTED_NUMBER_MATCHES + 1) as number[];
      // Each needle on its own: "2608-0" is common, but its digits "26080" are rare and exact
      // from their range; walking the trigram index for them would read it to the end.
      if (seqs.length > MAX_SORTED_NUMBER_MATCHES) common.push(key);
      else for (const seq of seqs) found.add(seq);
    }
    const long = common.filter((needle) => [...needle].length >= NUMBER_HEAD_CHARS);
    const short = common.filter((needle) => [...needle].length < NUMBER_HEAD_CHARS);
    // Walks apply the filters and stop at the newest `wanted`; the exact sets are whole.
    const walked = [
      ...(long.length > 0 ? this.walkNumberHeads(long, range, filter, wanted) : []),
      ...(short.length > 0 ? this.walkNumbers(short, range, filter, wanted) : []),
    ];
    const exact = this.filterSeqs([...found], filter, wanted);
    return [...new Set([...walked, ...exact])].sort((a, b) => b - a).slice(0, wanted);
  }

  /** The newest `wanted` of these seqs whose orders pass the filters. */
  private filterSeqs(seqs: number[], filter: RowFilter, wanted: number): number[] {
    if (seqs.length === 0) return [];
    const sorted = seqs.sort((a, b) => b - a);
    if (filter.conditions.length === 0) return sorted.slice(0, wanted);
    return this.statement<number>(
      `SELECT o.seq FROM orders o WHERE o.seq IN (SELECT value FROM json_each(?))
       AND ${filter.conditions.join(' AND ')} ORDER BY o.seq DESC LIMIT ?`,
    )
      .pluck()
      .all(JSON.stringify(sorted), ...filter.values, wanted);
  }

  /**
   * A common substring of six or more characters, newest first through the suffixes' head
   * index: every entry with the needle's head is walked in seq order, and only a longer needle
   * skips some (those whose suffix goes on differently).
   */
  private walkNumberHeads(
    keys: readonly string[],
    range: SeqRange,
    filter: RowFilter,
    wanted: number,
  ): number[] {
    const from =
      filter.conditions.length === 0
        ? 'order_number_suffixes s INDEXED BY order_number_suffixes_head'
        : 'order_number_suffixes s INDEXED BY order_number_suffixes_head CROSS JOIN orders o ON o.seq = s.seq';
    const seqs = keys.flatMap((key) =>
      this.pageRows(
        from,
        's.seq',
        {
          conditions: [
            `substr(s.suffix, 1, ${NUMBER_HEAD_CHARS}) = ?`,
            's.suffix >= ?',
            's.suffix <= ?',
            ...filter.conditions,
          ],
          values: [[...key].slice(0, NUMBER_HEAD_CHARS).join(''), key, prefixRangeEnd(key), ...filter.values],
        },
        range,
        wanted,
        's.seq',
      ).map((row) => row.seq),
    );
    return [...new Set(seqs)].sort((a, b) => b - a).slice(0, wanted);
  }

  /** A common number substring, newest first through the numbers' trigram index. */
  private walkNumbers(keys: readonly string[], range: SeqRange, filter: RowFilter, wanted: number): number[] {
    // CROSS JOIN pins the FTS table as the outer loop so its rowid order serves ORDER BY.
    const from =
      filter.conditions.length === 0
        ? 'order_numbers_fts n'
        : 'order_numbers_fts n CROSS JOIN orders o ON o.seq = n.rowid';
    const match = keys.map((key) => `"${key.replaceAll('"', '""')}"`).join(' OR ');
    return this.pageRows(
      from,
      'n.rowid',
      { conditions: ['order_numbers_fts MATCH ?', ...filter.conditions], values: [match, ...filter.values] },
      range,
      wanted,
      'n.rowid AS seq',
    ).map((row) => row.seq);
  }

  /** Up to `wanted` rows, newest first, walking `from` in `seqColumn` order within the range. */
  private pageRows(
    from: string,
    seqColumn: string,
    filter: RowFilter,
    range: SeqRange,
    wanted: number,
    columns = 'o.seq, o.id, o.summary, o.cached_at',
  ): SummaryRow[] {
    const conditions = [...filter.conditions, `${seqColumn} < ?`, `${seqColumn} >= ?`];
    const sql = `SELECT ${columns} FROM ${from} WHERE ${conditions.join(' AND ')}
                 ORDER BY ${seqColumn} DESC LIMIT ?`;
    return this.statement<SummaryRow>(sql).all(...filter.values, range.before, range.from, wanted);
  }

  private statement<Row>(sql: string): Statement<unknown[], Row> {
    let statement = this.searchStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], unknown>(sql);
      this.searchStatements.set(sql, statement);
    }
    // Each SQL text is prepared here only, for one row shape.
    return statement as Statement<unknown[], Row>;
  }

  private prepare() {
    const db = this.db;
    return {
      selectVersion: db.prepare<[string], StoredVersion>(
        'SELECT seq, version, search_hash, display_number FROM orders WHERE id = ?',
      ),
      selectDisplayNumber: db.prepare<[number]>('SELECT display_number FROM orders WHERE seq = ?'),
      selectSummary: db.prepare<[number], SummaryRow>(
        'SELECT seq, id, summary, cached_at FROM orders WHERE seq = ?',
      ),
      selectDocument: db.prepare<[string], DocumentRow>(
        'SELECT seq, document, cached_at FROM orders WHERE id = ?',
      ),
      selectTopSeqIn: db.prepare<[number, number]>('SELECT max(seq) FROM orders WHERE seq BETWEEN ? AND ?'),
      insertOrder: db.prepare(
        `INSERT INTO orders (seq, id, display_number, customer_key, status, platform, created_at, version,
           cached_at, last_used_at, name_prefix1, name_prefix2, search_hash, summary, document)
         VALUES (@seq, @id, @display_number, @customer_key, @status, @platform, @created_at, @version,
           @cached_at, @last_used_at, @name_prefix1, @name_prefix2, @search_hash, @summary, @document)`,
      ),
      updateOrder: db.prepare(
        `UPDATE orders SET status = @status, platform = @platform,
           created_at = @created_at, version = @version, cached_at = @cached_at,
           summary = @summary, document = @document
         WHERE seq = @seq`,
      ),
      updateSearchColumns: db.prepare(
        `UPDATE orders SET display_number = @display_number, customer_key = @customer_key, name_prefix1 = @name_prefix1,
           name_prefix2 = @name_prefix2, search_hash = @search_hash
         WHERE seq = @seq`,
      ),
      selectByCustomer: db.prepare<[string, number], SummaryRow>(
        'SELECT seq, id, summary, cached_at FROM orders WHERE customer_key = ? ORDER BY seq DESC LIMIT ?',
      ),
      touch: db.prepare<[number, number]>('UPDATE orders SET last_used_at = ? WHERE seq = ?'),
      deleteOrder: db.prepare<[number]>('DELETE FROM orders WHERE seq = ?'),
      insertSearchText: db.prepare<[{ seq: number; customer_name: string; item_titles: string }]>(
        // display_number and phone_digits stay empty: numbers are found through
        // order_number_suffixes, phones through phone_fts.
        `INSERT INTO orders_fts (rowid, display_number, customer_name, phone_digits, item_titles)
         VALUES (@seq, '', @customer_name, '', @item_titles)`,
      ),
      insertPhoneGrams: db.prepare<[number, string]>(
        'INSERT INTO phone_fts (rowid, phone_grams) VALUES (?, ?)',
      ),
      deletePhoneGrams: db.prepare<[number]>('DELETE FROM phone_fts WHERE rowid = ?'),
      selectSummariesBefore: db.prepare<[number, number], Omit<SummaryRow, 'cached_at'>>(
        'SELECT seq, id, summary FROM orders WHERE seq < ? ORDER BY seq DESC LIMIT ?',
      ),
      selectBackfill: db.prepare<[string]>('SELECT before_seq FROM backfills WHERE name = ?'),
      updateBackfill: db.prepare<[number, string]>('UPDATE backfills SET before_seq = ? WHERE name = ?'),
      deleteBackfill: db.prepare<[string]>('DELETE FROM backfills WHERE name = ?'),
      insertNumberSuffix: db.prepare<[string, number]>(
        'INSERT OR IGNORE INTO order_number_suffixes (suffix, seq) VALUES (?, ?)',
      ),
      insertNumberTrigrams: db.prepare<[number, string]>(
        'INSERT INTO order_numbers_fts (rowid, display_number) VALUES (?, ?)',
      ),
      deleteNumberTrigrams: db.prepare<[number]>('DELETE FROM order_numbers_fts WHERE rowid = ?'),
      deleteNumberSuffix: db.prepare<[string, number]>(
        'DELETE FROM order_number_suffixes WHERE suffix = ? AND seq = ?',
      ),
      selectNumberSuffixRange: db.prepare<[string, string, number, number, number]>(
        `SELECT seq FROM order_number_suffixes WHERE suffix >= ? AND suffix <= ? AND seq < ? AND seq >= ?
         LIMIT ?`,
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
        migration.backfill?.({ db: this.db, openSummary: (row) => this.openSummary(row) });
        this.db.pragma(`user_version = ${migration.version}`);
      })();
    }
  }
}

/**
 * The seqs a search may return: below the cursor and, since seq is created_at in ms * 1000,
 * within the created range (both ends inclusive, as on the gateway). An order that borrowed
 * the millisecond before its own (over 1,000 orders in one ms) counts as created then.
 */
function seqRange(filters: CacheSearchFilters | undefined, beforeSeq: number): SeqRange {
  const from =
    filters?.createdFrom === undefined
      ? Number.MIN_SAFE_INTEGER
      : parseTime(filters.createdFrom) * SEQS_PER_MS;
  const to =
    filters?.createdTo === undefined
      ? Number.MAX_SAFE_INTEGER
      : (parseTime(filters.createdTo) + 1) * SEQS_PER_MS;
  return { from, before: Math.min(beforeSeq, to) };
}

function parseTime(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new DeskError('BAD_REQUEST', `Not a date and time: ${iso}`);
  return ms;
}

/** `o.column IN (...)` per list; an empty list means "no filter", like an absent one. */
function rowFilter(filters: CacheSearchFilters | undefined): RowFilter {
  const filter: RowFilter = { conditions: [], values: [] };
  for (const [column, list] of [
    ['o.status', filters?.statuses],
    ['o.platform', filters?.platforms],
  ] as const) {
    const values = [...new Set(list ?? [])];
    if (values.length === 0) continue;
    filter.conditions.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    filter.values.push(...values);
  }
  return filter;
}
