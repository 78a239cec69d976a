import type { Statement } from 'better-sqlite3';
import { abnormalitiesOf } from '../../shared/abnormal';
import type { Order } from '../../shared/domain';
import type { SqliteDatabase } from '../db/open-database';

/**
 * The order_abnormalities side table: one row per current abnormality of an order, rewritten
 * with the order on every write, so the abnormal-orders queue never scans the orders.
 */
export class SqliteAbnormalRows {
  private readonly insertRow: Statement;
  private readonly deleteRows: Statement<[number]>;

  constructor(db: SqliteDatabase) {
    this.insertRow = db.prepare(`
      INSERT INTO order_abnormalities (seq, type, since_ms, platform, is_primary)
      VALUES (@seq, @type, @since_ms, @platform, @is_primary)`);
    this.deleteRows = db.prepare('DELETE FROM order_abnormalities WHERE seq = ?');
  }

  /** Adds the rows of a newly inserted order (most orders have none). */
  insert(seq: number, order: Order): void {
    const found = abnormalitiesOf(order);
    if (found.length === 0) return;
    const sinceMs = found.map((abnormality) => Date.parse(abnormality.since));
    // The longest-standing abnormality (the first on a tie) lists the order in the "all" view.
    const primary = sinceMs.indexOf(Math.min(...sinceMs));
    found.forEach((abnormality, index) => {
      this.insertRow.run({
        seq,
        type: abnormality.type,
        since_ms: sinceMs[index],
        platform: order.platform,
        is_primary: index === primary ? 1 : 0,
      });
    });
  }

  /** Rewrites the rows of a changed order. */
  replace(seq: number, order: Order): void {
    this.deleteRows.run(seq);
    this.insert(seq, order);
  }
}

/** Fills the table from the stored documents: for databases created before it existed. */
export function backfillAbnormalRows(db: SqliteDatabase): void {
  const rows = new SqliteAbnormalRows(db);
  const selectPage = db.prepare<[number], { seq: number; order_json: string }>(
    'SELECT seq, order_json FROM order_documents WHERE seq > ? ORDER BY seq LIMIT 1000',
  );
  // In pages: better-sqlite3 runs no other statement while an iterator is open.
  for (let page = selectPage.all(0); page.length > 0; page = selectPage.all(page.at(-1)!.seq)) {
    // Stored documents were validated on the way in; parsing them again would double the cost.
    for (const { seq, order_json } of page) rows.insert(seq, JSON.parse(order_json) as Order);
  }
}
