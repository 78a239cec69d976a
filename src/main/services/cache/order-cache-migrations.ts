import type Database from 'better-sqlite3';
import type { VisibleOrderSummary as OrderSummary } from '../../../shared/visibility';

/**
 * Numbered migrations of the desk's order cache. `PRAGMA user_version` records the last one
 * applied. Never edit a migration that has shipped: append a new one.
 *
 * Nothing personal is stored in clear: the order document and its search summary are AES-GCM
 * sealed, the customer id and name prefixes are keyed tokens, and the FTS table indexes keyed
 * tokens of trigrams (see blind-search-text.ts), never the text itself. Order numbers, status,
 * platform and dates are public (FIELD_CLASSIFICATION) and stay in clear for the index paths.
 */
export interface Migration {
  version: number;
  sql: string;
  /** Fills new columns from sealed values, after `sql`, in the same transaction. */
  backfill?: (context: MigrationContext) => void;
}

export interface MigrationContext {
  db: Database.Database;
  /** An order's search summary, opened (see OrderCacheDatabase.openSummary). */
  openSummary: (row: { id: string; summary: Buffer }) => OrderSummary;
}

/** Rows per backfill step: better-sqlite3 cannot update a table while iterating it. */
const BACKFILL_BATCH = 1_000;

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
  {
    version: 3,
    sql: `
      -- Search filters as the gateway takes them: status and platform (both public). The
      -- created-date range is a range of seq, which is created_at in ms * 1000.
      ALTER TABLE orders ADD COLUMN platform TEXT;
      CREATE INDEX orders_status ON orders (status);
      -- Order numbers (public) by every suffix of 3+ characters, lower-cased in ASCII: a
      -- substring of a number is a prefix of one suffix (order-number-keys.ts). New FTS rows
      -- leave display_number empty; rows from before keep their tokens, which still match.
      CREATE TABLE order_number_suffixes (
        suffix TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (suffix, seq)
      ) WITHOUT ROWID;
      -- Suffixes by their first six characters, newest first: all matches of a six-character
      -- substring in seq order, however many and however old.
      CREATE INDEX order_number_suffixes_head ON order_number_suffixes (substr(suffix, 1, 6), seq);
      -- The numbers again as a trigram index, walked newest first, for a substring too common
      -- to sort its matches from the above (a month in "AD-2608-000123").
      CREATE VIRTUAL TABLE order_numbers_fts USING fts5 (
        display_number, content = '', contentless_delete = 1, tokenize = 'trigram'
      );
      INSERT INTO order_numbers_fts (rowid, display_number) SELECT seq, display_number FROM orders;
      WITH RECURSIVE suffixes (seq, suffix) AS (
        SELECT seq, lower(display_number) FROM orders
        UNION ALL
        SELECT seq, substr(suffix, 2) FROM suffixes WHERE length(suffix) > 3
      )
      INSERT OR IGNORE INTO order_number_suffixes (suffix, seq)
      SELECT suffix, seq FROM suffixes WHERE length(suffix) >= 3;
    `,
    backfill: ({ db, openSummary }) => {
      const select = db.prepare<[number], { seq: number; id: string; summary: Buffer }>(
        `SELECT seq, id, summary FROM orders WHERE platform IS NULL AND seq < ?
         ORDER BY seq DESC LIMIT ${BACKFILL_BATCH}`,
      );
      const update = db.prepare<[string, number]>('UPDATE orders SET platform = ? WHERE seq = ?');
      let beforeSeq = Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows = select.all(beforeSeq);
        for (const row of rows) update.run(openSummary(row).platform, row.seq);
        if (rows.length < BACKFILL_BATCH) return;
        beforeSeq = rows.at(-1)!.seq;
      }
    },
  },
  {
    version: 4,
    sql: `
      -- Phones by blind tokens of four-digit grams in a table of their own (blind-tokens.ts):
      -- their doclists are a tenth of the digit trigrams' and no longer lengthen those of text
      -- searches. New rows leave orders_fts.phone_digits empty.
      CREATE VIRTUAL TABLE phone_fts USING fts5 (
        phone_grams, content = '', contentless_delete = 1, tokenize = 'ascii'
      );
      -- Rows cached before are indexed in the background, newest first, a step at a time
      -- (OrderCacheDatabase.backfillStep): about 80 us a row (82 s at 1M), which at the default
      -- limit of 200k orders would hold the app's start for 16 s. Orders below before_seq are not in phone_fts yet; searches
      -- find their phones through the trigram tokens they still have in orders_fts.
      CREATE TABLE backfills (
        name TEXT PRIMARY KEY,
        before_seq INTEGER NOT NULL
      );
      INSERT INTO backfills (name, before_seq)
      SELECT 'phone_fts', seq + 1 FROM orders ORDER BY seq DESC LIMIT 1;
    `,
  },
];
