import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CallSummary,
  type AutoSavedWrapUp,
  type CallAction,
  type CallActionRecord,
  type CallDispositionUpdate,
  type CallRecord,
  type NewCallRecord,
} from '../../../shared/call-history';
import { DeskError } from '../../../shared/errors';
import { CALL_HISTORY_MIGRATIONS } from './call-history-migrations';

export interface CallHistoryStoreOptions {
  /**
   * better-sqlite3's compiled addon to load instead of the default one. In Electron the main
   * process needs a build for Electron's ABI (AGENT_DESK_SQLITE_BINDING points at it), while
   * tests under Node keep using the Node build.
   */
  nativeBinding?: string;
}

interface CallRow {
  call_id: string;
  direction: CallRecord['direction'];
  number: string;
  name: string;
  started_at: string;
  duration_seconds: number;
  outcome: CallRecord['outcome'];
  order_id: string | null;
  disposition: CallRecord['disposition'];
  note: string | null;
  summary_json: string | null;
  wrap_up_auto_saved: 0 | 1;
}

interface CallActionRow {
  at: string;
  order_id: string;
  display_number: string;
  type: string;
  outcome: CallAction['outcome'];
}

/** A stored summary that no longer parses (a newer app wrote it) reads as none. */
const parseSummary = (json: string | null): CallSummary | null => {
  if (json === null) return null;
  const parsed = CallSummary.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
};

const toRecord = (row: CallRow, actions: CallAction[]): CallRecord => ({
  callId: row.call_id,
  direction: row.direction,
  number: row.number,
  name: row.name,
  startedAt: row.started_at,
  durationSeconds: row.duration_seconds,
  outcome: row.outcome,
  orderId: row.order_id,
  disposition: row.disposition,
  note: row.note,
  actions,
  summary: parseSummary(row.summary_json),
  autoSaved: row.wrap_up_auto_saved === 1,
});

/**
 * The agent's call history in SQLite (WAL, numbered migrations). Calls are small and few, so the
 * synchronous driver's writes (well under a millisecond) stay on the main process.
 */
export class CallHistoryStore {
  private readonly db: Database.Database;

  constructor(path: string, options: CallHistoryStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.migrate();
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Records a finished call; recording the same Call-ID again updates it (keeps the disposition). */
  record(call: NewCallRecord): CallRecord {
    this.db
      .prepare(
        `INSERT INTO calls (call_id, direction, number, name, started_at, duration_seconds, outcome, order_id)
         VALUES (@callId, @direction, @number, @name, @startedAt, @durationSeconds, @outcome, @orderId)
         ON CONFLICT (call_id) DO UPDATE SET
           direction = excluded.direction, number = excluded.number, name = excluded.name,
           started_at = excluded.started_at, duration_seconds = excluded.duration_seconds,
           outcome = excluded.outcome, order_id = excluded.order_id`,
      )
      .run(call);
    return this.get(call.callId)!;
  }

  setDisposition({ callId, disposition, note, summary }: CallDispositionUpdate): CallRecord {
    const result = summary
      ? this.db
          .prepare(
            'UPDATE calls SET disposition = ?, note = ?, summary_json = ?, wrap_up_auto_saved = 0 WHERE call_id = ?',
          )
          .run(disposition, note, JSON.stringify(summary), callId)
      : this.db
          .prepare('UPDATE calls SET disposition = ?, note = ?, wrap_up_auto_saved = 0 WHERE call_id = ?')
          .run(disposition, note, callId);
    if (result.changes === 0) throw new DeskError('NOT_FOUND', `No call ${callId} in the history`);
    return this.get(callId)!;
  }

  /**
   * Saves the wrap-up as it stood when after-call work ended without a save. Only a call with no
   * wrap-up saved yet takes it, so it lands once however often the desk asks.
   */
  autoSaveWrapUp({ callId, disposition, note, summary }: AutoSavedWrapUp): CallRecord {
    this.db
      .prepare(
        `UPDATE calls SET disposition = ?, note = ?, summary_json = ?, wrap_up_auto_saved = 1
         WHERE call_id = ? AND disposition IS NULL AND summary_json IS NULL AND wrap_up_auto_saved = 0`,
      )
      .run(disposition, note, summary ? JSON.stringify(summary) : null, callId);
    const record = this.get(callId);
    if (!record) throw new DeskError('NOT_FOUND', `No call ${callId} in the history`);
    return record;
  }

  /** Adds an action to a call's record; the call's row may come later (the call is still on). */
  addAction({ callId, action }: CallActionRecord): void {
    this.db
      .prepare(
        `INSERT INTO call_actions (call_id, at, order_id, display_number, type, outcome)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(callId, action.at, action.orderId, action.displayNumber, action.type, action.outcome);
  }

  get(callId: string): CallRecord | null {
    const row = this.db.prepare('SELECT * FROM calls WHERE call_id = ?').get(callId) as CallRow | undefined;
    return row ? toRecord(row, this.actionsOf(row.call_id)) : null;
  }

  /** Newest first. */
  recent(limit: number): CallRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM calls ORDER BY started_at DESC LIMIT ?')
      .all(limit) as CallRow[];
    return rows.map((row) => toRecord(row, this.actionsOf(row.call_id)));
  }

  private actionsOf(callId: string): CallAction[] {
    const rows = this.db
      .prepare(
        'SELECT at, order_id, display_number, type, outcome FROM call_actions WHERE call_id = ? ORDER BY id',
      )
      .all(callId) as CallActionRow[];
    return rows.map((row) => ({
      orderId: row.order_id,
      displayNumber: row.display_number,
      type: row.type,
      outcome: row.outcome,
      at: row.at,
    }));
  }

  close(): void {
    this.db.close();
  }

  private migrate(): void {
    const current = this.schemaVersion;
    const latest = CALL_HISTORY_MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new DeskError('INTERNAL', `Call history schema ${current} is newer than this app (${latest})`);
    }
    for (const migration of CALL_HISTORY_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db.pragma(`user_version = ${migration.version}`);
      })();
    }
  }
}
