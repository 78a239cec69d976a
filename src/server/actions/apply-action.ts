import { randomBytes } from 'node:crypto';
import type { AfterSalesCase, AgentUser, Money, Order, OrderStatus } from '../../shared/domain';
import { isPaid, refundedAmount } from '../../shared/rules/order-facts';
import type { OrderAction } from '../../shared/rules/types';
import type { PlatformOutcome } from './platform-actions';

export interface ApplyContext {
  user: AgentUser;
  now: Date;
  /** The money this action gives back, as the rules evaluated it. */
  refund: Money | null;
  platform: PlatformOutcome;
  /** Id and RMA for a new after-sales case (see newAfterSalesIds). */
  ids: { caseId: string; rma: string };
  /** The call the agent acts during (its SIP Call-ID), stamped on the history entry it adds. */
  interactionId?: string;
}

/**
 * The order after an allowed action, as the gateway records it. Pure: the rules have been
 * checked and the platform has answered; OrderChanges bumps version and updatedAt.
 */
export function applyAction(order: Order, action: OrderAction, context: ApplyContext): Order {
  const at = context.now.toISOString();
  const actor = `agent:${context.user.username}`;
  const during = context.interactionId ? { interactionId: context.interactionId } : {};
  const entry = (status: OrderStatus, note: string) => ({ at, status, actor, note, ...during });
  const newCase = (
    kind: AfterSalesCase['kind'],
    status: AfterSalesCase['status'],
    reason: string,
  ): AfterSalesCase => ({
    id: context.ids.caseId,
    kind,
    status,
    reason,
    createdAt: at,
  });

  switch (action.type) {
    case 'refund': {
      const money = requireRefund(context);
      const settled = context.platform.refund !== 'pending';
      const full = refundedAmount(order) + money.amount >= order.payment.amount.amount;
      const status: OrderStatus = !settled ? 'refunding' : full ? 'refunded' : order.status;
      return {
        ...order,
        status,
        payment: settled
          ? { ...order.payment, status: full ? 'refunded' : 'partially_refunded' }
          : order.payment,
        afterSales: [
          ...order.afterSales,
          {
            ...newCase('refund', settled ? 'completed' : 'approved', action.reason),
            amount: money,
            ...(action.items.length > 0 ? { items: action.items } : {}),
          },
        ],
        timeline: [...order.timeline, entry(status, `Refund ${formatMoney(money)}: ${action.reason}`)],
      };
    }
    case 'return':
      return {
        ...order,
        afterSales: [
          ...order.afterSales,
          {
            ...newCase('return', 'approved', action.reason),
            rma: context.ids.rma,
            ...(context.refund ? { amount: context.refund } : {}),
            items: action.items,
          },
        ],
        timeline: [
          ...order.timeline,
          entry(order.status, `Return ${context.ids.rma} opened: ${action.reason}`),
        ],
      };
    case 'exchange':
      return {
        ...order,
        afterSales: [
          ...order.afterSales,
          { ...newCase('exchange', 'approved', action.reason), rma: context.ids.rma, items: action.items },
        ],
        timeline: [
          ...order.timeline,
          entry(order.status, `Exchange ${context.ids.rma} opened: ${action.reason}`),
        ],
      };
    case 'cancel': {
      const settled = context.platform.refund !== 'pending';
      const refundCase = context.refund
        ? [
            {
              ...newCase('refund', settled ? 'completed' : 'approved', action.reason),
              amount: context.refund,
            },
          ]
        : [];
      return {
        ...order,
        status: 'cancelled',
        payment: context.refund && settled ? { ...order.payment, status: 'refunded' } : order.payment,
        afterSales: [...order.afterSales, ...refundCase],
        timeline: [...order.timeline, entry('cancelled', action.reason)],
      };
    }
    case 'address_change':
      return {
        ...order,
        shippingAddress: action.address,
        // After payment a new address is a classic fraud pattern: flag it for review.
        riskFlags: isPaid(order)
          ? [...order.riskFlags, { kind: 'address_changed_after_payment', at, note: `Changed by ${actor}` }]
          : order.riskFlags,
        timeline: [...order.timeline, entry(order.status, 'Shipping address changed')],
      };
    case 'note':
      return {
        ...order,
        notes: [...order.notes, { at, author: context.user.displayName, text: action.text, ...during }],
      };
  }
}

function requireRefund(context: ApplyContext): Money {
  if (!context.refund) throw new Error('A refund action needs the evaluated refund amount');
  return context.refund;
}

/** "1299.00 CNY" (two-decimal currencies): for timeline notes, which are plain text. */
function formatMoney(money: Money): string {
  const sign = money.amount < 0 ? '-' : '';
  const abs = Math.abs(money.amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${money.currency}`;
}

/** A new after-sales case id and RMA number, e.g. RMA-20260310-3F9A1C. */
export function newAfterSalesIds(now: Date): { caseId: string; rma: string } {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  return {
    caseId: `as_${randomBytes(8).toString('hex')}`,
    rma: `RMA-${date}-${randomBytes(3).toString('hex').toUpperCase()}`,
  };
}
