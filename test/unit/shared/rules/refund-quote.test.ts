import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../src/shared/domain';
import { DeskError } from '../../../../src/shared/errors';
import { DEFAULT_RULE_POLICY } from '../../../../src/shared/rules/policy';
import {
  refundQuote,
  type CurrentPrices,
  type QuoteRequest,
} from '../../../../src/shared/rules/refund-quote';
import type { ItemSelection, RefundQuote } from '../../../../src/shared/rules/types';
import { NOW, OrderBuilder, anOrder } from './order-builder';

interface Case {
  name: string;
  order: Order;
  request: Partial<QuoteRequest> & Pick<QuoteRequest, 'items'>;
  currentPrices?: CurrentPrices;
  /** Per line: [sku, qty, amount, couponShare, priceProtection]. */
  lines: [string, number, number, number, number][];
  shipping: number;
  total: number;
  notes: string[];
}

const cases: Case[] = [
  {
    name: 'one of two units, no coupon: the unit price, shipping stays paid',
    order: anOrder().item('EL-PB-20K', 15900, 2).shipping(1000).build(),
    request: { items: [{ sku: 'EL-PB-20K', qty: 1 }] },
    lines: [['EL-PB-20K', 1, 15900, 0, 0]],
    shipping: 0,
    total: 15900,
    notes: ['SHIPPING_NOT_REFUNDED amount=1000 currency=CNY'],
  },
  {
    name: 'the whole order: shipping included, total equals the payment',
    order: anOrder().item('EL-PB-20K', 15900, 2).shipping(1000).build(),
    request: { items: [{ sku: 'EL-PB-20K', qty: 2 }] },
    lines: [['EL-PB-20K', 2, 31800, 0, 0]],
    shipping: 1000,
    total: 32800,
    notes: ['SHIPPING_INCLUDED_WHOLE_ORDER amount=1000 currency=CNY'],
  },
  {
    name: '满300减30 prorated by value: 2145 + 855 (largest remainder)',
    order: anOrder().item('EL-KB-87', 39900).item('EL-CB-USBC', 15900).coupon(3000).build(),
    request: { items: [{ sku: 'EL-KB-87', qty: 1 }] },
    lines: [['EL-KB-87', 1, 37755, 2145, 0]],
    shipping: 0,
    total: 37755,
    notes: ['COUPON_PRORATED amount=2145 currency=CNY'],
  },
  {
    name: 'the other line carries the rounding cent',
    order: anOrder().item('EL-KB-87', 39900).item('EL-CB-USBC', 15900).coupon(3000).build(),
    request: { items: [{ sku: 'EL-CB-USBC', qty: 1 }] },
    lines: [['EL-CB-USBC', 1, 15045, 855, 0]],
    shipping: 0,
    total: 15045,
    notes: ['COUPON_PRORATED amount=855 currency=CNY'],
  },
  {
    name: 'equal lines: the tie goes to the first line (334/333/333)',
    order: anOrder().item('A', 10000).item('B', 10000).item('C', 10000).coupon(1000).build(),
    request: {
      items: [
        { sku: 'A', qty: 1 },
        { sku: 'B', qty: 1 },
      ],
    },
    lines: [
      ['A', 1, 9666, 334, 0],
      ['B', 1, 9667, 333, 0],
    ],
    shipping: 0,
    total: 19333,
    notes: ['COUPON_PRORATED amount=667 currency=CNY'],
  },
  {
    name: 'third of three units after two were refunded: takes the last 334 and the shipping',
    order: anOrder()
      .item('A', 10000, 3)
      .shipping(500)
      .coupon(1000)
      .afterSales('refund', { amount: 9667, items: [{ sku: 'A', qty: 1 }] })
      .afterSales('return', { amount: 9667, items: [{ sku: 'A', qty: 1 }] })
      .build(),
    request: { type: 'return', items: [{ sku: 'A', qty: 1 }] },
    lines: [['A', 1, 9666, 334, 0]],
    shipping: 500,
    total: 10166,
    notes: [
      'COUPON_PRORATED amount=334 currency=CNY',
      'SHIPPING_INCLUDED_WHOLE_ORDER amount=500 currency=CNY',
      'ALREADY_REFUNDED amount=19334 currency=CNY',
    ],
  },
  {
    name: 'a free-shipping coupon comes off the shipping, not the items',
    order: anOrder().item('EL-MS-WL', 5000).shipping(1000).coupon(1000, 'shipping').build(),
    request: { items: [{ sku: 'EL-MS-WL', qty: 1 }] },
    lines: [['EL-MS-WL', 1, 5000, 0, 0]],
    shipping: 0,
    total: 5000,
    notes: [],
  },
  {
    name: 'shipping on request with a partial refund (wrong item sent)',
    order: anOrder().item('EL-PB-20K', 15900).item('AP-TS-CTN', 7900).shipping(1000).build(),
    request: { items: [{ sku: 'AP-TS-CTN', qty: 1 }], includeShipping: true },
    lines: [['AP-TS-CTN', 1, 7900, 0, 0]],
    shipping: 1000,
    total: 8900,
    notes: ['SHIPPING_INCLUDED_ON_REQUEST amount=1000 currency=CNY'],
  },
  {
    name: 'already refunded 80.00 of 100.00 as goodwill: capped at 20.00',
    order: anOrder()
      .item('SP-YM-6MM', 10000)
      .withStatus('paid', 'partially_refunded')
      .afterSales('refund', { amount: 8000 })
      .build(),
    request: { type: 'return', items: [{ sku: 'SP-YM-6MM', qty: 1 }] },
    lines: [['SP-YM-6MM', 1, 10000, 0, 0]],
    shipping: 0,
    total: 2000,
    notes: ['ALREADY_REFUNDED amount=8000 currency=CNY', 'CAPPED_AT_REFUNDABLE amount=2000 currency=CNY'],
  },
  {
    name: 'price protection: 599.00 paid 10 days ago, 499.00 today: 100.00 back',
    order: anOrder().item('EL-EB-PRO', 59900).paidDaysAgo(10).build(),
    request: { type: 'price_protection', items: [{ sku: 'EL-EB-PRO', qty: 1 }] },
    currentPrices: { 'EL-EB-PRO': { amount: 49900, currency: 'CNY' } },
    lines: [['EL-EB-PRO', 1, 59900, 0, 10000]],
    shipping: 0,
    total: 10000,
    notes: ['PRICE_PROTECTION sku=EL-EB-PRO amount=10000 currency=CNY'],
  },
  {
    name: 'price protection compares with what was really paid after the coupon',
    order: anOrder().item('EL-EB-PRO', 59900, 2).coupon(6000).paidDaysAgo(29).build(),
    request: { type: 'price_protection', items: [{ sku: 'EL-EB-PRO', qty: 2 }] },
    currentPrices: { 'EL-EB-PRO': { amount: 49900, currency: 'CNY' } },
    lines: [['EL-EB-PRO', 2, 113800, 6000, 14000]],
    shipping: 0,
    total: 14000,
    notes: [
      'PRICE_PROTECTION sku=EL-EB-PRO amount=14000 currency=CNY',
      'COUPON_PRORATED amount=6000 currency=CNY',
    ],
  },
  {
    name: 'price protection after 40 days: window closed 10 days ago',
    order: anOrder().item('EL-EB-PRO', 59900).paidDaysAgo(40).build(),
    request: { type: 'price_protection', items: [{ sku: 'EL-EB-PRO', qty: 1 }] },
    currentPrices: { 'EL-EB-PRO': { amount: 49900, currency: 'CNY' } },
    lines: [['EL-EB-PRO', 1, 59900, 0, 0]],
    shipping: 0,
    total: 0,
    notes: ['PRICE_PROTECTION_WINDOW_CLOSED daysAgo=10 windowDays=30'],
  },
  {
    name: 'price protection: a higher price, or one in another currency, is no drop',
    order: anOrder().item('EL-EB-PRO', 59900).item('EL-MS-WL', 8900).build(),
    request: {
      type: 'price_protection',
      items: [
        { sku: 'EL-EB-PRO', qty: 1 },
        { sku: 'EL-MS-WL', qty: 1 },
      ],
    },
    currentPrices: {
      'EL-EB-PRO': { amount: 64900, currency: 'CNY' },
      'EL-MS-WL': { amount: 100, currency: 'USD' },
    },
    lines: [
      ['EL-EB-PRO', 1, 59900, 0, 0],
      ['EL-MS-WL', 1, 8900, 0, 0],
    ],
    shipping: 0,
    total: 0,
    notes: ['PRICE_NOT_DROPPED sku=EL-EB-PRO', 'PRICE_NOT_DROPPED sku=EL-MS-WL'],
  },
  {
    name: 'an exchange moves no money',
    order: anOrder().item('AP-SN-RUN', 45900).delivered(2).build(),
    request: { type: 'exchange', items: [{ sku: 'AP-SN-RUN', qty: 1 }] },
    lines: [['AP-SN-RUN', 1, 45900, 0, 0]],
    shipping: 0,
    total: 0,
    notes: ['EXCHANGE_NO_REFUND'],
  },
  {
    name: 'USD: 10% off prorated over a 2-unit line and a single',
    order: anOrder('USD').item('EL-SPK-MINI', 8499, 2).item('EL-CB-USBC', 2999).coupon(2000).build(),
    request: { items: [{ sku: 'EL-SPK-MINI', qty: 1 }] },
    lines: [['EL-SPK-MINI', 1, 7649, 850, 0]],
    shipping: 0,
    total: 7649,
    notes: ['COUPON_PRORATED amount=850 currency=USD'],
  },
  {
    name: 'GBP whole order with TAKE5 and delivery: exactly the payment',
    order: anOrder('GBP').item('AP-JN-SLIM', 3999).item('AP-TS-CTN', 1499).shipping(399).coupon(500).build(),
    request: {
      items: [
        { sku: 'AP-JN-SLIM', qty: 1 },
        { sku: 'AP-TS-CTN', qty: 1 },
      ],
    },
    lines: [
      ['AP-JN-SLIM', 1, 3635, 364, 0],
      ['AP-TS-CTN', 1, 1363, 136, 0],
    ],
    shipping: 399,
    total: 5397,
    notes: [
      'COUPON_PRORATED amount=500 currency=GBP',
      'SHIPPING_INCLUDED_WHOLE_ORDER amount=399 currency=GBP',
    ],
  },
  {
    name: 'an unpaid order quotes nothing',
    order: anOrder().item('EL-PB-20K', 15900).unpaid().build(),
    request: { items: [{ sku: 'EL-PB-20K', qty: 1 }] },
    lines: [['EL-PB-20K', 1, 15900, 0, 0]],
    shipping: 0,
    total: 0,
    notes: ['CAPPED_AT_REFUNDABLE amount=0 currency=CNY'],
  },
];

/** Notes as "CODE key=value ..." for compact tables. */
function noteText(quote: RefundQuote): string[] {
  return quote.notes.map((note) =>
    [note.code, ...Object.entries(note.params).map(([key, value]) => `${key}=${value}`)].join(' '),
  );
}

describe('refundQuote', () => {
  it.each(cases)('$name', ({ order, request, currentPrices, lines, shipping, total, notes }) => {
    const quote = refundQuote(
      order,
      { type: 'refund', includeShipping: false, ...request },
      DEFAULT_RULE_POLICY,
      NOW,
      currentPrices,
    );
    const currency = order.payment.amount.currency;
    const money = (amount: number) => ({ amount, currency });
    expect(quote.lines).toEqual(
      lines.map(([sku, qty, amount, couponShare, priceProtection]) => ({
        sku,
        qty,
        amount: money(amount),
        couponShare: money(couponShare),
        priceProtection: money(priceProtection),
      })),
    );
    expect(quote.shipping).toEqual(money(shipping));
    expect(quote.total).toEqual(money(total));
    expect(noteText(quote)).toEqual(notes);
  });

  it.each([
    ['an unknown sku', [{ sku: 'NOPE', qty: 1 }], { code: 'UNKNOWN_ITEM', params: { sku: 'NOPE' } }],
    [
      'more units than bought',
      [{ sku: 'A', qty: 3 }],
      { code: 'QTY_EXCEEDS_REMAINING', params: { sku: 'A', requested: 3, remaining: 2 } },
    ],
    [
      'a sku twice',
      [
        { sku: 'A', qty: 1 },
        { sku: 'A', qty: 1 },
      ],
      { code: 'DUPLICATE_ITEM', params: { sku: 'A' } },
    ],
  ])('refuses %s with NOT_ELIGIBLE', (_name, items: ItemSelection[], expected) => {
    const order = anOrder().item('A', 1000, 2).build();
    let thrown: unknown;
    try {
      refundQuote(order, { type: 'refund', items, includeShipping: false }, DEFAULT_RULE_POLICY, NOW);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DeskError);
    expect((thrown as DeskError).code).toBe('NOT_ELIGIBLE');
    expect((thrown as DeskError).details?.reasons).toEqual([expected]);
  });

  it('refunding every unit in random instalments pays back exactly the payment (200 random orders)', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 200; run += 1) {
      const builder = new OrderBuilder(['CNY', 'USD', 'GBP'][random(3)]);
      const lineCount = 1 + random(4);
      for (let line = 0; line < lineCount; line += 1)
        builder.item(`SKU-${line}`, 1 + random(80_000), 1 + random(5));
      builder.shipping(random(2) === 0 ? 0 : 1 + random(1500));
      if (random(2) === 0) builder.coupon(1 + random(3000));
      if (random(3) === 0) builder.coupon(1 + random(500), 'shipping');
      let order = builder.build();
      if (order.payment.amount.amount <= 0) continue;

      let refunded = 0;
      for (;;) {
        const left = remainingUnits(order);
        if (left.length === 0) break;
        // Take a random part of what is left: some units of some lines.
        const pick = left
          .filter(() => random(2) === 0)
          .map(({ sku, qty }) => ({ sku, qty: 1 + random(qty) }));
        const items = pick.length > 0 ? pick : [left[0]!];
        const quote = refundQuote(
          order,
          { type: 'refund', items, includeShipping: false },
          DEFAULT_RULE_POLICY,
          NOW,
        );
        refunded += quote.total.amount;
        order = {
          ...order,
          afterSales: [
            ...order.afterSales,
            {
              id: `as_${order.afterSales.length}`,
              kind: 'refund',
              status: 'completed',
              amount: quote.total,
              items,
              reason: 'instalment',
              createdAt: NOW.toISOString(),
            },
          ],
        };
      }
      expect(refunded, JSON.stringify(order)).toBe(order.payment.amount.amount);
    }
  });
});

function remainingUnits(order: Order): ItemSelection[] {
  return order.items
    .map((item) => {
      const done = order.afterSales
        .flatMap((c) => c.items ?? [])
        .filter((chosen) => chosen.sku === item.sku)
        .reduce((sum, chosen) => sum + chosen.qty, 0);
      return { sku: item.sku, qty: item.qty - done };
    })
    .filter((item) => item.qty > 0);
}

/** Deterministic integers in [0, n) (mulberry32), so a failure reproduces. */
function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}
