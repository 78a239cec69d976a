import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database';
import type { AuditLog } from '../audit/audit-log';
import type {
  ActionEffects,
  ActionRecords,
  ActionRequestKey,
  ActionRequestRecord,
  StoredOutcome,
} from './action-records';
import { SqliteApprovals } from './sqlite-approvals';

interface ActionRequestRow {
  user_id: string;
  idempotency_key: string;
  request_hash: string;
  order_id: string;
  expected_version: number;
  interaction_id: string | null;
  outcome_json: string | null;
}

/**
 * ActionRecords in the gateway's SQLite file. The primary key (user_id, idempotency_key) is
 * what makes a key claimable once, even by two processes on the same file.
 */
export class SqliteActionRecords implements ActionRecords {
  private readonly select: Statement<[string, string], ActionRequestRow>;
  private readonly insert: Statement;
  private readonly remove: Statement;
  private readonly complete: Statement;
  private readonly setOutcome: Statement;
  private readonly approvals: SqliteApprovals;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly audit: AuditLog<SqliteDatabase>,
  ) {
    this.select = db.prepare(`
      SELECT user_id, idempotency_key, request_hash, order_id, expected_version, interaction_id,
        outcome_json
      FROM action_requests WHERE user_id = ? AND idempotency_key = ?`);
    this.insert = db.prepare(`
      INSERT OR IGNORE INTO action_requests
        (user_id, idempotency_key, request_hash, order_id, expected_version, interaction_id, state,
         created_at)
      VALUES (@userId, @idempotencyKey, @requestHash, @orderId, @expectedVersion, @interactionId,
        'pending', @at)`);
    this.remove = db.prepare(
      "DELETE FROM action_requests WHERE user_id = ? AND idempotency_key = ? AND state = 'pending'",
    );
    this.complete = db.prepare(`
      UPDATE action_requests SET state = 'done', outcome_json = @outcomeJson, completed_at = @at
      WHERE user_id = @userId AND idempotency_key = @idempotencyKey AND state = 'pending'`);
    this.setOutcome = db.prepare(`
      UPDATE action_requests SET outcome_json = @outcomeJson
      WHERE user_id = @userId AND idempotency_key = @idempotencyKey`);
    this.approvals = new SqliteApprovals(db);
  }

  async find({ userId, idempotencyKey }: ActionRequestKey): Promise<ActionRequestRecord | null> {
    const row = this.select.get(userId, idempotencyKey);
    if (!row) return null;
    return {
      userId: row.user_id,
      idempotencyKey: row.idempotency_key,
      requestHash: row.request_hash,
      orderId: row.order_id,
      expectedVersion: row.expected_version,
      interactionId: row.interaction_id,
      // Written by finish() from a validated ActionResult or ErrorInfo.
      outcome: row.outcome_json === null ? null : (JSON.parse(row.outcome_json) as StoredOutcome),
    };
  }

  async claim(record: Omit<ActionRequestRecord, 'outcome'>, at: string): Promise<boolean> {
    return this.insert.run({ ...record, interactionId: record.interactionId ?? null, at }).changes === 1;
  }

  async release({ userId, idempotencyKey }: ActionRequestKey): Promise<void> {
    this.remove.run(userId, idempotencyKey);
  }

  async finish(
    key: ActionRequestKey,
    outcome: StoredOutcome,
    effects: ActionEffects,
    at: string,
  ): Promise<boolean> {
    return this.db.transaction(() => this.finishInTransaction(key, outcome, effects, at)).immediate();
  }

  finishInTransaction(
    key: ActionRequestKey,
    outcome: StoredOutcome,
    effects: ActionEffects,
    at: string,
  ): boolean {
    if (!this.db.inTransaction) throw new Error('finishInTransaction needs an open transaction');
    // Completing first: if someone else finished this key, nothing else is written.
    const { changes } = this.complete.run({ ...key, outcomeJson: JSON.stringify(outcome), at });
    if (changes !== 1) return false;
    const approvalId = effects.approval ? this.approvals.add(effects.approval) : null;
    // A pending approval's result names it, for the agent and every retry.
    if (approvalId !== null && outcome.ok) {
      const withApproval = { ok: true, result: { ...outcome.result, approvalId } };
      this.setOutcome.run({ ...key, outcomeJson: JSON.stringify(withApproval) });
    }
    for (const entry of effects.audit(approvalId)) this.audit.append(this.db, entry);
    return true;
  }
}
