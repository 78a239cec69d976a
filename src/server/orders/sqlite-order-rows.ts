import type { Statement } from 'better-sqlite3';
import { Order, type Platform } from '../../shared/domain';
import type { SqliteDatabase } from '../db/open-database';
import { toOrderRow, toOrderSearchText, type OrderSearchText } from './order-row';
import { SqliteAbnormalRows } from './sqlite-abnormal-rows';

/** An order as stored, with its seq (the orders row, its document and its FTS row share it). */
export interface StoredOrder {
  seq: number;
  order: Order;
}

const ORDER_COLUMNS = [
  'id',
  'display_number',
  'platform',
  'platform_order_id',
  'customer_id',
  'customer_name',
  'customer_name_key',
  'customer_phone',
  'phone_digits',
  'status',
  'created_at',
  'created_at_ms',
  'total_amount',
  'currency',
  'item_count',
  'first_item_title',
] as const;

/**
 * The statements that read and write one order's parts: the orders row, its JSON document, its
 * trigram search text and its abnormal-orders rows. Shared by the bulk seed and the change path so they cannot drift.
 * Callers validate orders and run writes inside their own transaction.
 */
export class SqliteOrderRows {
  private readonly insertOrder: Statement;
  private readonly updateOrder: Statement;
  private readonly insertDocument: Statement<[number, string]>;
  private readonly updateDocument: Statement<[string, number]>;
  private readonly insertSearchText: Statement;
  private readonly deleteSearchText: Statement<[number]>;
  private readonly selectById: Statement<[string], DocumentRow>;
  private readonly selectByPlatformId: Statement<[string, string], DocumentRow>;
  private readonly selectByDisplayNumber: Statement<[string], DocumentRow>;
  private readonly abnormal: SqliteAbnormalRows;

  constructor(db: SqliteDatabase) {
    this.abnormal = new SqliteAbnormalRows(db);
    this.insertOrder = db.prepare(
      `INSERT INTO orders (${ORDER_COLUMNS.join(', ')})
       VALUES (${ORDER_COLUMNS.map((column) => `@${column}`).join(', ')})`,
    );
    this.updateOrder = db.prepare(
      `UPDATE orders SET ${ORDER_COLUMNS.map((column) => `${column} = @${column}`).join(', ')}
       WHERE seq = @seq`,
    );
    this.insertDocument = db.prepare('INSERT INTO order_documents (seq, order_json) VALUES (?, ?)');
    this.updateDocument = db.prepare('UPDATE order_documents SET order_json = ? WHERE seq = ?');
    this.insertSearchText = db.prepare(`
      INSERT INTO orders_fts (rowid, display_number, customer_name, phone_digits, item_titles,
        status_key, platform_key, created_key)
      VALUES (@seq, @display_number, @customer_name, @phone_digits, @item_titles, @status_key,
        @platform_key, @created_key)`);
    // The FTS table is contentless_delete: a changed order's index row is deleted and re-added.
    this.deleteSearchText = db.prepare('DELETE FROM orders_fts WHERE rowid = ?');
    const selectDocument = 'SELECT o.seq, d.order_json FROM orders o JOIN order_documents d ON d.seq = o.seq';
    this.selectById = db.prepare(`${selectDocument} WHERE o.id = ?`);
    this.selectByPlatformId = db.prepare(
      `${selectDocument} WHERE o.platform = ? AND o.platform_order_id = ?`,
    );
    this.selectByDisplayNumber = db.prepare(`${selectDocument} WHERE o.display_number = ?`);
  }

  /** Adds a new order; returns its seq. */
  insert(order: Order): number {
    const seq = Number(this.insertOrder.run(toOrderRow(order)).lastInsertRowid);
    this.insertDocument.run(seq, JSON.stringify(order));
    this.insertSearchText.run({ seq, ...toOrderSearchText(order) });
    this.abnormal.insert(seq, order);
    return seq;
  }

  /** Replaces `previous`, stored at `seq`, keeping the seq (and so its place in "newest first"). */
  replace(seq: number, order: Order, previous: Order): void {
    this.updateOrder.run({ seq, ...toOrderRow(order) });
    this.updateDocument.run(JSON.stringify(order), seq);
    this.abnormal.replace(seq, order);
    // An FTS rewrite adds about 0.1 ms to an update at p50 and more at p99 (BENCHMARKS.md); most
    // changes (shipments, notes, payments) leave the indexed text and status alone and skip it.
    const searchText = toOrderSearchText(order);
    if (isSameSearchText(searchText, toOrderSearchText(previous))) return;
    this.deleteSearchText.run(seq);
    this.insertSearchText.run({ seq, ...searchText });
  }

  findById(id: string): StoredOrder | null {
    return toStoredOrder(this.selectById.get(id));
  }

  findByPlatformId(platform: Platform, platformOrderId: string): StoredOrder | null {
    return toStoredOrder(this.selectByPlatformId.get(platform, platformOrderId));
  }

  findByDisplayNumber(displayNumber: string): StoredOrder | null {
    return toStoredOrder(this.selectByDisplayNumber.get(displayNumber));
  }
}

function isSameSearchText(a: OrderSearchText, b: OrderSearchText): boolean {
  return (
    a.display_number === b.display_number &&
    a.customer_name === b.customer_name &&
    a.phone_digits === b.phone_digits &&
    a.item_titles === b.item_titles &&
    a.status_key === b.status_key &&
    a.platform_key === b.platform_key &&
    a.created_key === b.created_key
  );
}

interface DocumentRow {
  seq: number;
  order_json: string;
}

function toStoredOrder(row: DocumentRow | undefined): StoredOrder | null {
  return row ? { seq: row.seq, order: Order.parse(JSON.parse(row.order_json)) } : null;
}
