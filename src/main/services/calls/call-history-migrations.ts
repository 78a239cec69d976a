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
];
