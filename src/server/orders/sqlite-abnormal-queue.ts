import type { Statement } from 'better-sqlite3';
import {
  ABNORMAL_TYPES,
  type AbnormalOrdersPage,
  type AbnormalType,
  type Abnormality,
} from '../../shared/abnormal';
import { DeskError } from '../../shared/errors';
import type { SqliteDatabase } from '../db/open-database';
import { ORDER_SUMMARY_COLUMNS, toOrderSummary, type OrderSummaryRow } from './order-row';
import type { AbnormalOrdersCriteria, AbnormalScope, StoredAbnormalPage } from './order-store';

type SqlValue = string | number;
type QueueRow = OrderSummaryRow & { abnormal_type: AbnormalType; since_ms: number };

const DAY_MS = 24 * 60 * 60 * 1000;
const SUMMARY_SELECT = ORDER_SUMMARY_COLUMNS.map((column) => `o.${column}`).join(', ');
const CURSOR_PATTERN = /^ab:(-?\d{1,15}):(\d{1,15})$/;

/**
 * The abnormal-orders queue over the order_abnormalities side table. Every page is an index walk
 * in (since, seq) order, bounded by the page size; counts group the side table, which holds
 * only the orders that are abnormal now (a few per thousand).
 */
export class SqliteAbnormalQueue {
  private readonly statements = new Map<string, Statement<SqlValue[]>>();

  constructor(private readonly db: SqliteDatabase) {}

  page(criteria: AbnormalOrdersCriteria, scope: AbnormalScope): StoredAbnormalPage {
    const { nowMs, types } = scope;
    const conditions: string[] = [];
    const values: SqlValue[] = [];
    let from: string;
    if (criteria.type === undefined) {
      from = 'order_abnormalities a INDEXED BY order_abnormalities_primary';
      conditions.push('a.is_primary = 1');
      // A role that may not see every type: an order is listed under its longest-standing
      // abnormality only if that one is the role's (its other types still list it by type).
      if (types.length < ABNORMAL_TYPES.length) addInFilter(conditions, values, 'a.type', types);
    } else {
      if (!types.includes(criteria.type)) {
        throw new DeskError('FORBIDDEN', 'Your role may not list this kind of abnormal order');
      }
      from = 'order_abnormalities a INDEXED BY order_abnormalities_type';
      conditions.push('a.type = ?');
      values.push(criteria.type);
    }
    addInFilter(conditions, values, 'a.platform', criteria.platforms);
    if (criteria.minAgeDays !== undefined && criteria.minAgeDays > 0) {
      conditions.push('a.since_ms <= ?');
      values.push(nowMs - criteria.minAgeDays * DAY_MS);
    }
    const ascending = criteria.order === 'oldest';
    if (criteria.cursor !== undefined) {
      const [sinceMs, seq] = decodeCursor(criteria.cursor);
      conditions.push(`(a.since_ms, a.seq) ${ascending ? '>' : '<'} (?, ?)`);
      values.push(sinceMs, seq);
    }
    const direction = ascending ? 'ASC' : 'DESC';
    const sql = `
      SELECT a.type AS abnormal_type, a.since_ms, ${SUMMARY_SELECT}
      FROM ${from} JOIN orders o ON o.seq = a.seq
      WHERE ${conditions.join(' AND ')}
      ORDER BY a.since_ms ${direction}, a.seq ${direction} LIMIT ?`;
    const rows = this.statement(sql).all(...values, criteria.limit + 1) as QueueRow[];
    const page = rows.slice(0, criteria.limit);
    const all = this.abnormalitiesOf(
      page.map((row) => row.seq),
      new Set(types),
    );
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        order: toOrderSummary(row),
        type: row.abnormal_type,
        since: new Date(row.since_ms).toISOString(),
        abnormalities: all.get(row.seq) ?? [],
      })),
      nextCursor: rows.length > criteria.limit && last ? encodeCursor(last.since_ms, last.seq) : null,
      ...this.counts(criteria.platforms, types),
    };
  }

  private counts(
    platforms: readonly string[] | undefined,
    types: readonly AbnormalType[],
  ): Pick<AbnormalOrdersPage, 'counts' | 'total'> {
    const conditions: string[] = [];
    const values: SqlValue[] = [];
    addInFilter(conditions, values, 'a.platform', platforms);
    if (types.length < ABNORMAL_TYPES.length) addInFilter(conditions, values, 'a.type', types);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.statement(
      `SELECT type, count(*) AS n, sum(is_primary) AS orders FROM order_abnormalities a ${where} GROUP BY type`,
    ).all(...values) as { type: AbnormalType; n: number; orders: number }[];
    const counts: Partial<Record<AbnormalType, number>> = Object.fromEntries(types.map((type) => [type, 0]));
    let total = 0;
    for (const row of rows) {
      counts[row.type] = row.n;
      total += row.orders;
    }
    return { counts, total };
  }

  private abnormalitiesOf(
    seqs: readonly number[],
    types: ReadonlySet<AbnormalType>,
  ): Map<number, Abnormality[]> {
    const bySeq = new Map<number, Abnormality[]>();
    if (seqs.length === 0) return bySeq;
    const rows = this.statement(
      `SELECT seq, type, since_ms FROM order_abnormalities WHERE seq IN (${seqs.map(() => '?').join(', ')})`,
    ).all(...seqs) as { seq: number; type: AbnormalType; since_ms: number }[];
    for (const row of rows) {
      if (!types.has(row.type)) continue;
      const list = bySeq.get(row.seq) ?? [];
      list.push({ type: row.type, since: new Date(row.since_ms).toISOString() });
      bySeq.set(row.seq, list);
    }
    for (const list of bySeq.values()) {
      list.sort((a, b) => ABNORMAL_TYPES.indexOf(a.type) - ABNORMAL_TYPES.indexOf(b.type));
    }
    return bySeq;
  }

  private statement(sql: string): Statement<SqlValue[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<SqlValue[]>(sql);
      // The IN list of abnormalitiesOf varies with the page size: keep the cache bounded.
      if (this.statements.size < 64) this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** `column IN (...)`; an empty or absent list means no filter. */
function addInFilter(
  conditions: string[],
  values: SqlValue[],
  column: string,
  list?: readonly string[],
): void {
  if (!list || list.length === 0) return;
  conditions.push(`${column} IN (${list.map(() => '?').join(', ')})`);
  values.push(...list);
}

function encodeCursor(sinceMs: number, seq: number): string {
  return Buffer.from(`ab:${sinceMs}:${seq}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new DeskError('BAD_REQUEST', 'Invalid abnormal-orders cursor');
  return [Number(match[1]), Number(match[2])];
}
