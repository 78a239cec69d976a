import type { Statement } from 'better-sqlite3';
import { Order } from '../../shared/domain';
import type { OrderSearchResult } from '../../shared/protocol';
import type { SqliteDatabase } from '../db/open-database';
import { ORDER_SUMMARY_COLUMNS, toOrderSummary, type OrderSummaryRow } from './order-row';
import type {
  AbnormalOrdersCriteria,
  AbnormalScope,
  CustomerOrdersQuery,
  OrderLookup,
  OrderSearchCriteria,
  OrderStore,
  StoredAbnormalPage,
} from './order-store';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';
import { platformToken, statusToken, weekNumber, weekToken } from './search-filter-tokens';
import { ftsString, planOrderSearch, type SearchArm } from './search-plan';
import type { FieldAccess } from '../../shared/visibility';
import { SqliteAbnormalQueue } from './sqlite-abnormal-queue';
import { SqliteOrderRows } from './sqlite-order-rows';

type SqlValue = string | number;

const SUMMARY_SELECT = ORDER_SUMMARY_COLUMNS.map((column) => `o.${column}`).join(', ');
/** Highest code point: `prefix || char(1114111)` bounds every string starting with prefix. */
const MAX_CHAR = 'char(1114111)';
/**
 * A date range of up to this many weeks is also matched by week tokens inside the index; a
 * longer one covers so much of the store that the OR of its weeks would cost more than it saves.
 */
const MAX_RANGE_WEEKS = 13;

/**
 * One walk of a page: an arm of the search plan (or a walk of the newest orders), the filters,
 * and where the previous page stopped.
 */
interface PageQuery {
  arm: Walk;
  criteria: OrderSearchCriteria;
  beforeSeq: number | null;
  /** Walk the status index for this one status instead of the table. */
  status?: string;
}

/** A plan's arm, or a walk without text: the table in seq order, or the filter tokens in FTS5. */
type Walk = SearchArm | { kind: 'newest' } | { kind: 'fts'; match: null };

const NEWEST: Walk = { kind: 'newest' };
const FILTERS_ONLY: Walk = { kind: 'fts', match: null };

export class SqliteOrderStore implements OrderStore {
  private readonly rows: SqliteOrderRows;
  private readonly abnormalQueue: SqliteAbnormalQueue;
  private readonly countOrders: Statement<[], { n: number }>;
  private readonly selectCustomerPage: Statement<[string, number, number], OrderSummaryRow>;
  /** Search SQL differs only by which filters are present: a small, bounded set of shapes. */
  private readonly searchStatements = new Map<string, Statement<SqlValue[], OrderSummaryRow>>();

  constructor(private readonly db: SqliteDatabase) {
    this.rows = new SqliteOrderRows(db);
    this.abnormalQueue = new SqliteAbnormalQueue(db);
    this.countOrders = db.prepare('SELECT count(*) AS n FROM orders');
    // (customer_id, seq) index: a newest-first walk of one customer's orders, bounded by the page.
    this.selectCustomerPage = db.prepare(`
      SELECT ${SUMMARY_SELECT} FROM orders o INDEXED BY orders_customer_id
      WHERE o.customer_id = ? AND o.seq < ? ORDER BY o.seq DESC LIMIT ?`);
  }

  async insertMany(orders: Iterable<Order>): Promise<number> {
    const insertAll = this.db.transaction((batch: Iterable<Order>) => {
      let inserted = 0;
      for (const candidate of batch) {
        this.rows.insert(Order.parse(candidate));
        inserted += 1;
      }
      return inserted;
    });
    return insertAll(orders);
  }

  /**
   * Merges the FTS index into one segment. Each insert batch leaves segments behind, and every
   * search term reads its posting list once per segment: merged, digit substrings (the longest
   * posting lists) are two to three times faster. Later writes are merged by FTS5's automerge.
   */
  async afterBulkLoad(): Promise<void> {
    this.db.exec("INSERT INTO orders_fts (orders_fts) VALUES ('optimize')");
  }

  async get(id: string): Promise<Order | null> {
    return this.rows.findById(id)?.order ?? null;
  }

  async find(lookup: OrderLookup): Promise<Order | null> {
    const stored =
      'displayNumber' in lookup
        ? this.rows.findByDisplayNumber(lookup.displayNumber)
        : this.rows.findByPlatformId(lookup.platform, lookup.platformOrderId);
    return stored?.order ?? null;
  }

  async listByCustomer({ customerId, limit, cursor }: CustomerOrdersQuery): Promise<OrderSearchResult> {
    const beforeSeq = cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeSearchCursor(cursor);
    const rows = this.selectCustomerPage.all(customerId, beforeSeq, limit + 1);
    return toPage(rows, limit);
  }

  async count(): Promise<number> {
    return this.countOrders.get()!.n;
  }

  async abnormal(criteria: AbnormalOrdersCriteria, scope: AbnormalScope): Promise<StoredAbnormalPage> {
    return this.abnormalQueue.page(criteria, scope);
  }

  async search(criteria: OrderSearchCriteria, contact: FieldAccess = 'full'): Promise<OrderSearchResult> {
    const plan = planOrderSearch(criteria.text, contact);
    const beforeSeq = criteria.cursor === undefined ? null : decodeSearchCursor(criteria.cursor);
    // One extra row tells whether another page exists without counting the match set.
    const wanted = criteria.limit + 1;
    const walks: PageQuery[] =
      plan.kind === 'newest'
        ? this.newestWalks(criteria, beforeSeq)
        : plan.arms.map((arm): PageQuery => ({ arm, criteria, beforeSeq }));
    // Each walk is bounded by the page size; several are merged newest first (an order matched
    // by two arms, say its number and its phone, is listed once).
    const rows =
      walks.length === 1 ? this.page(walks[0]!) : mergeNewestFirst(walks.map((walk) => this.page(walk)));
    return toPage(rows.slice(0, wanted), criteria.limit);
  }

  /**
   * Without text: the newest orders, through the search index when a platform or a short date
   * range filters them, else through the status index per status (a rare status is found
   * without scanning the table, a common one without sorting it), else the table in seq order.
   */
  private newestWalks(criteria: OrderSearchCriteria, beforeSeq: number | null): PageQuery[] {
    if ((criteria.platforms ?? []).length > 0 || rangeWeeks(criteria).length > 0) {
      return [{ arm: FILTERS_ONLY, criteria, beforeSeq }];
    }
    const statuses = [...new Set(criteria.statuses ?? [])];
    if (statuses.length === 0) return [{ arm: NEWEST, criteria, beforeSeq }];
    return statuses.map((status) => ({ arm: NEWEST, criteria, beforeSeq, status }));
  }

  /** Up to limit+1 rows, newest first, each read by walking an index in seq order. */
  private page({ arm, criteria, beforeSeq, status }: PageQuery): OrderSummaryRow[] {
    const conditions: string[] = [];
    const values: SqlValue[] = [];
    const ftsMatch = arm.kind === 'fts' ? joinMatch(arm.match, filterTokens(criteria)) : null;
    // The ordering key: the FTS rowid when the FTS table drives the walk, else the orders seq.
    const seqColumn = ftsMatch !== null ? 'f.rowid' : 'o.seq';

    let from = 'orders o';
    if (ftsMatch !== null) {
      // CROSS JOIN pins the FTS table as the outer loop so its rowid order serves ORDER BY.
      from = 'orders_fts f CROSS JOIN orders o ON o.seq = f.rowid';
      conditions.push('orders_fts MATCH ?');
      values.push(ftsMatch);
    } else if (arm.kind === 'name_prefix') {
      from = 'orders o INDEXED BY orders_customer_name_key';
      conditions.push(`o.customer_name_key >= ? AND o.customer_name_key < ? || ${MAX_CHAR}`);
      values.push(arm.prefix, arm.prefix);
    } else if (arm.kind === 'name_exact') {
      from = 'orders o INDEXED BY orders_customer_name_key';
      conditions.push('o.customer_name_key = ?');
      values.push(arm.key);
    } else if (arm.kind === 'phone_tail') {
      // The expression must read exactly as indexed (migration 10) for the index to serve it.
      from = 'orders o INDEXED BY orders_phone_tail';
      conditions.push('substr(o.phone_digits, -4) = ?');
      values.push(arm.tail);
    } else if (arm.kind === 'phone_exact') {
      from = 'orders o INDEXED BY orders_phone_digits';
      conditions.push(`o.phone_digits IN (${arm.numbers.map(() => '?').join(', ')})`);
      values.push(...arm.numbers);
    } else if (status !== undefined) {
      from = 'orders o INDEXED BY orders_status';
    }

    if (beforeSeq !== null) {
      conditions.push(`${seqColumn} < ?`);
      values.push(beforeSeq);
    }
    // When the search index drives the walk, the status and platform filters are part of the MATCH.
    if (ftsMatch === null) {
      addInFilter(conditions, values, 'o.status', status === undefined ? criteria.statuses : [status]);
      addInFilter(conditions, values, 'o.platform', criteria.platforms);
    }
    if (criteria.createdFrom !== undefined) {
      conditions.push('o.created_at_ms >= ?');
      values.push(Date.parse(criteria.createdFrom));
    }
    // Both bounds are inclusive: "to 10:00" includes an order placed at 10:00:00.000.
    if (criteria.createdTo !== undefined) {
      conditions.push('o.created_at_ms <= ?');
      values.push(Date.parse(criteria.createdTo));
    }

    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const sql = `SELECT ${SUMMARY_SELECT} FROM ${from} ${where} ORDER BY ${seqColumn} DESC LIMIT ?`;
    return this.statement(sql).all(...values, criteria.limit + 1);
  }

  private statement(sql: string): Statement<SqlValue[], OrderSummaryRow> {
    let statement = this.searchStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<SqlValue[], OrderSummaryRow>(sql);
      this.searchStatements.set(sql, statement);
    }
    return statement;
  }
}

/** The first `limit` of up to limit+1 rows, and a cursor if the extra row says there is more. */
function toPage(rows: readonly OrderSummaryRow[], limit: number): OrderSearchResult {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toOrderSummary),
    nextCursor: rows.length > limit && last ? encodeSearchCursor(last.seq) : null,
  };
}

/**
 * The status, platform and date filters as FTS5 index tokens (search-filter-tokens.ts), or null
 * without filters. Intersected with a text match inside FTS5, a rare status costs a walk of its
 * own short posting list, not of every text match. An empty list means "no filter".
 */
function filterTokens(criteria: OrderSearchCriteria): string | null {
  const statuses = [...new Set(criteria.statuses ?? [])];
  const platforms = [...new Set(criteria.platforms ?? [])];
  const weeks = rangeWeeks(criteria);
  const anyOf = (column: string, tokens: readonly string[]) =>
    `(${tokens.map((token) => `${column} : ${ftsString(token)}`).join(' OR ')})`;
  const parts: string[] = [];
  if (statuses.length > 0) parts.push(anyOf('status_key', statuses.map(statusToken)));
  if (platforms.length > 0) parts.push(anyOf('platform_key', platforms.map(platformToken)));
  // The exact date bounds are checked on the orders row.
  if (weeks.length > 0) parts.push(anyOf('created_key', weeks.map(weekToken)));
  return parts.length === 0 ? null : parts.join(' AND ');
}

/** A text match and the filter tokens, both required; null when neither exists. */
function joinMatch(text: string | null, filters: string | null): string | null {
  if (text === null) return filters;
  return filters === null ? text : `(${text}) AND ${filters}`;
}

/** Pages of several walks as one: newest first, each order once. */
function mergeNewestFirst(pages: readonly OrderSummaryRow[][]): OrderSummaryRow[] {
  const bySeq = new Map<number, OrderSummaryRow>();
  for (const page of pages) for (const row of page) bySeq.set(row.seq, row);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

/** The weeks a closed date range of at most MAX_RANGE_WEEKS touches; none for any other range. */
function rangeWeeks({ createdFrom, createdTo }: OrderSearchCriteria): number[] {
  if (createdFrom === undefined || createdTo === undefined) return [];
  const first = weekNumber(Date.parse(createdFrom));
  const last = weekNumber(Date.parse(createdTo));
  if (last < first || last - first >= MAX_RANGE_WEEKS) return [];
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/** `column = ?` or `column IN (?, ?)`; an empty list means "no filter", like an absent one. */
function addInFilter(
  conditions: string[],
  values: SqlValue[],
  column: string,
  list?: readonly string[],
): void {
  if (!list || list.length === 0) return;
  conditions.push(list.length === 1 ? `${column} = ?` : `${column} IN (${list.map(() => '?').join(', ')})`);
  values.push(...list);
}
