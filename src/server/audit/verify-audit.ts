import type { SqliteDatabase } from '../db/open-database';
import { GENESIS_HASH, auditRowHash } from './audit-hash';

export interface AuditVerification {
  ok: boolean;
  /** Rows checked (all of them when ok). */
  rows: number;
  /** The first row that does not fit the chain. */
  firstBadSeq?: number;
  reason?: string;
  /** The last row's hash: note it somewhere else to detect a truncated tail later. */
  headHash?: string;
  /** Whether the triggers refusing UPDATE and DELETE are still there. */
  triggersIntact: boolean;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  details_json: string;
  prev_hash: string;
  hash: string;
}

/**
 * Walks the audit chain oldest first: seqs must run 1, 2, 3, ... with no gap, every prev_hash
 * must be the previous row's hash, and every hash must match the row's fields. Names the first
 * row that fails. A removed tail cannot be seen from the chain alone: compare headHash with a
 * copy kept elsewhere.
 */
export function verifyAudit(db: SqliteDatabase): AuditVerification {
  const triggers = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ('audit_log_no_update', 'audit_log_no_delete')",
    )
    .all();
  const triggersIntact = triggers.length === 2;
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")
    .get();
  if (!hasTable) return { ok: false, rows: 0, reason: 'this database has no audit log', triggersIntact };

  let rows = 0;
  let prevHash = GENESIS_HASH;
  const select = db.prepare<[], AuditRow>(
    'SELECT seq, at, actor, action, target, details_json, prev_hash, hash FROM audit_log ORDER BY seq',
  );
  for (const row of select.iterate()) {
    const bad = (reason: string): AuditVerification => ({
      ok: false,
      rows,
      firstBadSeq: row.seq,
      reason,
      triggersIntact,
    });
    const expectedSeq = rows + 1;
    if (row.seq !== expectedSeq) return bad(`expected seq ${expectedSeq}: rows are missing before this one`);
    if (row.prev_hash !== prevHash) return bad('prev_hash does not match the previous row');
    const hash = auditRowHash({
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      action: row.action,
      target: row.target,
      detailsJson: row.details_json,
      prevHash: row.prev_hash,
    });
    if (hash !== row.hash) return bad('the row was changed after it was written (hash mismatch)');
    rows += 1;
    prevHash = row.hash;
  }
  return { ok: true, rows, ...(rows > 0 ? { headHash: prevHash } : {}), triggersIntact };
}
