import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database';
import type { NewApproval } from './action-records';

/**
 * Approvals waiting for a supervisor (table approvals). Only adding exists so far: the
 * supervisor's approval flow comes later.
 */
export class SqliteApprovals {
  private readonly insert: Statement;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(`
      INSERT INTO approvals (order_id, order_version, action_type, action_json, amount, currency,
        reasons_json, requested_by, idempotency_key, requested_at, status)
      VALUES (@orderId, @orderVersion, @actionType, @actionJson, @amount, @currency,
        @reasonsJson, @requestedBy, @idempotencyKey, @requestedAt, 'pending')`);
  }

  /** Adds a pending approval; call inside the caller's transaction. Returns its id. */
  add(approval: NewApproval): number {
    const info = this.insert.run({
      orderId: approval.orderId,
      orderVersion: approval.orderVersion,
      actionType: approval.action.type,
      actionJson: JSON.stringify(approval.action),
      amount: approval.amount?.amount ?? null,
      currency: approval.amount?.currency ?? null,
      reasonsJson: JSON.stringify(approval.reasons),
      requestedBy: approval.requestedBy,
      idempotencyKey: approval.idempotencyKey,
      requestedAt: approval.requestedAt,
    });
    return Number(info.lastInsertRowid);
  }
}
