import type { SqliteDatabase } from '../db/open-database';
import type { AuditKeyLookup } from '../keys/key-ring';
import { checkpointSignatureProblem, type AuditCheckpoint } from './audit-checkpoint';
import { GENESIS_HASH, keyedAuditRowHash, plainAuditRowHash, type AuditRowFields } from './audit-hash';

export interface AuditVerification {
  ok: boolean;
  /** Rows checked (all of them when ok). */
  rows: number;
  /** The first row that does not fit the chain (or is missing). */
  firstBadSeq?: number;
  reason?: string;
  /** The last row's hash. */
  headHash?: string;
  /** Whether the triggers refusing UPDATE and DELETE are still there. */
  triggersIntact: boolean;
}

/** An audit_log row as stored. */
export interface StoredAuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  details_json: string;
  prev_hash: string;
  hash: string;
  key_id: string | null;
}

/**
 * Walks the audit chain oldest first: seqs must run 1, 2, 3, ... with no gap, every prev_hash
 * must be the previous row's hash, and every keyed row's MAC must match its fields under the
 * audit key it names. Rows from before audit keys (key_id NULL, plain SHA-256) are accepted only
 * at the start of the log and up to the checkpoint: the first keyed row's MAC covers them
 * through its prev_hash. With a checkpoint, its MAC must hold and the log must reach its seq with
 * its hash there, so a removed tail or a re-chained log fails. Names the first row that fails.
 */
export function verifyAudit(
  db: SqliteDatabase,
  keys: AuditKeyLookup,
  checkpoint: AuditCheckpoint | null = null,
): AuditVerification {
  const triggers = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ('audit_log_no_update', 'audit_log_no_delete')",
    )
    .all();
  const triggersIntact = triggers.length === 2;
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('audit_log')").all();
  if (columns.length === 0)
    return { ok: false, rows: 0, reason: 'this database has no audit log', triggersIntact };
  const checkpointProblem = checkpoint && checkpointSignatureProblem(checkpoint, keys);
  if (checkpointProblem) return { ok: false, rows: 0, reason: checkpointProblem, triggersIntact };

  // A database the keyed gateway never opened has no key_id column: all its rows are plain.
  const keyIdColumn = columns.some((column) => column.name === 'key_id') ? 'key_id' : 'NULL AS key_id';
  const select = db.prepare<[], StoredAuditRow>(
    `SELECT seq, at, actor, action, target, details_json, prev_hash, hash, ${keyIdColumn} FROM audit_log ORDER BY seq`,
  );
  let rows = 0;
  let prevHash = GENESIS_HASH;
  let keyedSeen = false;
  for (const row of select.iterate()) {
    const problem = rowProblem(row, { expectedSeq: rows + 1, prevHash, keyedSeen, keys, checkpoint });
    if (problem) return { ok: false, rows, firstBadSeq: row.seq, reason: problem, triggersIntact };
    rows += 1;
    prevHash = row.hash;
    keyedSeen ||= row.key_id !== null;
  }
  if (checkpoint && rows < checkpoint.seq) {
    return {
      ok: false,
      rows,
      firstBadSeq: rows + 1,
      reason: `the log ends at seq ${rows} but the checkpoint of ${checkpoint.at} saw seq ${checkpoint.seq}: rows were removed from the end`,
      triggersIntact,
    };
  }
  return { ok: true, rows, ...(rows > 0 ? { headHash: prevHash } : {}), triggersIntact };
}

function rowProblem(
  row: StoredAuditRow,
  chain: {
    expectedSeq: number;
    prevHash: string;
    keyedSeen: boolean;
    keys: AuditKeyLookup;
    checkpoint: AuditCheckpoint | null;
  },
): string | null {
  if (row.seq !== chain.expectedSeq)
    return `expected seq ${chain.expectedSeq}: rows are missing before this one`;
  if (row.prev_hash !== chain.prevHash) return 'prev_hash does not match the previous row';
  const fields = auditRowFields(row);
  if (row.key_id === null) {
    // Anyone can compute a plain hash: such a row is only believable before the keyed ones, and
    // every gateway that writes checkpoints writes keyed rows.
    if (chain.keyedSeen)
      return 'an unkeyed row after keyed rows: the log was rewritten without the audit key';
    if (chain.checkpoint && row.seq > chain.checkpoint.seq) {
      return 'an unkeyed row after the checkpoint: the log was rewritten without the audit key';
    }
    if (plainAuditRowHash(fields) !== row.hash)
      return 'the row was changed after it was written (hash mismatch)';
  } else {
    const key = chain.keys.auditKey(row.key_id);
    if (!key) return `signed with audit key ${row.key_id}, which the key file does not have`;
    if (keyedAuditRowHash(fields, key) !== row.hash) {
      return 'the row was changed after it was written (MAC mismatch)';
    }
  }
  if (chain.checkpoint && row.seq === chain.checkpoint.seq && row.hash !== chain.checkpoint.hash) {
    return `the row differs from the checkpoint of ${chain.checkpoint.at}: the log was rewritten`;
  }
  return null;
}

/** What a stored row's hash covers (besides the key): its fields and the previous row's hash. */
export function auditRowFields(row: StoredAuditRow): AuditRowFields {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    detailsJson: row.details_json,
    prevHash: row.prev_hash,
  };
}
