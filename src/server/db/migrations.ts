import { backfillAbnormalRows } from '../orders/sqlite-abnormal-rows';
import { backfillPhoneDigits, rebuildOrderSearchIndex } from '../orders/sqlite-search-index';
import type { SqliteDatabase } from './open-database';

/**
 * Numbered schema migrations, applied in order. `PRAGMA user_version` records the last one
 * applied. Never edit a migration that has shipped: append a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Runs after `sql` in the same transaction, for data that SQL alone cannot derive. */
  backfill?: (db: SqliteDatabase) => void;
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
  {
    version: 3,
    name: 'events',
    sql: `
      -- The durable order event log. AUTOINCREMENT: a seq is never reused, even after retention
      -- deletes the oldest rows, so a client's "last applied seq" always means the same event.
      -- Single writer, rolled-back inserts restore the counter: seqs have no gaps.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        -- at and order_id are copies from the event, for operators reading the table.
        at TEXT NOT NULL,
        order_id TEXT NOT NULL,
        -- The OrderEvent without its seq (the row's seq is the one truth).
        event_json TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'actions and audit',
    sql: `
      -- Agent actions by (user, idempotency key). The first attempt inserts 'pending'; its
      -- outcome (an ActionResult or a final error) is stored once and replayed to every retry.
      -- request_hash: a retry with the same key but a different request is refused.
      CREATE TABLE action_requests (
        user_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        order_id TEXT NOT NULL,
        expected_version INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
        outcome_json TEXT,
        created_at TEXT NOT NULL,
        completed_at TEXT,
        PRIMARY KEY (user_id, idempotency_key)
      ) WITHOUT ROWID;

      -- Actions above the agent's limit, waiting for a supervisor. The order is untouched until
      -- one decides.
      CREATE TABLE approvals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id TEXT NOT NULL,
        order_version INTEGER NOT NULL,
        action_type TEXT NOT NULL,
        action_json TEXT NOT NULL,
        amount INTEGER,
        currency TEXT,
        reasons_json TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_by TEXT,
        decided_at TEXT
      );
      CREATE INDEX approvals_status ON approvals (status, id);
      CREATE INDEX approvals_order ON approvals (order_id);

      -- Hash-chained record of sensitive operations (see src/server/audit). seq is assigned by
      -- the writer (previous + 1), never by SQLite, so a gap means a removed row.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        details_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
  {
    version: 5,
    name: 'platforms and refresh tokens',
    sql: `
      -- Webhook deliveries already applied, by the platform's delivery id: a retried delivery
      -- changes nothing. Pruned by age (received_at_ms) as new ones arrive.
      CREATE TABLE webhook_deliveries (
        platform TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        received_at_ms INTEGER NOT NULL,
        PRIMARY KEY (platform, delivery_id)
      ) WITHOUT ROWID;
      CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at_ms);

      -- One row per sign-in: every refresh token rotated from the login's belongs to it, and
      -- revoking it (sign-out, a refresh token used twice) ends them all.
      CREATE TABLE refresh_token_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at_ms INTEGER NOT NULL,
        revoked_at_ms INTEGER,
        revoked_reason TEXT
      );
      -- Only the SHA-256 of a token is kept: a copy of the database cannot sign anyone in.
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_token_families (id) ON DELETE CASCADE,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        used_at_ms INTEGER
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at_ms);
    `,
  },
  {
    version: 6,
    name: 'abnormal orders',
    sql: `
      -- One row per current abnormality of an order (src/shared/abnormal.ts), rewritten with the
      -- order on every write: the abnormal-orders queue reads this small table, never the orders.
      CREATE TABLE order_abnormalities (
        seq INTEGER NOT NULL REFERENCES orders (seq) ON DELETE CASCADE,
        type TEXT NOT NULL,
        since_ms INTEGER NOT NULL,
        platform TEXT NOT NULL,
        -- 1 on the order's longest-standing abnormality: the all-types list shows each order once.
        is_primary INTEGER NOT NULL,
        PRIMARY KEY (seq, type)
      ) WITHOUT ROWID;
      CREATE INDEX order_abnormalities_type ON order_abnormalities (type, since_ms, seq);
      CREATE INDEX order_abnormalities_primary ON order_abnormalities (since_ms, seq) WHERE is_primary = 1;
    `,
    backfill: backfillAbnormalRows,
  },
  {
    version: 7,
    name: 'actions linked to calls',
    sql: `
      -- The call (SIP Call-ID) an agent action was taken in: the action's link to the conversation.
      ALTER TABLE action_requests ADD COLUMN interaction_id TEXT;
    `,
  },
  {
    version: 8,
    name: 'role views and approval decisions',
    sql: `
      -- Each role's workspace view as an admin saved it (src/shared/role-views.ts); a role
      -- without a row uses the built-in default (version 0).
      CREATE TABLE role_views (
        role TEXT PRIMARY KEY,
        layout_json TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      ) WITHOUT ROWID;

      -- Approvals gain the decision: 'failed' (approved, but the order no longer allowed the
      -- action), the reason, and the event of the applied action. SQLite cannot change a CHECK,
      -- so the table is rebuilt.
      CREATE TABLE approvals_v8 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id TEXT NOT NULL,
        order_version INTEGER NOT NULL,
        action_type TEXT NOT NULL,
        action_json TEXT NOT NULL,
        amount INTEGER,
        currency TEXT,
        reasons_json TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'approved', 'rejected', 'failed')),
        decided_by TEXT,
        decided_at TEXT,
        decision_reason TEXT,
        event_seq INTEGER
      );
      INSERT INTO approvals_v8 (id, order_id, order_version, action_type, action_json, amount,
        currency, reasons_json, requested_by, idempotency_key, requested_at, status, decided_by,
        decided_at)
      SELECT id, order_id, order_version, action_type, action_json, amount, currency,
        reasons_json, requested_by, idempotency_key, requested_at, status, decided_by, decided_at
      FROM approvals;
      DROP TABLE approvals;
      ALTER TABLE approvals_v8 RENAME TO approvals;
      CREATE INDEX approvals_status ON approvals (status, id);
      CREATE INDEX approvals_order ON approvals (order_id);
    `,
  },
  {
    version: 9,
    name: 'status, platform and week in the search index',
    sql: `
      -- The trigram index gains each order's status, platform and creation week as one-trigram
      -- tokens (src/server/orders/search-filter-tokens.ts): a text search filtered by a rare
      -- status or a past date range is an intersection of posting lists inside FTS5, not a walk
      -- over every text match. An FTS5 table cannot gain a column, so it is rebuilt from the
      -- orders and their documents.
      DROP TABLE orders_fts;
      CREATE VIRTUAL TABLE orders_fts USING fts5 (
        display_number, customer_name, phone_digits, item_titles, status_key, platform_key,
        created_key,
        content = '', contentless_delete = 1, tokenize = 'trigram'
      );
    `,
    backfill: rebuildOrderSearchIndex,
  },
  {
    version: 10,
    name: 'exact phone lookups',
    sql: `
      -- The customer phone's digits, for the lookups a role that sees phones masked may make:
      -- the last 4 digits or the whole number, both exact (src/server/orders/search-plan.ts).
      -- The trigram index matches any part of a number, which would let such a role recover the
      -- digits its mask hides one at a time. The backfill fills the column, then indexes the
      -- number and its last 4 digits (after the fill: cheaper than keeping indexes up meanwhile).
      ALTER TABLE orders ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';
    `,
    backfill: backfillPhoneDigits,
  },
  {
    version: 11,
    name: 'refresh retries',
    sql: `
      -- What a used refresh token was traded for. A desk whose refresh answer was lost (the
      -- connection dropped) presents the used token again within seconds: if what it was traded
      -- for was never used, that is a retry, not a stolen token (src/server/auth/auth-service.ts).
      ALTER TABLE refresh_tokens ADD COLUMN replaced_by TEXT;
    `,
  },
  {
    version: 12,
    name: 'signing keys outside the database',
    sql: `
      -- The token signing key now comes from a key file or the environment (src/server/keys), so
      -- that a copy of this file signs nothing: the old one goes. Tokens it signed stop working
      -- (refresh tokens, only hashed here, still do).
      DELETE FROM meta WHERE key = 'token_secret';
      -- The audit key a row's hash (an HMAC) was made with; NULL for rows written before audit
      -- keys, whose hash is a plain SHA-256 (src/server/audit/verify-audit.ts).
      ALTER TABLE audit_log ADD COLUMN key_id TEXT;
    `,
  },
  {
    version: 13,
    name: 'platform snapshot times',
    sql: `
      -- Per platform order, the platform's own updated_at (epoch ms) of the newest full snapshot
      -- the gateway applied: an older snapshot delivered later is recorded and ignored instead of
      -- rolling the order back. Beside the orders rather than in them: it is the webhooks'
      -- bookkeeping, keyed by the platform's id, and updated in the same transaction as the order.
      CREATE TABLE platform_order_snapshots (
        platform TEXT NOT NULL,
        platform_order_id TEXT NOT NULL,
        platform_updated_at_ms INTEGER NOT NULL,
        PRIMARY KEY (platform, platform_order_id)
      ) WITHOUT ROWID;
    `,
  },
];
