import type { ErrorInfo } from '../../shared/errors';
import type { ActionResult } from '../../shared/protocol';
import type { AuditEntry } from '../audit/audit-log';

/** The first outcome of an action request, replayed to every retry with the same key. */
export type StoredOutcome = { ok: true; result: ActionResult } | { ok: false; error: ErrorInfo };

export interface ActionRequestKey {
  userId: string;
  idempotencyKey: string;
}

export interface ActionRequestRecord extends ActionRequestKey {
  /** Fingerprint of the request body: the same key with another body is refused. */
  requestHash: string;
  orderId: string;
  expectedVersion: number;
  /** The call the action was taken in (SIP Call-ID), if any. */
  interactionId?: string | null;
  /** Null while the first attempt runs (or was cut off by a crash). */
  outcome: StoredOutcome | null;
}

/** A refund above the agent's ceiling, stored for a supervisor to decide. */
export interface NewApproval {
  orderId: string;
  orderVersion: number;
  action: { type: string; [field: string]: unknown };
  amount: { amount: number; currency: string } | null;
  reasons: unknown[];
  requestedBy: string;
  idempotencyKey: string;
  requestedAt: string;
}

/** What finishing an action writes besides its outcome, all in one transaction. */
export interface ActionEffects {
  approval?: NewApproval;
  /** Built once the approval (if any) has its id. */
  audit(approvalId: number | null): AuditEntry[];
}

/** Where agent action requests, their outcomes and pending approvals are kept. */
export interface ActionRecords {
  find(key: ActionRequestKey): Promise<ActionRequestRecord | null>;
  /** Inserts the request as pending; false if its key is already taken (by anyone). */
  claim(record: Omit<ActionRequestRecord, 'outcome'>, at: string): Promise<boolean>;
  /** Drops a pending request whose attempt failed transiently, so that a retry runs again. */
  release(key: ActionRequestKey): Promise<void>;
  /**
   * Stores the outcome with its approval and audit entries, atomically. False (and nothing
   * written) if the request was finished already, e.g. by a twin attempt in another process.
   */
  finish(key: ActionRequestKey, outcome: StoredOutcome, effects: ActionEffects, at: string): Promise<boolean>;
  /**
   * finish, inside a write transaction the caller holds on the same database, e.g. the order
   * change's (OrderChanges.update's alsoInTransaction), so the outcome commits with the change.
   */
  finishInTransaction(
    key: ActionRequestKey,
    outcome: StoredOutcome,
    effects: ActionEffects,
    at: string,
  ): boolean;
}
