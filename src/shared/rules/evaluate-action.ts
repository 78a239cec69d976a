import type { Money, Order, Role } from '../domain';
import { allowedActions } from './allowed-actions';
import { selectionProblems } from './item-selection';
import { refundableAmount } from './order-facts';
import { DEFAULT_RULE_POLICY, type RulePolicy } from './policy';
import { reason } from './reasons';
import { refundQuote } from './refund-quote';
import { returnEligibility } from './return-eligibility';
import { refundCeiling } from './role-limits';
import type { ItemSelection, OrderAction, RoleLimits, RuleReason } from './types';

export interface ActionContext {
  role: Role;
  limits: RoleLimits;
  now: Date;
  policy?: RulePolicy;
}

export interface ActionEvaluation {
  allowed: boolean;
  /** Allowed, but above the agent's refund ceiling: a supervisor must approve it first. */
  needsApproval: boolean;
  /** Why not (or why it needs approval). */
  reasons: RuleReason[];
  /** Money this action gives back (a refund, a return's refund on receipt, a paid cancel). */
  refund: Money | null;
}

/**
 * One concrete action checked against the rules: the order-level answer of allowedActions,
 * then what only the request tells (the items chosen, the amount and the role's ceiling).
 */
export function evaluateAction(order: Order, action: OrderAction, context: ActionContext): ActionEvaluation {
  const policy = context.policy ?? DEFAULT_RULE_POLICY;
  const general = allowedActions(order, context.role, context.limits, context.now, policy).find(
    (candidate) => candidate.action === action.type,
  )!;
  if (!general.allowed) return refused(general.reasons);

  const currency = order.payment.amount.currency;
  switch (action.type) {
    case 'refund': {
      const problems = selectionProblems(order, action.items);
      if (problems.length > 0) return refused(problems);
      const quote = refundQuote(
        order,
        { type: 'refund', items: action.items, includeShipping: action.includeShipping },
        policy,
        context.now,
      );
      if (action.amount && action.amount.currency !== currency) {
        return refused([reason('CURRENCY_MISMATCH', { expected: currency, actual: action.amount.currency })]);
      }
      const amount = action.amount?.amount ?? quote.total.amount;
      // Items refund at most what they cost; an amount alone (goodwill, price protection) at
      // most what is left.
      const maximum = action.items.length > 0 ? quote.total.amount : refundableAmount(order);
      if (amount <= 0) return refused([reason('NOTHING_TO_REFUND')]);
      if (amount > maximum)
        return refused([reason('REFUND_AMOUNT_EXCEEDS_MAXIMUM', { amount, maximum, currency })]);
      const ceiling = refundCeiling(context.limits, currency);
      const aboveCeiling = ceiling !== 'unlimited' && ceiling !== null && amount > ceiling;
      return {
        allowed: true,
        needsApproval: aboveCeiling,
        reasons: aboveCeiling ? [reason('REFUND_ABOVE_LIMIT', { limit: ceiling, currency })] : [],
        refund: { amount, currency },
      };
    }
    case 'return': {
      const problems = returnSelectionProblems(order, action.items, context.now, policy);
      if (problems.length > 0) return refused(problems);
      const quote = refundQuote(
        order,
        { type: 'return', items: action.items, includeShipping: false },
        policy,
        context.now,
      );
      return allowed(quote.total.amount > 0 ? quote.total : null);
    }
    case 'exchange': {
      const problems = returnSelectionProblems(order, action.items, context.now, policy);
      return problems.length > 0 ? refused(problems) : allowed(null);
    }
    case 'cancel': {
      // Before shipment a cancel refunds the whole payment without approval: no goods left the
      // warehouse, so there is nothing to lose; allowedActions already refuses it afterwards.
      const refundable = refundableAmount(order);
      return allowed(refundable > 0 ? { amount: refundable, currency } : null);
    }
    case 'address_change':
    case 'note':
      return allowed(null);
  }
}

function refused(reasons: RuleReason[]): ActionEvaluation {
  return { allowed: false, needsApproval: false, reasons, refund: null };
}

function allowed(refund: Money | null): ActionEvaluation {
  return { allowed: true, needsApproval: false, reasons: [], refund };
}

/** Each chosen item must exist and be eligible for return for as many units as chosen. */
function returnSelectionProblems(
  order: Order,
  selection: readonly ItemSelection[],
  now: Date,
  policy: RulePolicy,
): RuleReason[] {
  const problems = selectionProblems(order, selection);
  if (problems.length > 0) return problems;
  const eligibility = returnEligibility(order, now, policy);
  return selection.flatMap(({ sku, qty }) => {
    const item = eligibility.items.find((candidate) => candidate.sku === sku)!;
    if (!item.eligible) return item.reasons.filter((candidate) => candidate.code !== 'RETURN_WINDOW_OPEN');
    if (qty > item.eligibleQty) {
      return [reason('QTY_EXCEEDS_REMAINING', { sku, requested: qty, remaining: item.eligibleQty })];
    }
    return [];
  });
}
