import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../src/shared/domain';
import { DEFAULT_RULE_POLICY, type RulePolicy } from '../../../../src/shared/rules/policy';
import { returnEligibility, type ItemEligibility } from '../../../../src/shared/rules/return-eligibility';
import { NOW, anOrder, daysAgo } from './order-builder';

interface Case {
  name: string;
  order: Order;
  policy?: RulePolicy;
  items: Pick<ItemEligibility, 'sku' | 'eligible' | 'eligibleQty' | 'reasons'>[];
}

const windowOpen = (daysLeft: number) => ({
  code: 'RETURN_WINDOW_OPEN',
  params: { daysLeft, windowDays: 7 },
});

const cases: Case[] = [
  {
    name: 'delivered 2 days ago: eligible, 5 days left',
    order: anOrder().item('EL-KB-87', 39900, 2).delivered(2).build(),
    items: [{ sku: 'EL-KB-87', eligible: true, eligibleQty: 2, reasons: [windowOpen(5)] }],
  },
  {
    name: 'delivered exactly 7 days ago: still open, 0 days left',
    order: anOrder().item('EL-KB-87', 39900).delivered(7).build(),
    items: [{ sku: 'EL-KB-87', eligible: true, eligibleQty: 1, reasons: [windowOpen(0)] }],
  },
  {
    name: 'delivered 7.5 days ago: closed today (0 days ago)',
    order: anOrder().item('EL-KB-87', 39900).delivered(7.5).build(),
    items: [
      {
        sku: 'EL-KB-87',
        eligible: false,
        eligibleQty: 0,
        reasons: [{ code: 'RETURN_WINDOW_CLOSED', params: { daysAgo: 0, windowDays: 7 } }],
      },
    ],
  },
  {
    name: 'in transit: not delivered yet',
    order: anOrder().item('EL-KB-87', 39900).shipped(1).build(),
    items: [
      {
        sku: 'EL-KB-87',
        eligible: false,
        eligibleQty: 0,
        reasons: [{ code: 'NOT_DELIVERED', params: { status: 'shipped' } }],
      },
    ],
  },
  {
    name: 'cancelled order',
    order: anOrder().item('EL-KB-87', 39900).withStatus('cancelled', 'refunded').build(),
    items: [
      {
        sku: 'EL-KB-87',
        eligible: false,
        eligibleQty: 0,
        reasons: [{ code: 'ORDER_NOT_ACTIVE', params: { status: 'cancelled' } }],
      },
    ],
  },
  {
    name: 'mixed order: the keyboard can go back, the briefs and the tea cannot',
    order: anOrder()
      .item('EL-KB-87', 39900)
      .item('UW-BRF-3P', 9900, 1, { category: 'underwear', returnable: false })
      .item('FD-TEA-LJ', 29800, 1, { category: 'food', returnable: false })
      .delivered(1)
      .build(),
    items: [
      { sku: 'EL-KB-87', eligible: true, eligibleQty: 1, reasons: [windowOpen(6)] },
      {
        sku: 'UW-BRF-3P',
        eligible: false,
        eligibleQty: 0,
        reasons: [{ code: 'CATEGORY_EXCLUDED', params: { sku: 'UW-BRF-3P', category: 'underwear' } }],
      },
      {
        sku: 'FD-TEA-LJ',
        eligible: false,
        eligibleQty: 0,
        reasons: [{ code: 'CATEGORY_EXCLUDED', params: { sku: 'FD-TEA-LJ', category: 'food' } }],
      },
    ],
  },
  {
    name: 'an item the platform marks not returnable',
    order: anOrder()
      .item('HM-BED-SET', 39900, 1, { category: 'home', returnable: false })
      .delivered(1)
      .build(),
    items: [
      {
        sku: 'HM-BED-SET',
        eligible: false,
        eligibleQty: 0,
        reasons: [{ code: 'ITEM_NOT_RETURNABLE', params: { sku: 'HM-BED-SET' } }],
      },
    ],
  },
  {
    name: 'one of two units already returned: one left',
    order: anOrder()
      .item('AP-SN-RUN', 45900, 2)
      .delivered(2)
      .afterSales('return', { amount: 45900, items: [{ sku: 'AP-SN-RUN', qty: 1 }], status: 'in_transit' })
      .build(),
    items: [
      {
        sku: 'AP-SN-RUN',
        eligible: true,
        eligibleQty: 1,
        reasons: [
          { code: 'ALREADY_RETURNED', params: { sku: 'AP-SN-RUN', returnedQty: 1, remainingQty: 1 } },
          windowOpen(5),
        ],
      },
    ],
  },
  {
    name: 'every unit already refunded: nothing left',
    order: anOrder()
      .item('AP-SN-RUN', 45900, 2)
      .delivered(2)
      .afterSales('refund', { amount: 91800, items: [{ sku: 'AP-SN-RUN', qty: 2 }] })
      .build(),
    items: [
      {
        sku: 'AP-SN-RUN',
        eligible: false,
        eligibleQty: 0,
        reasons: [
          { code: 'ALREADY_RETURNED', params: { sku: 'AP-SN-RUN', returnedQty: 2, remainingQty: 0 } },
        ],
      },
    ],
  },
  {
    name: 'a rejected return does not use up units',
    order: anOrder()
      .item('AP-SN-RUN', 45900, 1)
      .delivered(2)
      .afterSales('return', { amount: 45900, items: [{ sku: 'AP-SN-RUN', qty: 1 }], status: 'rejected' })
      .build(),
    items: [{ sku: 'AP-SN-RUN', eligible: true, eligibleQty: 1, reasons: [windowOpen(5)] }],
  },
  {
    name: 'a shop with a 15-day window: day 10 is fine',
    order: anOrder().item('EL-KB-87', 39900).delivered(10).build(),
    policy: { ...DEFAULT_RULE_POLICY, returnWindowDays: 15 },
    items: [
      {
        sku: 'EL-KB-87',
        eligible: true,
        eligibleQty: 1,
        reasons: [{ code: 'RETURN_WINDOW_OPEN', params: { daysLeft: 5, windowDays: 15 } }],
      },
    ],
  },
];

describe('returnEligibility', () => {
  it.each(cases)('$name', ({ order, policy, items }) => {
    const eligibility = returnEligibility(order, NOW, policy);
    expect(eligibility.items).toEqual(items);
    expect(eligibility.eligible).toBe(items.some((item) => item.eligible));
  });

  it('starts the window at the tracking event when the platform reports no delivered status', () => {
    const base = anOrder().item('EL-KB-87', 39900).delivered(3).build();
    const order: Order = { ...base, status: 'shipped', timeline: [] };
    const eligibility = returnEligibility(order, NOW);
    expect(eligibility.windowEndsAt).toBe(new Date(Date.parse(daysAgo(3)) + 7 * 86_400_000).toISOString());
    expect(eligibility.items[0]).toMatchObject({ eligible: true, reasons: [windowOpen(4)] });
  });
});
