import { describe, expect, it } from 'vitest';
import type { Order, Role } from '../../../../src/shared/domain';
import { allowedActions } from '../../../../src/shared/rules/allowed-actions';
import { DEFAULT_ROLE_LIMITS } from '../../../../src/shared/rules/role-limits';
import { ACTION_TYPES, type ActionType, type AllowedAction } from '../../../../src/shared/rules/types';
import { NOW, anOrder } from './order-builder';

const SF = { carrier: 'SF Express', trackingNumber: 'SF1234567890' };

interface Expected {
  allowed: boolean;
  needsApproval?: boolean;
  reasons?: AllowedAction['reasons'];
  alternatives?: AllowedAction['alternatives'];
}

interface Case {
  name: string;
  order: Order;
  role?: Role;
  expect: Partial<Record<ActionType, Expected>>;
}

const cases: Case[] = [
  {
    name: 'unpaid order: no refund, cancel and address change fine, no risk flag',
    order: anOrder().item('EL-PB-20K', 15900).unpaid().build(),
    expect: {
      refund: { allowed: false, reasons: [{ code: 'NOT_PAID', params: { paymentStatus: 'pending' } }] },
      cancel: { allowed: true, reasons: [] },
      address_change: { allowed: true, reasons: [] },
      note: { allowed: true, reasons: [] },
    },
  },
  {
    name: 'failed payment cannot be refunded',
    order: anOrder().item('EL-PB-20K', 15900).unpaid('failed').build(),
    expect: {
      refund: { allowed: false, reasons: [{ code: 'NOT_PAID', params: { paymentStatus: 'failed' } }] },
    },
  },
  {
    name: 'paid, not shipped: refund within the frontline ceiling, cancel refunds the payment',
    order: anOrder().item('AP-TS-CTN', 7900, 2).shipping(1000).build(),
    expect: {
      refund: {
        allowed: true,
        needsApproval: false,
        reasons: [{ code: 'REFUNDABLE_REMAINING', params: { amount: 16800, currency: 'CNY' } }],
      },
      cancel: {
        allowed: true,
        reasons: [{ code: 'CANCEL_REFUNDS_PAYMENT', params: { amount: 16800, currency: 'CNY' } }],
      },
      address_change: { allowed: true, reasons: [{ code: 'ADDRESS_CHANGE_FLAGGED', params: {} }] },
      return: {
        allowed: false,
        reasons: [{ code: 'NOT_DELIVERED', params: { status: 'paid' } }],
        alternatives: [{ code: 'CANCEL_ORDER', params: {} }],
      },
    },
  },
  {
    name: 'frontline: a refund above 500.00 CNY needs approval',
    order: anOrder().item('EL-SW-S3', 129900).build(),
    expect: {
      refund: {
        allowed: true,
        needsApproval: true,
        reasons: [
          { code: 'REFUNDABLE_REMAINING', params: { amount: 129900, currency: 'CNY' } },
          { code: 'REFUND_ABOVE_LIMIT', params: { limit: 50000, currency: 'CNY' } },
        ],
        alternatives: [{ code: 'REFUND_WITHIN_LIMIT', params: { limit: 50000, currency: 'CNY' } }],
      },
    },
  },
  {
    name: 'after-sales: 1,299.00 CNY is within its 3,000.00 ceiling',
    role: 'after_sales',
    order: anOrder().item('EL-SW-S3', 129900).build(),
    expect: { refund: { allowed: true, needsApproval: false } },
  },
  {
    name: 'supervisor: unlimited',
    role: 'supervisor',
    order: anOrder().item('EL-SW-S3', 129900, 10).build(),
    expect: { refund: { allowed: true, needsApproval: false } },
  },
  {
    name: 'frontline USD: 150.00 is above the 100.00 ceiling',
    order: anOrder('USD').item('EL-EB-PRO', 15000).build(),
    expect: {
      refund: {
        allowed: true,
        needsApproval: true,
        reasons: [
          { code: 'REFUNDABLE_REMAINING', params: { amount: 15000, currency: 'USD' } },
          { code: 'REFUND_ABOVE_LIMIT', params: { limit: 10000, currency: 'USD' } },
        ],
      },
    },
  },
  {
    name: 'frontline GBP: 79.99 is within the 80.00 ceiling',
    order: anOrder('GBP').item('EL-EB-PRO', 7999).build(),
    expect: { refund: { allowed: true, needsApproval: false } },
  },
  {
    name: 'frontline EUR: no ceiling in that currency, escalate',
    order: anOrder('EUR').item('EL-EB-PRO', 1000).build(),
    expect: {
      refund: {
        allowed: false,
        reasons: [{ code: 'NO_REFUND_LIMIT', params: { currency: 'EUR' } }],
        alternatives: [{ code: 'ESCALATE_TO_SUPERVISOR', params: {} }],
      },
    },
  },
  {
    name: 'logistics: no refunds, returns or cancels; address and notes fine',
    role: 'logistics',
    order: anOrder().item('HM-AP-FRY', 36900).build(),
    expect: {
      refund: {
        allowed: false,
        reasons: [{ code: 'ROLE_NOT_PERMITTED', params: { role: 'logistics' } }],
        alternatives: [{ code: 'ESCALATE_TO_SUPERVISOR', params: {} }],
      },
      return: { allowed: false, reasons: [{ code: 'ROLE_NOT_PERMITTED', params: { role: 'logistics' } }] },
      cancel: { allowed: false, reasons: [{ code: 'ROLE_NOT_PERMITTED', params: { role: 'logistics' } }] },
      address_change: { allowed: true },
      note: { allowed: true },
    },
  },
  {
    name: 'label printed: address change and cancel need a carrier intercept',
    order: anOrder().item('HM-AP-FRY', 36900).labelPrinted().build(),
    expect: {
      address_change: {
        allowed: false,
        reasons: [{ code: 'LABEL_PRINTED', params: SF }],
        alternatives: [{ code: 'REQUEST_CARRIER_INTERCEPT', params: SF }],
      },
      cancel: {
        allowed: false,
        reasons: [{ code: 'LABEL_PRINTED', params: SF }],
        alternatives: [
          { code: 'REQUEST_CARRIER_INTERCEPT', params: SF },
          { code: 'RETURN_AFTER_DELIVERY', params: {} },
        ],
      },
    },
  },
  {
    name: 'in transit: cancel becomes a return after delivery',
    order: anOrder().item('HM-AP-FRY', 36900).shipped().build(),
    expect: {
      cancel: {
        allowed: false,
        reasons: [{ code: 'ALREADY_SHIPPED', params: SF }],
        alternatives: [
          { code: 'RETURN_AFTER_DELIVERY', params: {} },
          { code: 'REQUEST_CARRIER_INTERCEPT', params: SF },
        ],
      },
      address_change: {
        allowed: false,
        reasons: [{ code: 'ALREADY_SHIPPED', params: SF }],
        alternatives: [{ code: 'REQUEST_CARRIER_INTERCEPT', params: SF }],
      },
      return: {
        allowed: false,
        reasons: [{ code: 'NOT_DELIVERED', params: { status: 'shipped' } }],
        alternatives: [{ code: 'REQUEST_CARRIER_INTERCEPT', params: SF }],
      },
    },
  },
  {
    name: 'delivered 3 days ago: return and exchange open with 4 days left, no cancel',
    order: anOrder().item('HM-AP-FRY', 36900).delivered(3).build(),
    expect: {
      return: {
        allowed: true,
        reasons: [{ code: 'RETURN_WINDOW_OPEN', params: { daysLeft: 4, windowDays: 7 } }],
      },
      exchange: {
        allowed: true,
        reasons: [{ code: 'RETURN_WINDOW_OPEN', params: { daysLeft: 4, windowDays: 7 } }],
      },
      cancel: {
        allowed: false,
        reasons: [{ code: 'ALREADY_DELIVERED', params: {} }],
        alternatives: [{ code: 'START_RETURN', params: {} }],
      },
      address_change: { allowed: false, reasons: [{ code: 'ALREADY_DELIVERED', params: {} }] },
    },
  },
  {
    name: 'delivered 10 days ago: the window closed 3 days ago',
    order: anOrder().item('HM-AP-FRY', 36900).delivered(10).build(),
    expect: {
      return: {
        allowed: false,
        reasons: [{ code: 'RETURN_WINDOW_CLOSED', params: { daysAgo: 3, windowDays: 7 } }],
        alternatives: [{ code: 'ESCALATE_TO_SUPERVISOR', params: {} }],
      },
      refund: { allowed: true },
    },
  },
  {
    name: 'only excluded categories: nothing to return',
    order: anOrder()
      .item('UW-BRF-3P', 9900, 1, { category: 'underwear', returnable: false })
      .item('DV-GC-100', 10000, 1, { category: 'digital_voucher', returnable: false })
      .delivered(2)
      .build(),
    expect: {
      return: {
        allowed: false,
        reasons: [
          { code: 'NO_RETURNABLE_ITEMS', params: {} },
          { code: 'CATEGORY_EXCLUDED', params: { sku: 'UW-BRF-3P', category: 'underwear' } },
          { code: 'CATEGORY_EXCLUDED', params: { sku: 'DV-GC-100', category: 'digital_voucher' } },
        ],
        alternatives: [],
      },
    },
  },
  {
    name: 'cancelled and refunded: only notes',
    order: anOrder().item('EL-PB-20K', 15900).withStatus('cancelled', 'refunded').build(),
    expect: {
      refund: { allowed: false, reasons: [{ code: 'FULLY_REFUNDED', params: {} }] },
      cancel: { allowed: false, reasons: [{ code: 'ORDER_NOT_ACTIVE', params: { status: 'cancelled' } }] },
      return: { allowed: false, reasons: [{ code: 'ORDER_NOT_ACTIVE', params: { status: 'cancelled' } }] },
      address_change: {
        allowed: false,
        reasons: [{ code: 'ORDER_NOT_ACTIVE', params: { status: 'cancelled' } }],
      },
      note: { allowed: true, reasons: [] },
    },
  },
  {
    name: 'partly refunded: the ceiling applies to what is left',
    order: anOrder()
      .item('EL-SW-S3', 129900)
      .delivered(2)
      .withStatus('delivered', 'partially_refunded')
      .afterSales('refund', { amount: 90000 })
      .build(),
    expect: {
      refund: {
        allowed: true,
        needsApproval: false,
        reasons: [{ code: 'REFUNDABLE_REMAINING', params: { amount: 39900, currency: 'CNY' } }],
      },
    },
  },
  {
    name: 'refund cases adding up to the payment leave nothing to refund',
    order: anOrder().item('EL-PB-20K', 15900).afterSales('refund', { amount: 15900 }).build(),
    expect: { refund: { allowed: false, reasons: [{ code: 'FULLY_REFUNDED', params: {} }] } },
  },
  {
    name: 'fraud suspect: frontline may not redirect the goods',
    order: anOrder().item('EL-SW-S3', 129900).flag('fraud_suspect').build(),
    expect: {
      address_change: {
        allowed: false,
        reasons: [{ code: 'FRAUD_SUSPECT', params: {} }],
        alternatives: [{ code: 'ESCALATE_TO_SUPERVISOR', params: {} }],
      },
    },
  },
  {
    name: 'fraud suspect: a supervisor may',
    role: 'supervisor',
    order: anOrder().item('EL-SW-S3', 129900).flag('fraud_suspect').build(),
    expect: { address_change: { allowed: true, reasons: [{ code: 'ADDRESS_CHANGE_FLAGGED', params: {} }] } },
  },
];

describe('allowedActions', () => {
  it.each(cases)('$name', ({ order, role = 'frontline', expect: expected }) => {
    const actions = allowedActions(order, role, DEFAULT_ROLE_LIMITS[role], NOW);
    for (const [type, want] of Object.entries(expected)) {
      const got = actions.find((candidate) => candidate.action === type);
      expect(got, type).toMatchObject(want);
    }
  });

  it('answers every action type exactly once, in ACTION_TYPES order', () => {
    const order = anOrder().item('EL-PB-20K', 15900).build();
    for (const role of ['frontline', 'logistics', 'after_sales', 'supervisor', 'admin'] as const) {
      const actions = allowedActions(order, role, DEFAULT_ROLE_LIMITS[role], NOW);
      expect(actions.map((candidate) => candidate.action)).toEqual([...ACTION_TYPES]);
      expect(actions.find((candidate) => candidate.action === 'note')?.allowed).toBe(true);
    }
  });
});
