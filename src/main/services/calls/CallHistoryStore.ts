import { hkdfSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
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
import { ColumnCipher } from '../cache/column-cipher';
import {
  CALL_HISTORY_MIGRATIONS,
  KEY_CHECK_CONTEXT,
  KEY_CHECK_PLAIN,
  sealedColumn,
  type SealedColumn,
} from './call-history-migrations';

export interface CallHistoryStoreOptions {
  /** 32 bytes, unwrapped from the OS keychain (see CallHistory); seals the personal columns. */
  dataKey: Uint8Array;
  /**
   * better-sqlite3's compiled addon to load instead of the default one. In Electron the main
   * process needs a build for Electron's ABI (AGENT_DESK_SQLITE_BINDING points at it), while
   * tests under Node keep using the Node build.
   */
  nativeBinding?: string;
}

/** The file's rows were sealed with another data key (the key was lost or replaced): unreadable. */
export class CallHistoryKeyMismatch extends Error {
  constructor() {
    super('The call history was sealed with another data key');
    this.name = 'CallHistoryKeyMismatch';
  }
}

interface CallRow {
  call_id: string;
  direction: CallRecord['direction'];
  started_at: string;
  duration_seconds: number;
  outcome: CallRecord['outcome'];
  order_id: string | null;
  disposition: CallRecord['disposition'];
  wrap_up_auto_saved: 0 | 1;
  number: Buffer;
  name: Buffer;
  note: Buffer | null;
  summary: Buffer | null;
}

interface CallActionRow {
  at: string;
  order_id: string;
  display_number: string;
  type: string;
  outcome: CallAction['outcome'];
}

/** A key of its own for the columns, derived from the data key (as the order cache derives its keys). */
const columnKey = (dataKey: Uint8Array): Buffer =>
  Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'agent-desk call history: columns', 32));

/** A stored summary that no longer parses (a newer app wrote it) reads as none. */
const parseSummary = (json: string | null): CallSummary | null => {
  if (json === null) return null;
  const parsed = CallSummary.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
};

/**
 * The agent's call history in SQLite (WAL, numbered migrations), the caller's number and name,
 * the note and the summary sealed with AES-GCM. Calls are small and few, so the synchronous
 * driver's writes (well under a millisecond) stay on the main process.
 */
export class CallHistoryStore {
  private readonly db: Database.Database;
  private readonly cipher: ColumnCipher;
  /** Prepared once: the history screen reads up to 500 calls, each with its actions. */
  private readonly reads: {
    call: Statement<[string], CallRow>;
    recent: Statement<[number], CallRow>;
    actions: Statement<[string], CallActionRow>;
  };

  constructor(path: string, options: CallHistoryStoreOptions) {
    this.cipher = new ColumnCipher(columnKey(options.dataKey));
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // Freed pages and overwritten cells are zeroed, so an old note's bytes do not linger.
      this.db.pragma('secure_delete = ON');
      // Statement journals and VACUUM's copy stay in memory, never in a temporary file.
      this.db.pragma('temp_store = MEMORY');
      const sealedExisting = this.migrate();
      this.checkKey();
      if (sealedExisting) this.scrub();
      this.reads = {
        call: this.db.prepare('SELECT * FROM calls WHERE call_id = ?'),
        recent: this.db.prepare('SELECT * FROM calls ORDER BY started_at DESC LIMIT ?'),
        actions: this.db.prepare(
          'SELECT at, order_id, display_number, type, outcome FROM call_actions WHERE call_id = ? ORDER BY id',
        ),
      };
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
      .run({
        ...call,
        number: this.seal('number', call.callId, call.number),
        name: this.seal('name', call.callId, call.name),
      });
    return this.get(call.callId)!;
  }

  setDisposition({ callId, disposition, note, summary }: CallDispositionUpdate): CallRecord {
    const sealedNote = this.sealNullable('note', callId, note);
    const result = summary
      ? this.db
          .prepare(
            'UPDATE calls SET disposition = ?, note = ?, summary = ?, wrap_up_auto_saved = 0 WHERE call_id = ?',
          )
          .run(disposition, sealedNote, this.seal('summary', callId, JSON.stringify(summary)), callId)
      : this.db
          .prepare('UPDATE calls SET disposition = ?, note = ?, wrap_up_auto_saved = 0 WHERE call_id = ?')
          .run(disposition, sealedNote, callId);
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
        `UPDATE calls SET disposition = ?, note = ?, summary = ?, wrap_up_auto_saved = 1
         WHERE call_id = ? AND disposition IS NULL AND summary IS NULL AND wrap_up_auto_saved = 0`,
      )
      .run(
        disposition,
        this.sealNullable('note', callId, note),
        summary ? this.seal('summary', callId, JSON.stringify(summary)) : null,
        callId,
      );
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
    const row = this.reads.call.get(callId);
    return row ? this.toRecord(row) : null;
  }

  /** Newest first. */
  recent(limit: number): CallRecord[] {
    return this.reads.recent.all(limit).map((row) => this.toRecord(row));
  }

  close(): void {
    this.db.close();
  }

  private toRecord(row: CallRow): CallRecord {
    const open = (column: SealedColumn, sealed: Buffer) =>
      this.cipher.open(sealed, sealedColumn(column, row.call_id)).toString('utf8');
    return {
      callId: row.call_id,
      direction: row.direction,
      number: open('number', row.number),
      name: open('name', row.name),
      startedAt: row.started_at,
      durationSeconds: row.duration_seconds,
      outcome: row.outcome,
      orderId: row.order_id,
      disposition: row.disposition,
      note: row.note ? open('note', row.note) : null,
      actions: this.actionsOf(row.call_id),
      summary: row.summary ? parseSummary(open('summary', row.summary)) : null,
      autoSaved: row.wrap_up_auto_saved === 1,
    };
  }

  private seal(column: SealedColumn, callId: string, value: string): Buffer {
    return this.cipher.seal(value, sealedColumn(column, callId));
  }

  private sealNullable(column: SealedColumn, callId: string, value: string | null): Buffer | null {
    return value === null ? null : this.seal(column, callId, value);
  }

  private actionsOf(callId: string): CallAction[] {
    return this.reads.actions.all(callId).map((row) => ({
      orderId: row.order_id,
      displayNumber: row.display_number,
      type: row.type,
      outcome: row.outcome,
      at: row.at,
    }));
  }

  /** Throws CallHistoryKeyMismatch unless the rows were sealed with this store's key. */
  private checkKey(): void {
    const row = this.db.prepare('SELECT sealed FROM key_check WHERE id = 1').get() as
      { sealed: Buffer } | undefined;
    try {
      if (row && this.cipher.open(row.sealed, KEY_CHECK_CONTEXT).toString('utf8') === KEY_CHECK_PLAIN) return;
    } catch {
      // GCM refused it: another key.
    }
    throw new CallHistoryKeyMismatch();
  }

  /**
   * After rows written in clear by an older desk were sealed: no clear byte may stay in the file.
   * secure_delete zeroed the dropped pages; the checkpoint moves them into the database and
   * empties the WAL; VACUUM rebuilds the file from the live (sealed) rows only.
   */
  private scrub(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Applies the pending migrations; true when rows stored in clear were sealed (see scrub). */
  private migrate(): boolean {
    const current = this.schemaVersion;
    const latest = CALL_HISTORY_MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new DeskError('INTERNAL', `Call history schema ${current} is newer than this app (${latest})`);
    }
    let sealedExisting = false;
    for (const migration of CALL_HISTORY_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        migration.apply?.({ db: this.db, cipher: this.cipher });
        this.db.pragma(`user_version = ${migration.version}`);
      })();
      if (migration.apply && current > 0) sealedExisting = true;
    }
    return sealedExisting;
  }
}
