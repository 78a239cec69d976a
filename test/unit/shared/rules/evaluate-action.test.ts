import { describe, expect, it } from 'vitest';
import type { Order, Role } from '../../../../src/shared/domain';
import { evaluateAction, type ActionEvaluation } from '../../../../src/shared/rules/evaluate-action';
import { DEFAULT_ROLE_LIMITS } from '../../../../src/shared/rules/role-limits';
import { OrderAction } from '../../../../src/shared/rules/types';
import { NOW, anOrder } from './order-builder';

interface Case {
  name: string;
  order: Order;
  role?: Role;
  action: unknown;
  expect: ActionEvaluation;
}

const paidWatch = anOrder()
  .item('EL-SW-S3', 129900)
  .item('UW-BRF-3P', 9900, 2, { category: 'underwear', returnable: false });
const cny = (amount: number) => ({ amount, currency: 'CNY' });

const cases: Case[] = [
  {
    name: 'frontline refunds 400.00 of a 1,497.00 order without approval',
    order: paidWatch.build(),
    action: { type: 'refund', amount: cny(40000), reason: 'goodwill' },
    expect: { allowed: true, needsApproval: false, reasons: [], refund: cny(40000) },
  },
  {
    name: 'frontline refunding the watch (1,299.00) needs approval',
    order: paidWatch.build(),
    action: { type: 'refund', items: [{ sku: 'EL-SW-S3', qty: 1 }], reason: 'broken' },
    expect: {
      allowed: true,
      needsApproval: true,
      reasons: [{ code: 'REFUND_ABOVE_LIMIT', params: { limit: 50000, currency: 'CNY' } }],
      refund: cny(129900),
    },
  },
  {
    name: 'a supervisor refunds the same without approval',
    role: 'supervisor',
    order: paidWatch.build(),
    action: { type: 'refund', items: [{ sku: 'EL-SW-S3', qty: 1 }], reason: 'broken' },
    expect: { allowed: true, needsApproval: false, reasons: [], refund: cny(129900) },
  },
  {
    name: 'more than the chosen items cost is refused',
    order: paidWatch.build(),
    action: { type: 'refund', items: [{ sku: 'UW-BRF-3P', qty: 1 }], amount: cny(10000), reason: 'x' },
    expect: {
      allowed: false,
      needsApproval: false,
      reasons: [
        { code: 'REFUND_AMOUNT_EXCEEDS_MAXIMUM', params: { amount: 10000, maximum: 9900, currency: 'CNY' } },
      ],
      refund: null,
    },
  },
  {
    name: 'an amount in another currency is refused',
    order: paidWatch.build(),
    action: { type: 'refund', amount: { amount: 100, currency: 'USD' }, reason: 'x' },
    expect: {
      allowed: false,
      needsApproval: false,
      reasons: [{ code: 'CURRENCY_MISMATCH', params: { expected: 'CNY', actual: 'USD' } }],
      refund: null,
    },
  },
  {
    name: 'a refund of nothing is refused',
    order: paidWatch.build(),
    action: { type: 'refund', reason: 'x' },
    expect: {
      allowed: false,
      needsApproval: false,
      reasons: [{ code: 'NOTHING_TO_REFUND', params: {} }],
      refund: null,
    },
  },
  {
    name: 'logistics cannot refund at all',
    role: 'logistics',
    order: paidWatch.build(),
    action: { type: 'refund', amount: cny(100), reason: 'x' },
    expect: {
      allowed: false,
      needsApproval: false,
      reasons: [{ code: 'ROLE_NOT_PERMITTED', params: { role: 'logistics' } }],
      refund: null,
    },
  },
  {
    name: 'returning the watch within the window refunds it on receipt',
    order: paidWatch.delivered(2).build(),
    action: { type: 'return', items: [{ sku: 'EL-SW-S3', qty: 1 }], reason: 'changed mind' },
    expect: { allowed: true, needsApproval: false, reasons: [], refund: cny(129900) },
  },
  {
    name: 'returning underwear is refused with the category',
    order: paidWatch.delivered(2).build(),
    action: { type: 'return', items: [{ sku: 'UW-BRF-3P', qty: 1 }], reason: 'changed mind' },
    expect: {
      allowed: false,
      needsApproval: false,
      reasons: [{ code: 'CATEGORY_EXCLUDED', params: { sku: 'UW-BRF-3P', category: 'underwear' } }],
      refund: null,
    },
  },
  {
    name: 'exchanging two watches when one was bought is refused',
    order: paidWatch.delivered(2).build(),
    action: {
      type: 'exchange',
      items: [{ sku: 'EL-SW-S3', qty: 2, replacementSku: 'EL-SW-S3-BLK' }],
      reason: 'colour',
    },
    expect: {
      allowed: false,
      needsApproval: false,
      reasons: [{ code: 'QTY_EXCEEDS_REMAINING', params: { sku: 'EL-SW-S3', requested: 2, remaining: 1 } }],
      refund: null,
    },
  },
  {
    name: 'cancelling a paid, unshipped order refunds the payment',
    order: anOrder().item('HM-KT-GLS', 14900).shipping(1000).build(),
    action: { type: 'cancel', reason: 'customer changed mind' },
    expect: { allowed: true, needsApproval: false, reasons: [], refund: cny(15900) },
  },
];

describe('evaluateAction', () => {
  it.each(cases)('$name', ({ order, role = 'frontline', action, expect: expected }) => {
    const evaluation = evaluateAction(order, OrderAction.parse(action), {
      role,
      limits: DEFAULT_ROLE_LIMITS[role],
      now: NOW,
    });
    expect(evaluation).toEqual(expected);
  });
});
