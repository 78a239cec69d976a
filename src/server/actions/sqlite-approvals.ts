import type { Statement } from 'better-sqlite3';
import type { Money } from '../../shared/domain';
import type { ApprovalStatus } from '../../shared/protocol';
import type { OrderAction, RuleReason } from '../../shared/rules/types';
import type { SqliteDatabase } from '../db/open-database';
import type { NewApproval } from './action-records';

/** An approval as stored (user ids, not names: see ApprovalDecisions for the wire shape). */
export interface StoredApproval {
  id: number;
  orderId: string;
  displayNumber: string;
  orderVersion: number;
  action: OrderAction;
  amount: Money | null;
  reasons: RuleReason[];
  requestedBy: string;
  idempotencyKey: string;
  requestedAt: string;
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  eventSeq: number | null;
}

export interface ApprovalDecision {
  status: Exclude<ApprovalStatus, 'pending'>;
  decidedBy: string;
  decidedAt: string;
  reason: string | null;
  eventSeq: number | null;
}

interface ApprovalRow {
  id: number;
  order_id: string;
  display_number: string | null;
  order_version: number;
  action_json: string;
  amount: number | null;
  currency: string | null;
  reasons_json: string;
  requested_by: string;
  idempotency_key: string;
  requested_at: string;
  status: ApprovalStatus;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  event_seq: number | null;
}

const SELECT_APPROVALS = `
  SELECT a.*, o.display_number FROM approvals a LEFT JOIN orders o ON o.id = a.order_id`;

/** Approvals waiting for (or decided by) a supervisor: table approvals. */
export class SqliteApprovals {
  private readonly insert: Statement;
  private readonly selectOne: Statement<[number], ApprovalRow>;
  private readonly update: Statement;

  constructor(private readonly db: SqliteDatabase) {
    this.selectOne = db.prepare(`${SELECT_APPROVALS} WHERE a.id = ?`);
    this.update = db.prepare(`
      UPDATE approvals SET status = @status, decided_by = @decidedBy, decided_at = @decidedAt,
        decision_reason = @reason, event_seq = @eventSeq
      WHERE id = @id AND status = 'pending'`);
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

  get(id: number): StoredApproval | null {
    const row = this.selectOne.get(id);
    return row ? fromRow(row) : null;
  }

  /** Pending first (oldest first), then decided ones newest first. */
  list(statuses: readonly ApprovalStatus[], limit: number): StoredApproval[] {
    const rows = this.db
      .prepare<unknown[], ApprovalRow>(
        `${SELECT_APPROVALS} WHERE a.status IN (${statuses.map(() => '?').join(', ')})
         ORDER BY a.status = 'pending' DESC,
           CASE WHEN a.status = 'pending' THEN a.id ELSE -a.id END
         LIMIT ?`,
      )
      .all(...statuses, limit);
    return rows.map(fromRow);
  }

  /**
   * Records the decision of a pending approval; call inside the caller's transaction. False
   * (nothing written) when it was decided already: one decision wins.
   */
  decide(id: number, decision: ApprovalDecision): boolean {
    return this.update.run({ id, ...decision }).changes === 1;
  }
}

function fromRow(row: ApprovalRow): StoredApproval {
  return {
    id: row.id,
    orderId: row.order_id,
    displayNumber: row.display_number ?? row.order_id,
    orderVersion: row.order_version,
    action: JSON.parse(row.action_json) as OrderAction,
    amount:
      row.amount === null || row.currency === null ? null : { amount: row.amount, currency: row.currency },
    reasons: JSON.parse(row.reasons_json) as RuleReason[],
    requestedBy: row.requested_by,
    idempotencyKey: row.idempotency_key,
    requestedAt: row.requested_at,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    eventSeq: row.event_seq,
  };
}
