import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase, type SqliteDatabase } from '../../../../src/server/db/open-database';
import { LiveEvents } from '../../../../src/server/events/live-events';
import { SqliteEventLog, type SqliteEventLogOptions } from '../../../../src/server/events/sqlite-event-log';
import { SqliteOrderChanges } from '../../../../src/server/orders/sqlite-order-changes';
import { SqliteOrderStore } from '../../../../src/server/orders/sqlite-order-store';
import { makeTempDir } from './temp-dir';

/** The write path on a real SQLite file, without a gateway: store, log, live fan-out, changes. */
export interface OrderChangesFixture {
  db: SqliteDatabase;
  orders: SqliteOrderStore;
  log: SqliteEventLog;
  live: LiveEvents;
  changes: SqliteOrderChanges;
  /** The clock the changes use; tests move it. */
  clock: { nowMs: number };
  dispose(): void;
}

export function openOrderChangesFixture(
  options: SqliteEventLogOptions & { nowMs?: number } = {},
): OrderChangesFixture {
  const tempDir = makeTempDir();
  const db = openDatabase(join(tempDir.path, 'gateway.db'));
  const clock = { nowMs: options.nowMs ?? Date.parse('2026-03-01T08:00:00.000Z') };
  const log = new SqliteEventLog(db, options);
  const live = new LiveEvents(pino({ level: 'silent' }));
  return {
    db,
    orders: new SqliteOrderStore(db),
    log,
    live,
    changes: new SqliteOrderChanges(db, { log, live, now: () => clock.nowMs }),
    clock,
    dispose: () => {
      db.close();
      tempDir.remove();
    },
  };
}
