import type Database from 'better-sqlite3';
import type { ColumnCipher } from '../cache/column-cipher';

/**
 * Numbered migrations of the desk's call history database. `PRAGMA user_version` records the
 * last one applied. Never edit a migration that has shipped: append a new one.
 *
 * From version 4 nothing personal is stored in clear: the caller's number and name, the wrap-up
 * note and the saved summary are AES-GCM sealed (sealedColumn). The SIP Call-ID (a random token
 * from the phone or PBX), direction, times, outcome, disposition and order references (public,
 * see FIELD_CLASSIFICATION) stay in clear for the index paths and the wrap-up conditions.
 */
export interface Migration {
  version: number;
  sql: string;
  /** Runs after `sql`, in the same transaction: moves values that must be sealed in code. */
  apply?: (context: MigrationContext) => void;
}

export interface MigrationContext {
  db: Database.Database;
  cipher: ColumnCipher;
}

export type SealedColumn = 'number' | 'name' | 'note' | 'summary';

/**
 * The associated data a sealed value is bound to: its column and call, so that a value copied
 * into another row or column fails to open instead of showing another caller.
 */
export const sealedColumn = (column: SealedColumn, callId: string): string => `calls.${column}:${callId}`;

/** A value sealed to the key check row: opening it proves the data key is the one the rows were sealed with. */
export const KEY_CHECK_CONTEXT = 'call_history.key_check';
export const KEY_CHECK_PLAIN = 'agent-desk call history';

interface ClearCallRow {
  call_id: string;
  number: string;
  name: string;
  note: string | null;
  summary_json: string | null;
}

export const CALL_HISTORY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE calls (
        call_id TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        number TEXT NOT NULL,
        name TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_seconds INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        order_id TEXT,
        disposition TEXT,
        note TEXT
      );
      CREATE INDEX calls_started_at ON calls (started_at DESC);
    `,
  },
  {
    version: 2,
    sql: `
      -- The wrap-up summary the agent saved (CallSummary as JSON: the orders and actions kept).
      ALTER TABLE calls ADD COLUMN summary_json TEXT;
      -- Actions taken during a call or its after-call work. No foreign key: an action taken
      -- while the call is still on is recorded before the call's row exists.
      CREATE TABLE call_actions (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL,
        at TEXT NOT NULL,
        order_id TEXT NOT NULL,
        display_number TEXT NOT NULL,
        type TEXT NOT NULL,
        outcome TEXT NOT NULL
      );
      CREATE INDEX call_actions_call ON call_actions (call_id, id);
    `,
  },
  {
    version: 3,
    sql: `
      -- 1: the wrap-up was saved by the desk when after-call work ended without a save.
      ALTER TABLE calls ADD COLUMN wrap_up_auto_saved INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 4,
    sql: `
      -- Personal columns sealed (iv | tag | ciphertext, see ColumnCipher). The clear table is
      -- copied row by row in apply() and dropped; the store then scrubs the file (VACUUM).
      DROP INDEX calls_started_at;
      ALTER TABLE calls RENAME TO calls_clear;
      CREATE TABLE calls (
        call_id TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        started_at TEXT NOT NULL,
        duration_seconds INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        order_id TEXT,
        disposition TEXT,
        wrap_up_auto_saved INTEGER NOT NULL DEFAULT 0,
        number BLOB NOT NULL,
        name BLOB NOT NULL,
        -- NULL: no note, no summary saved.
        note BLOB,
        summary BLOB
      );
      CREATE INDEX calls_started_at ON calls (started_at DESC);
      CREATE TABLE key_check (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        sealed BLOB NOT NULL
      );
    `,
    apply: ({ db, cipher }) => {
      db.prepare('INSERT INTO key_check (id, sealed) VALUES (1, ?)').run(
        cipher.seal(KEY_CHECK_PLAIN, KEY_CHECK_CONTEXT),
      );
      const insert = db.prepare(
        `INSERT INTO calls (call_id, direction, started_at, duration_seconds, outcome, order_id,
           disposition, wrap_up_auto_saved, number, name, note, summary)
         SELECT call_id, direction, started_at, duration_seconds, outcome, order_id,
           disposition, wrap_up_auto_saved, @number, @name, @note, @summary
         FROM calls_clear WHERE call_id = @callId`,
      );
      const rows = db
        .prepare('SELECT call_id, number, name, note, summary_json FROM calls_clear')
        .all() as ClearCallRow[];
      const seal = (column: SealedColumn, callId: string, value: string | null) =>
        value === null ? null : cipher.seal(value, sealedColumn(column, callId));
      for (const row of rows) {
        insert.run({
          callId: row.call_id,
          number: seal('number', row.call_id, row.number),
          name: seal('name', row.call_id, row.name),
          note: seal('note', row.call_id, row.note),
          summary: seal('summary', row.call_id, row.summary_json),
        });
      }
      db.exec('DROP TABLE calls_clear');
    },
  },
];
