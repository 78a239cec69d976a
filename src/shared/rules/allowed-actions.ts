import type { Order, Role } from '../domain';
import { isFinished, isPaid, refundableAmount, shippingStage } from './order-facts';
import { DEFAULT_RULE_POLICY, type RulePolicy } from './policy';
import { reason, uniqueReasons } from './reasons';
import { returnEligibility } from './return-eligibility';
import { refundCeiling } from './role-limits';
import { RISK_CLEARING_ROLES, roleMayTake } from './role-permissions';
import { ACTION_TYPES, type ActionType, type AllowedAction, type RoleLimits, type RuleReason } from './types';

/** What a role's view (role-views.ts) sets for the rules: its limits and the actions it offers. */
export interface ViewRules {
  limits: RoleLimits;
  actions: readonly ActionType[];
}

/**
 * allowedActions as the role's view narrows it: the view's limits, and an action the view
 * leaves out refused with ACTION_NOT_IN_VIEW. The gateway answers with it, and the desk offline.
 */
export function allowedActionsInView(
  order: Order,
  role: Role,
  view: ViewRules,
  now: Date,
  policy: RulePolicy = DEFAULT_RULE_POLICY,
): AllowedAction[] {
  return allowedActions(order, role, view.limits, now, policy).map((allowed) =>
    allowed.allowed && !view.actions.includes(allowed.action)
      ? { ...allowed, allowed: false, reasons: [reason('ACTION_NOT_IN_VIEW', { role })] }
      : allowed,
  );
}

/**
 * Every action on the order for an agent of `role`: allowed or not, why, and what to do
 * instead. The gateway enforces the same answer the desktop shows. A refund is marked
 * `needsApproval` when refunding everything still refundable would pass the role's ceiling;
 * a smaller refund may not need it (see evaluateAction for one concrete request).
 */
export function allowedActions(
  order: Order,
  role: Role,
  limits: RoleLimits,
  now: Date,
  policy: RulePolicy = DEFAULT_RULE_POLICY,
): AllowedAction[] {
  return ACTION_TYPES.map((action) => {
    if (!roleMayTake(role, action)) {
      return verdict(
        action,
        false,
        [reason('ROLE_NOT_PERMITTED', { role })],
        [reason('ESCALATE_TO_SUPERVISOR')],
      );
    }
    switch (action) {
      case 'refund':
        return refundVerdict(order, limits);
      case 'return':
      case 'exchange':
        return returnVerdict(order, action, now, policy);
      case 'cancel':
        return cancelVerdict(order);
      case 'address_change':
        return addressChangeVerdict(order, role);
      case 'note':
        return verdict('note', true, []);
    }
  });
}

function verdict(
  action: ActionType,
  allowed: boolean,
  reasons: RuleReason[],
  alternatives: RuleReason[] = [],
  needsApproval = false,
): AllowedAction {
  return { action, allowed, needsApproval, reasons, alternatives };
}

function refundVerdict(order: Order, limits: RoleLimits): AllowedAction {
  const { currency } = order.payment.amount;
  if (order.payment.status === 'refunded') return verdict('refund', false, [reason('FULLY_REFUNDED')]);
  if (!isPaid(order)) {
    return verdict('refund', false, [reason('NOT_PAID', { paymentStatus: order.payment.status })]);
  }
  const refundable = refundableAmount(order);
  if (refundable === 0) return verdict('refund', false, [reason('FULLY_REFUNDED')]);

  const ceiling = refundCeiling(limits, currency);
  if (ceiling === null) {
    return verdict(
      'refund',
      false,
      [reason('NO_REFUND_LIMIT', { currency })],
      [reason('ESCALATE_TO_SUPERVISOR')],
    );
  }
  const remaining = reason('REFUNDABLE_REMAINING', { amount: refundable, currency });
  if (ceiling !== 'unlimited' && refundable > ceiling) {
    return verdict(
      'refund',
      true,
      [remaining, reason('REFUND_ABOVE_LIMIT', { limit: ceiling, currency })],
      [reason('REFUND_WITHIN_LIMIT', { limit: ceiling, currency })],
      true,
    );
  }
  return verdict('refund', true, [remaining]);
}

function returnVerdict(
  order: Order,
  action: 'return' | 'exchange',
  now: Date,
  policy: RulePolicy,
): AllowedAction {
  const eligibility = returnEligibility(order, now, policy);
  if (eligibility.eligible) {
    // Every eligible item carries the same "days left"; one is enough here.
    const windowOpen = eligibility.items
      .flatMap((item) => item.reasons)
      .filter((candidate) => candidate.code === 'RETURN_WINDOW_OPEN');
    return verdict(action, true, windowOpen.slice(0, 1));
  }
  const reasons = uniqueReasons(eligibility.items.flatMap((item) => item.reasons));
  const codes = new Set(reasons.map((candidate) => candidate.code));
  const orderLevel = ['ORDER_NOT_ACTIVE', 'NOT_DELIVERED', 'RETURN_WINDOW_CLOSED'];
  if (!orderLevel.some((code) => codes.has(code))) reasons.unshift(reason('NO_RETURNABLE_ITEMS'));
  return verdict(action, false, reasons, returnAlternatives(order, codes));
}

function returnAlternatives(order: Order, codes: ReadonlySet<string>): RuleReason[] {
  if (codes.has('RETURN_WINDOW_CLOSED')) return [reason('ESCALATE_TO_SUPERVISOR')];
  if (!codes.has('NOT_DELIVERED')) return [];
  const { stage, shipment } = shippingStage(order);
  if (stage === 'not_shipped') return [reason('CANCEL_ORDER')];
  return [
    reason('REQUEST_CARRIER_INTERCEPT', {
      carrier: shipment?.carrier ?? '',
      trackingNumber: shipment?.trackingNumber ?? '',
    }),
  ];
}

function cancelVerdict(order: Order): AllowedAction {
  if (isFinished(order))
    return verdict('cancel', false, [reason('ORDER_NOT_ACTIVE', { status: order.status })]);
  const { stage, shipment } = shippingStage(order);
  const parcel = { carrier: shipment?.carrier ?? '', trackingNumber: shipment?.trackingNumber ?? '' };
  switch (stage) {
    case 'delivered':
      return verdict('cancel', false, [reason('ALREADY_DELIVERED')], [reason('START_RETURN')]);
    case 'in_transit':
      return verdict(
        'cancel',
        false,
        [reason('ALREADY_SHIPPED', parcel)],
        [reason('RETURN_AFTER_DELIVERY'), reason('REQUEST_CARRIER_INTERCEPT', parcel)],
      );
    case 'label_printed':
      return verdict(
        'cancel',
        false,
        [reason('LABEL_PRINTED', parcel)],
        [reason('REQUEST_CARRIER_INTERCEPT', parcel), reason('RETURN_AFTER_DELIVERY')],
      );
    case 'not_shipped': {
      const refundable = refundableAmount(order);
      const currency = order.payment.amount.currency;
      return verdict(
        'cancel',
        true,
        refundable > 0 ? [reason('CANCEL_REFUNDS_PAYMENT', { amount: refundable, currency })] : [],
      );
    }
  }
}

function addressChangeVerdict(order: Order, role: Role): AllowedAction {
  if (isFinished(order) || order.status === 'completed') {
    return verdict('address_change', false, [reason('ORDER_NOT_ACTIVE', { status: order.status })]);
  }
  const { stage, shipment } = shippingStage(order);
  const parcel = { carrier: shipment?.carrier ?? '', trackingNumber: shipment?.trackingNumber ?? '' };
  switch (stage) {
    case 'delivered':
      return verdict('address_change', false, [reason('ALREADY_DELIVERED')]);
    case 'in_transit':
      return verdict(
        'address_change',
        false,
        [reason('ALREADY_SHIPPED', parcel)],
        [reason('REQUEST_CARRIER_INTERCEPT', parcel)],
      );
    case 'label_printed':
      return verdict(
        'address_change',
        false,
        [reason('LABEL_PRINTED', parcel)],
        [reason('REQUEST_CARRIER_INTERCEPT', parcel)],
      );
    case 'not_shipped':
      break;
  }
  const fraudSuspect = order.riskFlags.some((flag) => flag.kind === 'fraud_suspect');
  if (fraudSuspect && !RISK_CLEARING_ROLES.includes(role)) {
    return verdict('address_change', false, [reason('FRAUD_SUSPECT')], [reason('ESCALATE_TO_SUPERVISOR')]);
  }
  return verdict('address_change', true, isPaid(order) ? [reason('ADDRESS_CHANGE_FLAGGED')] : []);
}
