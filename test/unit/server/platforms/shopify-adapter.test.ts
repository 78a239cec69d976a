import { describe, expect, it } from 'vitest';
import { mapShopifyOrder } from '../../../../src/server/platforms/shopify/map-shopify-order';
import { ShopifyFulfillment, ShopifyRefund } from '../../../../src/server/platforms/shopify/shopify-payloads';
import {
  applyShopifyFulfillment,
  applyShopifyRefund,
} from '../../../../src/server/platforms/shopify/shopify-partial-updates';
import { shopifyWebhook } from '../../../../src/server/platforms/shopify/shopify-webhook';
import { platformFixture } from '../support/platform-fixtures';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const cny = (amount: number) => ({ amount, currency: 'CNY' });

describe('mapShopifyOrder: #1042, paid and unfulfilled (USD)', () => {
  const order = mapShopifyOrder(platformFixture('shopify/order-1042-paid.json'));

  it('identifies the order: ord_sh_<id>, SH-<order_number>', () => {
    expect(order.id).toBe('ord_sh_5719473651893');
    expect(order.platform).toBe('shopify');
    expect(order.platformOrderId).toBe('5719473651893');
    expect(order.displayNumber).toBe('SH-1042');
    expect(order.version).toBe(0);
  });

  it('maps the customer, with the phone in E.164 from the US national format', () => {
    expect(order.customer).toEqual({
      id: 'cus_sh_7203318579381',
      name: 'Emily Carter',
      phone: '+14155550132',
      email: 'emily.carter@example.com',
    });
  });

  it('is paid: status, payment method, total in cents, paid at processed_at in UTC', () => {
    expect(order.status).toBe('paid');
    expect(order.payment).toEqual({
      method: 'shopify_payments',
      amount: usd(14635),
      status: 'paid',
      paidAt: '2026-11-18T14:41:25.000Z',
    });
  });

  it('maps each line: SKU (or a variant stand-in), title, product type, qty, unit price, gift cards not returnable', () => {
    expect(order.items).toEqual([
      {
        sku: 'AP-SC-WOOL-CH',
        title: 'Merino Wool Scarf',
        category: 'Accessories',
        qty: 2,
        unitPrice: usd(4900),
        returnable: true,
      },
      {
        sku: 'SHOPIFY-44112233445577',
        title: 'Braided USB-C Cable',
        category: 'Electronics',
        qty: 1,
        unitPrice: usd(1900),
        returnable: true,
      },
      {
        sku: 'GC-30',
        title: 'Gift Card',
        category: 'Gift Cards',
        qty: 1,
        unitPrice: usd(3000),
        returnable: false,
      },
    ]);
  });

  it('takes the shipping fee and address', () => {
    expect(order.shippingFee).toEqual(usd(799));
    expect(order.shippingAddress).toEqual({
      name: 'Emily Carter',
      phone: '+14155550132',
      line1: '1600 Harbor Blvd',
      line2: 'Apt 4B',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94107',
      country: 'US',
    });
  });

  it('lists the discount code and the automatic discount with the amounts they took off', () => {
    expect(order.promotions).toEqual([
      { code: 'SAVE10', rule: '10% off', discount: usd(1170) },
      { rule: 'Winter accessories: $5 off', discount: usd(500) },
    ]);
  });

  it('has no shipments, cases, flags or notes yet', () => {
    expect(order.shipments).toEqual([]);
    expect(order.afterSales).toEqual([]);
    expect(order.riskFlags).toEqual([]);
    expect(order.notes).toEqual([]);
  });

  it('dates everything in UTC and never places payment before creation', () => {
    expect(order.createdAt).toBe('2026-11-18T14:41:27.000Z');
    expect(order.updatedAt).toBe('2026-11-18T14:41:29.000Z');
    // processed_at is 2 s before created_at in the payload (as Shopify sends it).
    expect(order.timeline).toEqual([
      { at: '2026-11-18T14:41:27.000Z', status: 'pending_payment', actor: 'shopify' },
      { at: '2026-11-18T14:41:27.000Z', status: 'paid', actor: 'shopify' },
    ]);
  });
});

describe('mapShopifyOrder: #1043, fulfilled and partially refunded (CNY)', () => {
  const order = mapShopifyOrder(platformFixture('shopify/order-1043-fulfilled-refunded.json'));

  it('identifies the order', () => {
    expect(order.id).toBe('ord_sh_5719480172213');
    expect(order.platformOrderId).toBe('5719480172213');
    expect(order.displayNumber).toBe('SH-1043');
  });

  it('writes a Chinese name family name first, and reads a national mobile number in the address country', () => {
    expect(order.customer).toEqual({
      id: 'cus_sh_7203320000123',
      name: '林小雨',
      phone: '+8613812345678',
      email: 'lin.xiaoyu@example.com',
    });
  });

  it('is shipped (fulfilled, in transit) with a partially refunded payment', () => {
    expect(order.status).toBe('shipped');
    expect(order.payment).toEqual({
      method: 'alipay_global',
      amount: cny(91700),
      status: 'partially_refunded',
      paidAt: '2026-11-19T02:12:03.000Z',
    });
  });

  it('maps the lines and the shipping', () => {
    expect(order.items).toEqual([
      {
        sku: 'EL-EB-PRO',
        title: '降噪蓝牙耳机 Pro',
        category: '电子产品',
        qty: 1,
        unitPrice: cny(59900),
        returnable: true,
      },
      {
        sku: 'EL-PB-20K',
        title: '充电宝 20000mAh 快充版',
        category: '电子产品',
        qty: 2,
        unitPrice: cny(15900),
        returnable: true,
      },
    ]);
    expect(order.shippingFee).toEqual(cny(1000));
    expect(order.shippingAddress).toEqual({
      name: '林小雨',
      phone: '+8613812345678',
      line1: '世纪大道100号',
      line2: '15楼1502室',
      city: '上海市',
      region: 'SH',
      postalCode: '200120',
      country: 'CN',
    });
  });

  it('turns the fulfillment into a shipment with its tracking state', () => {
    expect(order.shipments).toEqual([
      {
        id: 'ful_sh_4890123456789',
        carrier: 'SF Express',
        trackingNumber: 'SF1402873365120',
        status: 'in_transit',
        events: [
          {
            at: '2026-11-20T01:05:41.000Z',
            status: 'in_transit',
            description: 'Shopify shipment status: in_transit',
          },
        ],
      },
    ]);
  });

  it('turns the refund into a completed refund case with the amount moved and the units', () => {
    expect(order.afterSales).toEqual([
      {
        id: 'ref_sh_950112233445',
        kind: 'refund',
        status: 'completed',
        amount: cny(15900),
        items: [{ sku: 'EL-PB-20K', qty: 1 }],
        reason: '充电宝少发一个，退一个的钱',
        createdAt: '2026-11-21T08:30:09.000Z',
      },
    ]);
  });

  it('marks a free-shipping code as a discount on shipping', () => {
    expect(order.promotions).toEqual([
      { code: 'BAOYOU', rule: 'Shipping discount', discount: cny(1000), appliesTo: 'shipping' },
    ]);
  });

  it('rebuilds the timeline from the snapshot', () => {
    expect(order.createdAt).toBe('2026-11-19T02:12:03.000Z');
    expect(order.updatedAt).toBe('2026-11-21T08:30:11.000Z');
    expect(order.timeline).toEqual([
      { at: '2026-11-19T02:12:03.000Z', status: 'pending_payment', actor: 'shopify' },
      { at: '2026-11-19T02:12:03.000Z', status: 'paid', actor: 'shopify' },
      { at: '2026-11-21T08:30:11.000Z', status: 'shipped', actor: 'shopify' },
    ]);
    expect(order.riskFlags).toEqual([]);
    expect(order.notes).toEqual([]);
  });
});

describe('mapShopifyOrder: #1044, a guest order in JPY, cancelled', () => {
  const order = mapShopifyOrder(platformFixture('shopify/order-1044-cancelled-guest.json'));

  it('keys a guest customer by the order and takes name and phone from the billing address', () => {
    expect(order.customer).toEqual({
      id: 'cus_sh_order_5719490000001',
      name: '佐藤 遥',
      phone: '+819012345678',
      email: 'sato.haruka@example.com',
    });
  });

  it('reads yen without minor units, whether written "3300" or "3300.00"', () => {
    expect(order.payment.amount).toEqual({ amount: 3300, currency: 'JPY' });
    expect(order.items).toEqual([
      {
        sku: 'TEA-CLASS-ONLINE',
        title: 'Online Tea Ceremony Class',
        category: 'Classes',
        qty: 1,
        unitPrice: { amount: 3300, currency: 'JPY' },
        returnable: true,
      },
    ]);
    expect(order.shippingFee).toEqual({ amount: 0, currency: 'JPY' });
  });

  it('is cancelled, with a voided (failed) payment that was never collected', () => {
    expect(order.status).toBe('cancelled');
    expect(order.payment.status).toBe('failed');
    expect(order.payment.paidAt).toBeNull();
    expect(order.timeline).toEqual([
      { at: '2026-11-22T01:15:00.000Z', status: 'pending_payment', actor: 'shopify' },
      { at: '2026-11-22T02:00:00.000Z', status: 'cancelled', actor: 'shopify' },
    ]);
  });

  it('ships to the billing address when there is no shipping address', () => {
    expect(order.shippingAddress).toEqual({
      name: '佐藤 遥',
      phone: '+819012345678',
      line1: '神南1-2-3',
      city: '渋谷区',
      region: 'JP-13',
      postalCode: '150-0041',
      country: 'JP',
    });
  });
});

describe('mapShopifyOrder: statuses and missing fields', () => {
  const base = () => platformFixture('shopify/order-1042-paid.json');

  it.each([
    [{ financial_status: 'pending' }, 'pending_payment'],
    [{ financial_status: 'authorized' }, 'paid'],
    [{ financial_status: 'refunded' }, 'refunded'],
    [{ financial_status: 'expired' }, 'cancelled'],
    [{ fulfillment_status: 'partial' }, 'fulfilling'],
    [{ fulfillment_status: 'fulfilled' }, 'shipped'],
    [{ fulfillment_status: 'fulfilled', closed_at: '2026-11-30T10:00:00-05:00' }, 'completed'],
    [{ financial_status: 'pending', fulfillment_status: 'fulfilled' }, 'shipped'],
    [{ financial_status: 'something_new' }, 'pending_payment'],
  ])('%j -> %s', (change, status) => {
    expect(mapShopifyOrder({ ...base(), ...change }).status).toBe(status);
  });

  it('is delivered when every shipment is', () => {
    const payload = platformFixture('shopify/order-1043-fulfilled-refunded.json');
    const [fulfillment] = payload.fulfillments as Record<string, unknown>[];
    fulfillment!.shipment_status = 'delivered';
    expect(mapShopifyOrder(payload).status).toBe('delivered');
  });

  it('maps an order with only the required fields', () => {
    const order = mapShopifyOrder({
      id: 1,
      created_at: '2026-01-02T03:04:05Z',
      currency: 'EUR',
      total_price: '0.00',
      line_items: [],
    });
    expect(order).toMatchObject({
      id: 'ord_sh_1',
      displayNumber: 'SH-1',
      customer: { id: 'cus_sh_order_1', name: '', phone: '', email: '' },
      status: 'pending_payment',
      payment: { method: 'unknown', amount: { amount: 0, currency: 'EUR' }, status: 'pending', paidAt: null },
      shippingFee: { amount: 0, currency: 'EUR' },
      shippingAddress: { name: '', country: 'ZZ' },
      updatedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('keeps a phone that cannot be a number as typed', () => {
    expect(mapShopifyOrder({ ...base(), phone: 'ask at door' }).customer.phone).toBe('ask at door');
  });

  it.each([
    ['a missing id', { id: undefined }],
    ['an id past 2^53', { id: 2 ** 60 }],
    ['a negative id', { id: -5 }],
    ['a bad currency', { currency: 'DOLLARS' }],
    ['a float total with sub-cent digits', { total_price: '10.001' }],
    ['a total that is not a number', { total_price: 'ten' }],
    ['a bad date', { created_at: 'yesterday' }],
    ['line items that are not a list', { line_items: 'none' }],
    ['a line without a title', { line_items: [{ quantity: 1, price: '1.00' }] }],
    ['a fractional quantity', { line_items: [{ title: 'x', quantity: 1.5, price: '1.00' }] }],
  ])('refuses %s with BAD_REQUEST', (_what, change) => {
    expect(() => mapShopifyOrder({ ...base(), ...change })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });

  it.each([null, [], 'order', 42])('refuses a payload that is not an object: %j', (payload) => {
    expect(() => mapShopifyOrder(payload)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});

describe('Shopify partial webhooks applied to the stored order', () => {
  const stored = () => ({ ...mapShopifyOrder(platformFixture('shopify/order-1042-paid.json')), version: 3 });

  it('refunds/create adds a refund case and marks the payment partially refunded', () => {
    const refund = ShopifyRefund.parse(platformFixture('shopify/refund-1042.json'));
    const order = applyShopifyRefund(stored(), refund);
    expect(order.afterSales).toEqual([
      {
        id: 'ref_sh_950113344556',
        kind: 'refund',
        status: 'completed',
        amount: usd(4420),
        items: [{ sku: 'AP-SC-WOOL-CH', qty: 1 }],
        reason: 'Scarf arrived with a pulled thread',
        createdAt: '2026-11-24T15:02:13.000Z',
      },
    ]);
    expect(order.payment.status).toBe('partially_refunded');
    expect(order.status).toBe('paid');
    // Applying the same refund again changes nothing.
    expect(applyShopifyRefund(order, refund)).toEqual(order);
  });

  it('a refund covering the total refunds the order', () => {
    const refund = ShopifyRefund.parse({
      ...platformFixture('shopify/refund-1042.json'),
      transactions: [{ kind: 'refund', status: 'success', amount: '146.35' }],
    });
    const order = applyShopifyRefund(stored(), refund);
    expect(order.status).toBe('refunded');
    expect(order.payment.status).toBe('refunded');
    expect(order.timeline.at(-1)).toEqual({
      at: '2026-11-24T15:02:13.000Z',
      status: 'refunded',
      actor: 'shopify',
    });
  });

  it('fulfillments/create adds the shipment and ships the order; /update appends tracking events', () => {
    const created = ShopifyFulfillment.parse(platformFixture('shopify/fulfillment-1042.json'));
    const shipped = applyShopifyFulfillment(stored(), created);
    expect(shipped.status).toBe('shipped');
    expect(shipped.shipments).toEqual([
      {
        id: 'ful_sh_4890133344455',
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
        status: 'in_transit',
        events: [
          {
            at: '2026-11-20T13:31:12.000Z',
            status: 'in_transit',
            description: 'Shopify shipment status: in_transit',
          },
        ],
      },
    ]);
    expect(shipped.timeline.at(-1)).toEqual({
      at: '2026-11-20T13:31:12.000Z',
      status: 'shipped',
      actor: 'shopify',
    });

    // An update that does not change the tracking state (e.g. a corrected carrier) adds no event.
    const corrected = applyShopifyFulfillment(
      shipped,
      ShopifyFulfillment.parse({
        ...created,
        tracking_company: 'UPS Ground',
        updated_at: '2026-11-20T09:00:00-05:00',
      }),
    );
    expect(corrected.shipments[0]!.carrier).toBe('UPS Ground');
    expect(corrected.shipments[0]!.events).toEqual(shipped.shipments[0]!.events);

    const delivered = applyShopifyFulfillment(
      corrected,
      ShopifyFulfillment.parse({
        ...created,
        shipment_status: 'delivered',
        updated_at: '2026-11-21T12:00:00-05:00',
      }),
    );
    expect(delivered.status).toBe('delivered');
    expect(delivered.shipments[0]!.status).toBe('delivered');
    expect(delivered.shipments[0]!.events.map((event) => event.status)).toEqual(['in_transit', 'delivered']);

    const cancelled = applyShopifyFulfillment(
      delivered,
      ShopifyFulfillment.parse({ ...created, status: 'cancelled' }),
    );
    expect(cancelled.shipments).toEqual([]);
  });

  it('a fulfillment does not reopen a cancelled order', () => {
    const fulfillment = ShopifyFulfillment.parse(platformFixture('shopify/fulfillment-1042.json'));
    const order = applyShopifyFulfillment({ ...stored(), status: 'cancelled' }, fulfillment);
    expect(order.status).toBe('cancelled');
    expect(order.shipments).toHaveLength(1);
  });
});

describe('shopifyWebhook.interpret', () => {
  it('maps orders/* to snapshots, refunds and fulfillments to partial changes of their order', () => {
    for (const topic of ['orders/create', 'orders/updated', 'orders/cancelled']) {
      expect(shopifyWebhook.interpret(topic, platformFixture('shopify/order-1042-paid.json'))).toMatchObject({
        kind: 'snapshot',
        order: { id: 'ord_sh_5719473651893' },
      });
    }
    expect(
      shopifyWebhook.interpret('refunds/create', platformFixture('shopify/refund-1042.json')),
    ).toMatchObject({
      kind: 'partial',
      orderId: 'ord_sh_5719473651893',
    });
    for (const topic of ['fulfillments/create', 'fulfillments/update']) {
      expect(shopifyWebhook.interpret(topic, platformFixture('shopify/fulfillment-1042.json'))).toMatchObject(
        {
          kind: 'partial',
          orderId: 'ord_sh_5719473651893',
        },
      );
    }
  });

  it('ignores topics it does not keep, and refuses a refund without its order', () => {
    expect(shopifyWebhook.interpret('products/update', { id: 1 })).toBeNull();
    const refund = { ...platformFixture('shopify/refund-1042.json'), order_id: null };
    expect(() => shopifyWebhook.interpret('refunds/create', refund)).toThrow(/order_id/);
  });
});
