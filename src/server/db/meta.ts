import type { SqliteDatabase } from './open-database';

/**
 * Reads a value from the meta table, creating it with `create()` on first use. The insert is
 * "OR IGNORE" then re-read, so two processes racing on a fresh file agree on one value.
 */
export function getOrCreateMetaValue(db: SqliteDatabase, key: string, create: () => string): string {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const existing = select.get(key);
  if (existing) return existing.value;
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, create());
  return select.get(key)!.value;
}
