/**
 * Numbered migrations of the desk's call history database. `PRAGMA user_version` records the
 * last one applied. Never edit a migration that has shipped: append a new one.
 */
export interface Migration {
  version: number;
  sql: string;
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
];
