/**
 * Numbered migrations of the desk's order cache. `PRAGMA user_version` records the last one
 * applied. Never edit a migration that has shipped: append a new one.
 *
 * Nothing personal is stored in clear: the order document and its search summary are AES-GCM
 * sealed, the customer id and name prefixes are keyed tokens, and the FTS table indexes keyed
 * tokens of trigrams (see blind-search-text.ts), never the text itself.
 */
export interface Migration {
  version: number;
  sql: string;
}

export const ORDER_CACHE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      -- seq is local: created_at in ms * 1000 plus a tiebreak, so "newest first" is a walk of
      -- the primary key (and of the FTS rowid) however late an order reached the cache.
      CREATE TABLE orders (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        display_number TEXT NOT NULL,
        customer_key TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        cached_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL,
        name_prefix1 TEXT,
        name_prefix2 TEXT,
        search_hash TEXT NOT NULL,
        summary BLOB NOT NULL,
        document BLOB NOT NULL
      );
      CREATE INDEX orders_customer_key ON orders (customer_key);
      CREATE INDEX orders_last_used_at ON orders (last_used_at);
      CREATE INDEX orders_name_prefix1 ON orders (name_prefix1);
      CREATE INDEX orders_name_prefix2 ON orders (name_prefix2);
      -- Tokens are hex strings, so the ascii tokenizer splits them exactly as written.
      CREATE VIRTUAL TABLE orders_fts USING fts5 (
        display_number, customer_name, phone_digits, item_titles,
        content = '', contentless_delete = 1, tokenize = 'ascii'
      );
      CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_seq INTEGER NOT NULL
      );
      INSERT INTO sync_state (id, last_seq) VALUES (1, 0);
    `,
  },
  {
    version: 2,
    sql: `
      -- Offline action requests, replayed in position order (src/main/services/outbox).
      CREATE TABLE outbox (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        request BLOB NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'conflict', 'rejected')),
        reason TEXT,
        enqueued_at INTEGER NOT NULL,
        settled_at INTEGER
      );
      CREATE INDEX outbox_status ON outbox (status, position);
    `,
  },
];
