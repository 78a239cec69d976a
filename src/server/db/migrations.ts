/**
 * Numbered schema migrations, applied in order. `PRAGMA user_version` records the last one
 * applied. Never edit a migration that has shipped: append a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'orders',
    sql: `
      -- seq is an alias of rowid: assigned in creation order and, unlike a bare rowid, kept by
      -- VACUUM (the FTS index points at it). AUTOINCREMENT never reuses a deleted seq, so
      -- "ORDER BY seq DESC" stays "newest first".
      CREATE TABLE orders (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        display_number TEXT NOT NULL UNIQUE,
        platform TEXT NOT NULL,
        platform_order_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        customer_name TEXT NOT NULL,
        -- lower-cased name for case-insensitive prefix search of 1-2 characters
        customer_name_key TEXT NOT NULL,
        customer_phone TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        -- created_at as epoch ms: ISO strings with offsets do not compare as text
        created_at_ms INTEGER NOT NULL,
        total_amount INTEGER NOT NULL,
        currency TEXT NOT NULL,
        item_count INTEGER NOT NULL,
        first_item_title TEXT NOT NULL,
        UNIQUE (platform, platform_order_id)
      );
      CREATE INDEX orders_customer_id ON orders (customer_id);
      CREATE INDEX orders_customer_name_key ON orders (customer_name_key);
      -- (status, seq): a newest-first walk per status, bounded by the page size.
      CREATE INDEX orders_status ON orders (status);

      -- The full normalised Order (JSON, ~2 KB), kept apart so that orders rows stay small and
      -- a filtered newest-first walk reads a few pages, not every order's document.
      CREATE TABLE order_documents (
        seq INTEGER PRIMARY KEY REFERENCES orders (seq) ON DELETE CASCADE,
        order_json TEXT NOT NULL
      );

      -- Contentless: the text lives in orders; the FTS rowid is orders.seq.
      -- contentless_delete lets a later update replace an order's row.
      CREATE VIRTUAL TABLE orders_fts USING fts5 (
        display_number, customer_name, phone_digits, item_titles,
        content = '', contentless_delete = 1, tokenize = 'trigram'
      );
    `,
  },
  {
    version: 2,
    name: 'users and meta',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];
