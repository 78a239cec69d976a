import { describe, expect, it } from 'vitest';
import { abnormalitiesOf, abnormalTypesFor, type AbnormalType } from '../../../src/shared/abnormal';
import type { Order } from '../../../src/shared/domain';
import { ROLE_FIELD_POLICIES } from '../../../src/shared/visibility';
import { anOrder, daysAgo } from './rules/order-builder';

const types = (order: Order): AbnormalType[] => abnormalitiesOf(order).map((a) => a.type);

const withException = (order: Order): Order => ({
  ...order,
  shipments: [
    {
      id: 'shp_1',
      carrier: 'SF',
      trackingNumber: 'SF1',
      status: 'exception',
      events: [
        { at: daysAgo(3), status: 'in_transit', description: 'picked up' },
        { at: daysAgo(2), status: 'exception', description: 'address not found' },
      ],
    },
  ],
});

describe('abnormalitiesOf: only conditions that still hold', () => {
  const cases: [string, Order, AbnormalType[]][] = [
    ['a normal delivered order', anOrder().delivered(2).build(), []],
    ['unpaid with the unpaid flag', anOrder().unpaid().flag('unpaid_too_long').build(), ['unpaid_too_long']],
    ['unpaid flag on an order paid since', anOrder().shipped().flag('unpaid_too_long').build(), []],
    [
      'a failed payment, still unpaid',
      anOrder().unpaid('failed').flag('payment_failed').build(),
      ['payment_failed'],
    ],
    ['a failed payment without a flag', anOrder().unpaid('failed').build(), ['payment_failed']],
    ['payment failed then paid on retry', anOrder().shipped().flag('payment_failed').build(), []],
    [
      'unpaid too long and failed',
      anOrder().unpaid('failed').flag('unpaid_too_long').build(),
      ['unpaid_too_long', 'payment_failed'],
    ],
    ['a parcel in exception', withException(anOrder().shipped(3).build()), ['shipping_exception']],
    ['an exception on a cancelled order', withException(anOrder().withStatus('cancelled').build()), []],
    ['stalled while shipped', anOrder().shipped(5).flag('logistics_stalled').build(), ['logistics_stalled']],
    ['stalled flag after delivery', anOrder().delivered(1).flag('logistics_stalled').build(), []],
    [
      'address changed before shipping',
      anOrder().paidDaysAgo(1).withStatus('fulfilling').flag('address_changed_after_payment').build(),
      ['address_changed_after_payment'],
    ],
    [
      'address changed, since delivered',
      anOrder().delivered(1).flag('address_changed_after_payment').build(),
      [],
    ],
    [
      'fraud suspect on a delivered order',
      anOrder().delivered(1).flag('fraud_suspect').build(),
      ['fraud_suspect'],
    ],
    ['fraud suspect, cancelled', anOrder().withStatus('cancelled').flag('fraud_suspect').build(), []],
    ['a payment retry alone', anOrder().shipped().flag('payment_retry').build(), []],
  ];
  it.each(cases)('%s', (_name, order, expected) => {
    expect(types(order)).toEqual(expected);
  });

  it('dates each abnormality from its cause', () => {
    const order = withException(anOrder().shipped(3).flag('fraud_suspect').build());
    expect(abnormalitiesOf(order)).toEqual([
      { type: 'shipping_exception', since: daysAgo(2) },
      { type: 'fraud_suspect', since: order.riskFlags[0]!.at },
    ]);
  });
});

describe('abnormalTypesFor', () => {
  it('keeps risk and payment types from roles that may not see them', () => {
    expect(abnormalTypesFor(ROLE_FIELD_POLICIES.logistics.grants)).toEqual([
      'unpaid_too_long',
      'shipping_exception',
      'logistics_stalled',
    ]);
    expect(abnormalTypesFor(ROLE_FIELD_POLICIES.frontline.grants)).toHaveLength(6);
  });
});
