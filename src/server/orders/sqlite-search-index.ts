import type { OrderStatus, Platform } from '../../shared/domain';
import type { SqliteDatabase } from '../db/open-database';
import { phoneDigits } from './order-row';
import { platformToken, statusToken, weekNumber, weekToken } from './search-filter-tokens';

/** FTS5's own default; the setting is stored in the table, so the rebuild puts it back. */
const FTS5_DEFAULT_AUTOMERGE = 4;

/**
 * Fills an empty orders_fts from the orders and their documents, exactly as SqliteOrderRows
 * writes it (see toOrderSearchText), then merges it into one segment. One INSERT ... SELECT:
 * SQLite reads the item titles from the JSON itself, several times faster than parsing every
 * document in JavaScript. For databases created before the index held the filter tokens.
 */
export function rebuildOrderSearchIndex(db: SqliteDatabase): void {
  db.function('search_phone_digits', { deterministic: true }, (phone) => phoneDigits(String(phone)));
  db.function('search_status_token', { deterministic: true }, (status) => statusToken(status as OrderStatus));
  db.function('search_platform_token', { deterministic: true }, (platform) =>
    platformToken(platform as Platform),
  );
  db.function('search_week_token', { deterministic: true }, (createdAtMs) =>
    weekToken(weekNumber(Number(createdAtMs))),
  );
  // No merging while the rows go in: one 'optimize' at the end merges everything once. A larger
  // page cache for the merge. Together about a quarter faster than the defaults.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -65536');
  db.exec(`
    INSERT INTO orders_fts (orders_fts, rank) VALUES ('automerge', 0);
    INSERT INTO orders_fts (rowid, display_number, customer_name, phone_digits, item_titles,
      status_key, platform_key, created_key)
    SELECT o.seq, o.display_number, o.customer_name, search_phone_digits(o.customer_phone),
      coalesce((SELECT group_concat(item.value ->> '$.title', char(10) ORDER BY item.key)
                FROM json_each(d.order_json, '$.items') AS item), ''),
      search_status_token(o.status), search_platform_token(o.platform),
      search_week_token(o.created_at_ms)
    FROM orders o JOIN order_documents d ON d.seq = o.seq;
    INSERT INTO orders_fts (orders_fts) VALUES ('optimize');
    INSERT INTO orders_fts (orders_fts, rank) VALUES ('automerge', ${FTS5_DEFAULT_AUTOMERGE});
  `);
  db.pragma(`cache_size = ${cacheSize}`);
}

/**
 * Fills orders.phone_digits for orders stored before the column existed, then indexes it: the
 * whole number (phone_digits) and its last four digits, each walked newest first (rowid order).
 */
export function backfillPhoneDigits(db: SqliteDatabase): void {
  db.function('search_phone_digits', { deterministic: true }, (phone) => phoneDigits(String(phone)));
  db.exec(`
    UPDATE orders SET phone_digits = search_phone_digits(customer_phone);
    CREATE INDEX orders_phone_digits ON orders (phone_digits);
    CREATE INDEX orders_phone_tail ON orders (substr(phone_digits, -4));
  `);
}
