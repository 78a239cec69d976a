import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database';
import type { AuditKeys } from '../keys/key-ring';
import { GENESIS_HASH, keyedAuditRowHash } from './audit-hash';
import type { AuditEntry, AuditLog, AuditRecord } from './audit-log';
import { canonicalJson } from './canonical-json';

/** AuditLog in the gateway's SQLite file (table audit_log, append-only by trigger). */
export class SqliteAuditLog implements AuditLog<SqliteDatabase> {
  private readonly selectHead: Statement<[], { seq: number; hash: string }>;
  private readonly insert: Statement;

  constructor(
    private readonly db: SqliteDatabase,
    /** Read at every append: a reloaded key file's new audit key signs the next row. */
    private readonly keys: AuditKeys,
    private readonly now: () => number = Date.now,
  ) {
    this.selectHead = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(`
      INSERT INTO audit_log (seq, at, actor, action, target, details_json, prev_hash, hash, key_id)
      VALUES (@seq, @at, @actor, @action, @target, @detailsJson, @prevHash, @hash, @keyId)`);
  }

  /** Must run inside a transaction on this database: the head read and the insert are one step. */
  append(transaction: SqliteDatabase, entry: AuditEntry): AuditRecord {
    if (transaction !== this.db || !this.db.inTransaction) {
      throw new Error('SqliteAuditLog.append needs an open transaction on its own database');
    }
    const head = this.selectHead.get();
    const fields = {
      seq: (head?.seq ?? 0) + 1,
      at: new Date(this.now()).toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      detailsJson: canonicalJson(entry.details),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const key = this.keys.currentAuditKey();
    const hash = keyedAuditRowHash(fields, key);
    this.insert.run({ ...fields, hash, keyId: key.id });
    return { ...entry, seq: fields.seq, at: fields.at, prevHash: fields.prevHash, hash };
  }

  async record(entry: AuditEntry): Promise<AuditRecord> {
    // IMMEDIATE: take the write lock before reading the head, so another process cannot
    // append the same seq in between.
    return this.db.transaction(() => this.append(this.db, entry)).immediate();
  }
}
