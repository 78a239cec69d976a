import type { SqliteDatabase } from '../db/open-database';

/**
 * Calls `onChange` soon after another process (the `users` command: a role change, a sign-out)
 * committed to the gateway's database. SQLite's data_version changes exactly when another
 * connection commits, so this costs one pragma read per interval and nothing per connection.
 * Changes made by this process are announced directly (AuthService's onSignInEnded).
 * Returns a stop function.
 */
export function watchAccountChanges(
  db: SqliteDatabase,
  intervalMs: number,
  onChange: () => void,
): () => void {
  let seen = db.pragma('data_version', { simple: true }) as number;
  const timer = setInterval(() => {
    const version = db.pragma('data_version', { simple: true }) as number;
    if (version === seen) return;
    seen = version;
    onChange();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
