import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../src/shared/domain';
import { rankOrdersForCall, type CallSignals } from '../../../../src/shared/screen-pop/rank';
import { NOW, anOrder, daysAgo } from '../rules/order-builder';

const created = (order: Order, days: number): Order => ({ ...order, createdAt: daysAgo(days) });
const withException = (order: Order): Order => ({
  ...order,
  shipments: order.shipments.map((shipment) => ({ ...shipment, status: 'exception' })),
});

const plain = (id: string, days: number) => created(anOrder().withId(id).delivered(20).build(), days);
const inTransit = (id: string, lastScanDays: number) =>
  created(anOrder().withId(id).shipped(lastScanDays).build(), lastScanDays + 1);
const openReturn = (id: string) =>
  created(anOrder().withId(id).delivered(5).afterSales('return', { status: 'open' }).build(), 30);

const none: CallSignals = { orderRef: null, ivrDigits: [] };

interface Case {
  name: string;
  orders: Order[];
  signals?: CallSignals;
  /** Expected ids, best first, and the reason codes of the first. */
  order: string[];
  topReasons: Array<{ code: string; params: Record<string, string | number> }>;
}

const cases: Case[] = [
  {
    name: 'no signal: newest first, with its age',
    orders: [plain('a', 9), plain('b', 2), plain('c', 40)],
    order: ['b', 'a', 'c'],
    topReasons: [{ code: 'RECENT_ORDER', params: { daysAgo: 2 } }],
  },
  {
    name: 'X-Order-Id by display number beats an open case and recency',
    orders: [plain('new', 1), openReturn('ret'), plain('named', 60)],
    signals: { orderRef: 'DD-named', ivrDigits: [] },
    order: ['named', 'ret', 'new'],
    topReasons: [{ code: 'ORDER_NUMBER_FROM_IVR', params: { displayNumber: 'DD-named' } }],
  },
  {
    name: 'X-Order-Id by internal id, any case',
    orders: [plain('x1', 1), plain('x2', 3)],
    signals: { orderRef: 'X2', ivrDigits: [] },
    order: ['x2', 'x1'],
    topReasons: [{ code: 'ORDER_NUMBER_FROM_IVR', params: { displayNumber: 'DD-x2' } }],
  },
  {
    name: 'IVR digits match the digits of a display number',
    orders: [plain('100234', 1), plain('100777', 30)],
    signals: { orderRef: null, ivrDigits: ['100777'] },
    order: ['100777', '100234'],
    topReasons: [{ code: 'ORDER_NUMBER_FROM_IVR', params: { displayNumber: 'DD-100777' } }],
  },
  {
    name: 'IVR digits that match nothing change nothing',
    orders: [plain('100234', 1), plain('100777', 30)],
    signals: { orderRef: 'nope', ivrDigits: ['999'] },
    order: ['100234', '100777'],
    topReasons: [{ code: 'RECENT_ORDER', params: { daysAgo: 1 } }],
  },
  {
    name: 'an open return ranks first, with its kind and status',
    orders: [plain('new', 1), openReturn('ret')],
    order: ['ret', 'new'],
    topReasons: [{ code: 'OPEN_AFTER_SALES_CASE', params: { kind: 'return', caseStatus: 'open' } }],
  },
  {
    name: 'a completed case is not a signal',
    orders: [
      plain('new', 1),
      created(anOrder().withId('done').delivered(5).afterSales('refund').build(), 30),
    ],
    order: ['new', 'done'],
    topReasons: [{ code: 'RECENT_ORDER', params: { daysAgo: 1 } }],
  },
  {
    name: 'a parcel without a scan for 4 days is stuck',
    orders: [plain('new', 0), inTransit('stuck', 4)],
    order: ['stuck', 'new'],
    topReasons: [{ code: 'PARCEL_STUCK', params: { carrier: 'SF Express', days: 4 } }],
  },
  {
    name: 'a parcel scanned yesterday is not stuck',
    orders: [plain('new', 0), inTransit('moving', 1)],
    order: ['new', 'moving'],
    topReasons: [{ code: 'RECENT_ORDER', params: { daysAgo: 0 } }],
  },
  {
    name: 'a delivery exception ranks above a plain newer order',
    orders: [plain('new', 0), withException(inTransit('exc', 1))],
    order: ['exc', 'new'],
    topReasons: [{ code: 'DELIVERY_EXCEPTION', params: { carrier: 'SF Express' } }],
  },
  {
    name: 'an open case beats a parcel problem',
    orders: [inTransit('stuck', 6), openReturn('ret')],
    order: ['ret', 'stuck'],
    topReasons: [{ code: 'OPEN_AFTER_SALES_CASE', params: { kind: 'return', caseStatus: 'open' } }],
  },
  {
    name: 'signals add up: the named order with an open case lists both reasons, strongest first',
    orders: [openReturn('both'), plain('new', 0)],
    signals: { orderRef: 'DD-both', ivrDigits: [] },
    order: ['both', 'new'],
    topReasons: [
      { code: 'ORDER_NUMBER_FROM_IVR', params: { displayNumber: 'DD-both' } },
      { code: 'OPEN_AFTER_SALES_CASE', params: { kind: 'return', caseStatus: 'open' } },
    ],
  },
  { name: 'no orders: nothing to rank', orders: [], order: [], topReasons: [] },
];

describe('rankOrdersForCall', () => {
  it.each(cases)('$name', ({ orders, signals, order, topReasons }) => {
    const ranked = rankOrdersForCall(orders, signals ?? none, NOW);
    expect(ranked.map((entry) => entry.order.id)).toEqual(order);
    expect(ranked[0]?.reasons ?? []).toEqual(topReasons);
  });

  it('honours a shorter stuck threshold', () => {
    const ranked = rankOrdersForCall([plain('new', 0), inTransit('slow', 2)], none, NOW, {
      stuckAfterDays: 2,
    });
    expect(ranked[0]!.reasons).toEqual([
      { code: 'PARCEL_STUCK', params: { carrier: 'SF Express', days: 2 } },
    ]);
  });
});
