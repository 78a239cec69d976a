import type { z } from 'zod';
import type { AgentUser } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import type { Approval, ApprovalStatus, DecideApprovalParams } from '../../shared/protocol';
import type { SqliteAuditLog } from '../audit/sqlite-audit-log';
import type { UserStore } from '../auth/user-store';
import type { SqliteDatabase } from '../db/open-database';
import type { DeskRegistry } from '../ws/desk-registry';
import { KeyedLock } from './keyed-lock';
import type { OrderActions } from './order-actions';
import { SqliteApprovals, type ApprovalDecision, type StoredApproval } from './sqlite-approvals';

export interface ApprovalDecisionsDeps {
  db: SqliteDatabase;
  audit: SqliteAuditLog;
  users: UserStore;
  actions: OrderActions;
  desks: DeskRegistry;
  now?: () => number;
}

/**
 * The supervisors' approval queue: actions above an agent's limit, approved (applied on the
 * approver's authority, re-checked against the order as it is now) or rejected with a reason.
 * Each decision is audited with the change it makes, in one transaction; one decision per
 * approval wins, and the requesting agent and every connected supervisor hear of it.
 */
export class ApprovalDecisions {
  private readonly approvals: SqliteApprovals;
  /** Decisions of one approval run one at a time in this process (two supervisors clicking). */
  private readonly deciding = new KeyedLock();
  private readonly now: () => number;

  constructor(private readonly deps: ApprovalDecisionsDeps) {
    this.approvals = new SqliteApprovals(deps.db);
    this.now = deps.now ?? Date.now;
  }

  async list(statuses: readonly ApprovalStatus[], limit: number): Promise<Approval[]> {
    return this.toWire(this.approvals.list(statuses, limit));
  }

  async get(id: number): Promise<Approval | null> {
    const approval = this.approvals.get(id);
    return approval ? (await this.toWire([approval]))[0]! : null;
  }

  async decide(
    { id, decision, reason }: z.output<typeof DecideApprovalParams>,
    approver: AgentUser,
  ): Promise<Approval> {
    const decided = await this.deciding.run(String(id), async () =>
      decision === 'approve' ? this.approve(id, approver) : this.reject(id, reason, approver),
    );
    const [approval] = await this.toWire([decided]);
    this.deps.desks.notifyUser(decided.requestedBy, { kind: 'approval', approval: approval! });
    this.deps.desks.notifySupervisors({ kind: 'approval', approval: approval! });
    return approval!;
  }

  private pending(id: number): StoredApproval {
    const approval = this.approvals.get(id);
    if (!approval) throw new DeskError('NOT_FOUND', `No approval ${id}`);
    if (approval.status !== 'pending') {
      throw new DeskError('VERSION_CONFLICT', `Approval ${id} was already decided (${approval.status})`);
    }
    return approval;
  }

  private async approve(id: number, approver: AgentUser): Promise<StoredApproval> {
    const approval = this.pending(id);
    try {
      await this.deps.actions.applyApproved(approval, approver, (change) => {
        // Inside the order change's transaction: the change, its event, the decision and the
        // audit row commit together.
        this.record(approval, approver, 'approval.approve', {
          status: 'approved',
          reason: null,
          eventSeq: change.event.seq,
        });
      });
    } catch (err) {
      // The order moved on so the action is no longer valid: the approval fails with the why.
      if (!(err instanceof DeskError && (err.code === 'NOT_ELIGIBLE' || err.code === 'VERSION_CONFLICT'))) {
        throw err;
      }
      const why = (err.details?.reasons ?? []).map((reason) => reason.code).join(', ') || err.message;
      this.deps.db
        .transaction(() =>
          this.record(approval, approver, 'approval.fail', {
            status: 'failed',
            reason: `Could not apply: ${why}`,
            eventSeq: null,
          }),
        )
        .immediate();
    }
    return this.approvals.get(id)!;
  }

  private reject(id: number, reason: string, approver: AgentUser): StoredApproval {
    const approval = this.pending(id);
    this.deps.db
      .transaction(() =>
        this.record(approval, approver, 'approval.reject', { status: 'rejected', reason, eventSeq: null }),
      )
      .immediate();
    return this.approvals.get(id)!;
  }

  /** Writes the decision and its audit row; must run inside a transaction on the database. */
  private record(
    approval: StoredApproval,
    approver: AgentUser,
    auditAction: string,
    decision: Omit<ApprovalDecision, 'decidedBy' | 'decidedAt'>,
  ): void {
    const decided = this.approvals.decide(approval.id, {
      ...decision,
      decidedBy: approver.id,
      decidedAt: new Date(this.now()).toISOString(),
    });
    // Another process decided it first: roll everything back (the order change too).
    if (!decided) throw new DeskError('VERSION_CONFLICT', `Approval ${approval.id} was already decided`);
    this.deps.audit.append(this.deps.db, {
      actor: approver.id,
      action: auditAction,
      target: approval.orderId,
      details: {
        approvalId: approval.id,
        requestedBy: approval.requestedBy,
        actionType: approval.action.type,
        amount: approval.amount,
        idempotencyKey: approval.idempotencyKey,
        eventSeq: decision.eventSeq,
        reason: decision.reason,
      },
    });
  }

  /** With the users' display names. */
  private async toWire(approvals: StoredApproval[]): Promise<Approval[]> {
    const names = new Map<string, string>();
    const ids = new Set(
      approvals.flatMap((a) => (a.decidedBy ? [a.requestedBy, a.decidedBy] : [a.requestedBy])),
    );
    for (const userId of ids) {
      names.set(userId, (await this.deps.users.findById(userId))?.displayName ?? userId);
    }
    const person = (userId: string) => ({ id: userId, displayName: names.get(userId) ?? userId });
    return approvals.map((a) => ({
      id: a.id,
      orderId: a.orderId,
      displayNumber: a.displayNumber,
      orderVersion: a.orderVersion,
      action: a.action,
      amount: a.amount,
      reasons: a.reasons,
      requestedBy: person(a.requestedBy),
      requestedAt: a.requestedAt,
      status: a.status,
      decidedBy: a.decidedBy ? person(a.decidedBy) : null,
      decidedAt: a.decidedAt,
      decisionReason: a.decisionReason,
      eventSeq: a.eventSeq,
    }));
  }
}
