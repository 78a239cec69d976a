import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AgentUser, Order, Role } from '../../shared/domain';
import { DeskError, type ErrorCode } from '../../shared/errors';
import type { ActionRequest, ActionResult, QuoteParams } from '../../shared/protocol';
import { allowedActionsInView } from '../../shared/rules/allowed-actions';
import { evaluateAction, type ActionEvaluation } from '../../shared/rules/evaluate-action';
import { DEFAULT_RULE_POLICY, type RulePolicy } from '../../shared/rules/policy';
import { refundQuote } from '../../shared/rules/refund-quote';
import { DEFAULT_ROLE_LIMITS } from '../../shared/rules/role-limits';
import type { ActionType, AllowedAction, RefundQuote, RoleLimits } from '../../shared/rules/types';
import type { AuditEntry } from '../audit/audit-log';
import { canonicalJson } from '../audit/canonical-json';
import type { OrderChange, OrderChanges } from '../orders/order-changes';
import type { OrderStore } from '../orders/order-store';
import type { ActionEffects, ActionRecords, ActionRequestKey, StoredOutcome } from './action-records';
import { applyAction, newAfterSalesIds } from './apply-action';
import { KeyedLock } from './keyed-lock';
import type { PlatformActions } from './platform-actions';
import { DefaultReplacementCatalog, type ReplacementCatalog } from '../catalog/replacement-catalog';
import type { ReplacementOption } from '../../shared/protocol';
import { reason } from '../../shared/rules/reasons';
import { ROLE_ACTIONS } from '../../shared/rules/role-permissions';
import type { RoleViewSource } from '../views/sqlite-role-views';
import type { StoredApproval } from './sqlite-approvals';

type ValidActionRequest = z.output<typeof ActionRequest>;
type ValidQuoteParams = z.output<typeof QuoteParams>;

export interface OrderActionsDeps {
  orders: OrderStore;
  changes: OrderChanges;
  records: ActionRecords;
  platform: PlatformActions;
  /** Exchange replacements (default: the demo catalogue, like-for-like on platform orders). */
  replacements?: ReplacementCatalog;
  policy?: RulePolicy;
  roleLimits?: Readonly<Record<Role, RoleLimits>>;
  /**
   * Role views as admins saved them: a view's limits replace roleLimits for its role, and an
   * action its view leaves out is refused (ACTION_NOT_IN_VIEW). Absent: roleLimits, ROLE_ACTIONS.
   */
  views?: RoleViewSource;
  now?: () => number;
}

/**
 * Errors that are the answer to the request itself: stored and replayed to retries like a
 * result. Anything else (a platform outage, a bug) frees the key so that a retry runs again.
 */
const FINAL_ERROR_CODES: readonly ErrorCode[] = [
  'NOT_FOUND',
  'VERSION_CONFLICT',
  'NOT_ELIGIBLE',
  'FORBIDDEN',
  'BAD_REQUEST',
];

/**
 * What executing an action produced: an outcome still to be stored, or an applied action whose
 * outcome and audit were stored in the order change's transaction.
 */
type Execution =
  { result: ActionResult; effects: ActionEffects } | { result: ActionResult; storedWithChange: true };

/** A twin attempt (another process) stored its outcome first; this attempt's change rolled back. */
class FinishedByTwin extends Error {}

/**
 * Agent actions on orders, enforced on the gateway with the same shared rules the desktop
 * shows: allowed actions, quotes, and the actions themselves, applied at most once per
 * (user, idempotency key) and only on the order version the agent saw.
 */
export class OrderActions {
  private readonly policy: RulePolicy;
  private readonly roleLimits: Readonly<Record<Role, RoleLimits>>;
  private readonly now: () => number;
  /** Attempts running in this process, by user and key: concurrent retries join them. */
  private readonly inFlight = new Map<string, { requestHash: string; outcome: Promise<ActionResult> }>();
  private readonly orderLock = new KeyedLock();
  private readonly replacements: ReplacementCatalog;

  constructor(private readonly deps: OrderActionsDeps) {
    this.policy = deps.policy ?? DEFAULT_RULE_POLICY;
    this.roleLimits = deps.roleLimits ?? DEFAULT_ROLE_LIMITS;
    this.now = deps.now ?? Date.now;
    this.replacements = deps.replacements ?? new DefaultReplacementCatalog();
  }

  async allowedActions(
    orderId: string,
    user: AgentUser,
  ): Promise<{ version: number; actions: AllowedAction[] }> {
    const order = await this.getOrder(orderId);
    const now = new Date(this.now());
    return {
      version: order.version,
      actions: allowedActionsInView(
        order,
        user.role,
        { limits: this.limitsOf(user.role), actions: this.offeredTo(user.role) },
        now,
        this.policy,
      ),
    };
  }

  /** The role's limits: its view's, when views are stored. */
  private limitsOf(role: Role): RoleLimits {
    return this.deps.views ? this.deps.views.viewOf(role).layout.limits : this.roleLimits[role];
  }

  /** The actions the role's view offers (never more than ROLE_ACTIONS: layoutProblems checks). */
  private offeredTo(role: Role): readonly ActionType[] {
    return this.deps.views ? this.deps.views.viewOf(role).layout.actions : ROLE_ACTIONS[role];
  }

  /** The variants an item of the order may be exchanged for. */
  async replacementOptions(orderId: string, sku: string): Promise<ReplacementOption[]> {
    return this.replacements.optionsFor(await this.getOrder(orderId), sku);
  }

  async quote(params: ValidQuoteParams): Promise<RefundQuote> {
    const order = await this.getOrder(params.orderId);
    const prices = params.type === 'price_protection' ? await this.deps.platform.currentPrices(order) : {};
    return refundQuote(order, params, this.policy, new Date(this.now()), prices);
  }

  /**
   * Applies the action once. Every retry with the same key (concurrent or later) gets the
   * first outcome; the same key with a different request is BAD_REQUEST.
   */
  act(request: ValidActionRequest, user: AgentUser): Promise<ActionResult> {
    const requestHash = fingerprint(request);
    const flightKey = `${user.id}\n${request.idempotencyKey}`;
    const running = this.inFlight.get(flightKey);
    if (running) {
      if (running.requestHash !== requestHash) return Promise.reject(keyReused());
      return running.outcome;
    }
    const outcome = this.actOnce(request, user, requestHash).finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, { requestHash, outcome });
    return outcome;
  }

  private async actOnce(
    request: ValidActionRequest,
    user: AgentUser,
    requestHash: string,
  ): Promise<ActionResult> {
    const key: ActionRequestKey = { userId: user.id, idempotencyKey: request.idempotencyKey };
    for (;;) {
      const existing = await this.deps.records.find(key);
      if (existing) {
        if (existing.requestHash !== requestHash) throw keyReused();
        if (existing.outcome) return replay(existing.outcome);
        // Pending but not running here: the first attempt was cut off by a crash (or runs in
        // another process on the same file). An applied action stores its outcome in the same
        // transaction as the change, so this attempt applied nothing; against a twin still
        // running, the optimistic lock lets only one apply and the first outcome stored wins.
        // A changed version means the expected one is stale: show the current order.
        const current = await this.getOrder(request.orderId);
        if (current.version !== request.expectedVersion) {
          throw new DeskError(
            'VERSION_CONFLICT',
            'An earlier attempt with this idempotency key was interrupted and the order has changed since: check it before acting again',
            { currentOrder: current },
          );
        }
        return this.run(key, request, user);
      }
      const claimed = await this.deps.records.claim(
        {
          ...key,
          requestHash,
          orderId: request.orderId,
          expectedVersion: request.expectedVersion,
          interactionId: request.interactionId ?? null,
        },
        new Date(this.now()).toISOString(),
      );
      if (claimed) return this.run(key, request, user);
      // Another process claimed the key between find and claim: read what it stored.
    }
  }

  /** Executes under the order's lock, storing the outcome unless the change did (or freeing the key). */
  private async run(
    key: ActionRequestKey,
    request: ValidActionRequest,
    user: AgentUser,
  ): Promise<ActionResult> {
    let outcome: StoredOutcome;
    let effects: ActionEffects = { audit: () => [] };
    try {
      const execution = await this.orderLock.run(request.orderId, () => this.execute(key, request, user));
      if ('storedWithChange' in execution) return execution.result;
      outcome = { ok: true, result: execution.result };
      effects = execution.effects;
    } catch (err) {
      if (err instanceof FinishedByTwin) return this.storedOutcome(key);
      if (!(err instanceof DeskError && FINAL_ERROR_CODES.includes(err.code))) {
        await this.deps.records.release(key);
        throw err;
      }
      outcome = { ok: false, error: err.toInfo() };
    }
    const at = new Date(this.now()).toISOString();
    if (await this.deps.records.finish(key, outcome, effects, at)) {
      // A pending approval's stored result gained the approval's id.
      return effects.approval ? this.storedOutcome(key) : replay(outcome);
    }
    // A twin attempt (another process) finished first: its outcome is the one every retry gets.
    return this.storedOutcome(key);
  }

  private async storedOutcome(key: ActionRequestKey): Promise<ActionResult> {
    const stored = await this.deps.records.find(key);
    if (!stored?.outcome) throw new Error(`Action request ${key.idempotencyKey} finished without an outcome`);
    return replay(stored.outcome);
  }

  private async execute(
    key: ActionRequestKey,
    request: ValidActionRequest,
    user: AgentUser,
  ): Promise<Execution> {
    const { orderId, expectedVersion, action } = request;
    const order = await this.getOrder(orderId);
    // Checked before the platform is called, so a stale action never reaches it.
    if (order.version !== expectedVersion) {
      throw new DeskError(
        'VERSION_CONFLICT',
        `Order ${orderId} is at version ${order.version}, not ${expectedVersion}`,
        {
          currentOrder: order,
        },
      );
    }
    const now = new Date(this.now());
    const evaluation = evaluateAction(order, action, {
      role: user.role,
      limits: this.limitsOf(user.role),
      now,
      policy: this.policy,
    });
    if (!evaluation.allowed) throw refusal(evaluation);
    // A role the view narrows: refused like a role that may not act at all (FORBIDDEN).
    if (!this.offeredTo(user.role).includes(action.type)) {
      throw new DeskError('FORBIDDEN', `The ${user.role} view does not offer ${action.type}`, {
        reasons: [reason('ACTION_NOT_IN_VIEW', { role: user.role })],
      });
    }
    if (action.type === 'exchange') await this.checkReplacements(order, action.items);

    if (evaluation.needsApproval) {
      return {
        result: { outcome: 'pending_approval', order, eventSeq: null },
        effects: {
          approval: {
            orderId,
            orderVersion: order.version,
            action,
            amount: evaluation.refund,
            reasons: evaluation.reasons,
            requestedBy: user.id,
            idempotencyKey: request.idempotencyKey,
            requestedAt: now.toISOString(),
          },
          audit: (approvalId) => [
            {
              actor: user.id,
              action: `order.${action.type}.approval_requested`,
              target: orderId,
              details: {
                approvalId,
                amount: evaluation.refund,
                version: order.version,
                action,
                ...(request.interactionId ? { interactionId: request.interactionId } : {}),
              },
            },
          ],
        },
      };
    }

    const requestId = `${user.id}:${request.idempotencyKey}`;
    const platform = await this.deps.platform.perform(order, action, requestId);
    const ids = newAfterSalesIds(now);
    // A webhook landing between the platform call and this write makes it a VERSION_CONFLICT;
    // the platform's own webhook then records what it did.
    const change = await this.deps.changes.update(
      orderId,
      expectedVersion,
      (current) =>
        applyAction(current, action, {
          user,
          now,
          refund: evaluation.refund,
          platform,
          ids,
          ...(request.interactionId ? { interactionId: request.interactionId } : {}),
        }),
      { source: 'agent', actor: user.id, action: action.type },
      {
        // The outcome and audit row commit with the change: a crash cannot keep one without the other.
        alsoInTransaction: (applied) => {
          const result = appliedResult(applied);
          const audit = auditEntry(order, applied.order, request, user, evaluation, applied.event.seq);
          const effects: ActionEffects = { audit: () => (audit ? [audit] : []) };
          const at = new Date(this.now()).toISOString();
          if (!this.deps.records.finishInTransaction(key, { ok: true, result }, effects, at)) {
            throw new FinishedByTwin();
          }
        },
      },
    );
    return { result: appliedResult(change), storedWithChange: true };
  }

  /** Every replacement must be one of the variants the catalogue offers for the item. */
  private async checkReplacements(
    order: Order,
    items: readonly { sku: string; replacementSku: string }[],
  ): Promise<void> {
    const reasons = [];
    for (const { sku, replacementSku } of items) {
      const options = await this.replacements.optionsFor(order, sku);
      if (!options.some((option) => option.sku === replacementSku)) {
        reasons.push(reason('REPLACEMENT_NOT_OFFERED', { sku, replacementSku }));
      }
    }
    if (reasons.length > 0) {
      throw new DeskError('NOT_ELIGIBLE', 'A replacement is not a variant of the item exchanged', {
        reasons,
      });
    }
  }

  /**
   * Applies an approved action on the approver's authority, re-checked against the order as it
   * is now (the version the agent saw may have moved on: a webhook, another agent). Through the
   * one write path, under the order's lock, with the request's original idempotency key at the
   * platform. NOT_ELIGIBLE (with reasons) when the order no longer allows it; FORBIDDEN when it
   * is beyond the approver's own authority. `alsoInTransaction` records the decision with the change.
   */
  applyApproved(
    approval: StoredApproval,
    approver: AgentUser,
    alsoInTransaction: (change: OrderChange) => void,
  ): Promise<OrderChange> {
    return this.orderLock.run(approval.orderId, async () => {
      const order = await this.getOrder(approval.orderId);
      const now = new Date(this.now());
      const { action } = approval;
      const evaluation = evaluateAction(order, action, {
        role: approver.role,
        limits: this.limitsOf(approver.role),
        now,
        policy: this.policy,
      });
      if (!evaluation.allowed) {
        throw new DeskError('NOT_ELIGIBLE', 'The order no longer allows this action', {
          reasons: evaluation.reasons,
        });
      }
      if (evaluation.needsApproval) {
        throw new DeskError('FORBIDDEN', 'This action is above your own approval limit', {
          reasons: evaluation.reasons,
        });
      }
      if (action.type === 'exchange') await this.checkReplacements(order, action.items);
      const requestId = `${approval.requestedBy}:${approval.idempotencyKey}`;
      const platform = await this.deps.platform.perform(order, action, requestId);
      const ids = newAfterSalesIds(now);
      return this.deps.changes.update(
        order.id,
        order.version,
        (current) =>
          applyAction(current, action, { user: approver, now, refund: evaluation.refund, platform, ids }),
        { source: 'agent', actor: approver.id, action: action.type },
        { alsoInTransaction },
      );
    });
  }

  private async getOrder(orderId: string): Promise<Order> {
    const order = await this.deps.orders.get(orderId);
    if (!order) throw new DeskError('NOT_FOUND', `No order with id ${orderId}`);
    return order;
  }
}

function appliedResult({ order, event }: OrderChange): ActionResult {
  return { outcome: 'applied', order, eventSeq: event.seq };
}

/**
 * The audit entry of an applied action: refunds, returns (money promised back), cancels and
 * address changes are sensitive; notes and exchanges are not.
 */
function auditEntry(
  before: Order,
  after: Order,
  request: ValidActionRequest,
  user: AgentUser,
  evaluation: ActionEvaluation,
  eventSeq: number,
): AuditEntry | null {
  const { action } = request;
  const common = {
    version: after.version,
    eventSeq,
    idempotencyKey: request.idempotencyKey,
    // The call the action was taken in, so an audit reader can find the conversation.
    ...(request.interactionId ? { interactionId: request.interactionId } : {}),
  };
  const entry = (details: Record<string, unknown>): AuditEntry => ({
    actor: user.id,
    action: `order.${action.type}`,
    target: after.id,
    details: { ...details, ...common },
  });
  switch (action.type) {
    case 'refund':
      return entry({
        amount: evaluation.refund,
        items: action.items,
        includeShipping: action.includeShipping,
        reason: action.reason,
        paymentStatus: after.payment.status,
      });
    case 'return':
      return entry({
        amount: evaluation.refund,
        items: action.items,
        rma: after.afterSales.at(-1)?.rma,
        reason: action.reason,
      });
    case 'cancel':
      return entry({ refund: evaluation.refund, previousStatus: before.status, reason: action.reason });
    case 'address_change':
      return entry({ previous: before.shippingAddress, next: action.address });
    case 'exchange':
    case 'note':
      return null;
  }
}

/** FORBIDDEN when the role may not take the action at all; NOT_ELIGIBLE for everything else. */
function refusal(evaluation: ActionEvaluation): DeskError {
  const details = { reasons: evaluation.reasons };
  if (evaluation.reasons.some((reason) => reason.code === 'ROLE_NOT_PERMITTED')) {
    return new DeskError('FORBIDDEN', 'Your role may not take this action', details);
  }
  return new DeskError('NOT_ELIGIBLE', 'The rules do not allow this action on this order now', details);
}

function keyReused(): DeskError {
  return new DeskError('BAD_REQUEST', 'This idempotency key was already used for a different request');
}

function replay(outcome: StoredOutcome): ActionResult {
  if (outcome.ok) return outcome.result;
  throw new DeskError(outcome.error.code, outcome.error.message, outcome.error.details);
}

/** SHA-256 of the request body (the key itself excluded), defaults applied. */
function fingerprint(request: ValidActionRequest): string {
  const { orderId, expectedVersion, action, interactionId } = request;
  // interactionId only when present: requests without one keep the fingerprint they always had.
  const body = interactionId
    ? { orderId, expectedVersion, action, interactionId }
    : { orderId, expectedVersion, action };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
