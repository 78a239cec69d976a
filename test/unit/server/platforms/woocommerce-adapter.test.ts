import { describe, expect, it } from 'vitest';
import { mapWooOrder } from '../../../../src/server/platforms/woocommerce/map-woocommerce-order';
import { wooCommerceWebhook } from '../../../../src/server/platforms/woocommerce/woocommerce-webhook';
import { platformFixture } from '../support/platform-fixtures';

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('mapWooOrder: 7281, processing (CNY)', () => {
  const order = mapWooOrder(platformFixture('woocommerce/order-7281-processing.json'));

  it('identifies the order: ord_wc_<id>, WC-<number>', () => {
    expect(order.id).toBe('ord_wc_7281');
    expect(order.platform).toBe('woocommerce');
    expect(order.platformOrderId).toBe('7281');
    expect(order.displayNumber).toBe('WC-7281');
    expect(order.version).toBe(0);
  });

  it('maps the account customer, name family first, phone in E.164', () => {
    expect(order.customer).toEqual({
      id: 'cus_wc_318',
      name: '王静',
      phone: '+8613905712233',
      email: 'wang.jing@example.com',
    });
  });

  it('is paid (processing), by the payment method title, total in fen, paid at date_paid_gmt', () => {
    expect(order.status).toBe('paid');
    expect(order.payment).toEqual({
      method: '支付宝',
      amount: cny(27800),
      status: 'paid',
      paidAt: '2026-11-20T08:07:40.000Z',
    });
  });

  it('prices each line by its subtotal per piece; a line without SKU gets the product id', () => {
    expect(order.items).toEqual([
      {
        sku: 'EL-EB-PRO',
        title: '降噪蓝牙耳机 Pro',
        category: 'uncategorized',
        qty: 1,
        unitPrice: cny(24900),
        returnable: true,
      },
      {
        sku: 'WC-PRODUCT-405',
        title: 'USB-C 编织数据线 2米',
        category: 'uncategorized',
        qty: 2,
        unitPrice: cny(1950),
        returnable: true,
      },
    ]);
  });

  it('takes the shipping total and the shipping address, with the billing phone when it has none', () => {
    expect(order.shippingFee).toEqual(cny(1000));
    expect(order.shippingAddress).toEqual({
      name: '王静',
      phone: '+8613905712233',
      line1: '文三路478号',
      line2: '华星时代广场A座808',
      city: '杭州市',
      region: 'CN2',
      postalCode: '310012',
      country: 'CN',
    });
  });

  it('lists the coupon', () => {
    expect(order.promotions).toEqual([{ code: 'man199', rule: 'fixed_cart', discount: cny(2000) }]);
  });

  it('has no shipments, cases, flags or notes', () => {
    expect(order.shipments).toEqual([]);
    expect(order.afterSales).toEqual([]);
    expect(order.riskFlags).toEqual([]);
    expect(order.notes).toEqual([]);
  });

  it('reads the *_gmt dates as UTC', () => {
    expect(order.createdAt).toBe('2026-11-20T08:05:12.000Z');
    expect(order.updatedAt).toBe('2026-11-20T08:07:40.000Z');
    expect(order.timeline).toEqual([
      { at: '2026-11-20T08:05:12.000Z', status: 'pending_payment', actor: 'woocommerce' },
      { at: '2026-11-20T08:07:40.000Z', status: 'paid', actor: 'woocommerce' },
    ]);
  });
});

describe('mapWooOrder: 7290, completed with a refund (USD, guest)', () => {
  const order = mapWooOrder(platformFixture('woocommerce/order-7290-completed-refunded.json'));

  it('identifies the order and keys the guest customer by the order', () => {
    expect(order.id).toBe('ord_wc_7290');
    expect(order.displayNumber).toBe('WC-7290');
    expect(order.customer).toEqual({
      id: 'cus_wc_order_7290',
      name: 'Marcus Reyes',
      phone: '+12125550187',
      email: 'marcus.reyes@example.com',
    });
  });

  it('is completed with a partially refunded payment', () => {
    expect(order.status).toBe('completed');
    expect(order.payment).toEqual({
      method: 'Credit card (Stripe)',
      amount: usd(8109),
      status: 'partially_refunded',
      paidAt: '2026-11-10T14:30:04.000Z',
    });
  });

  it('maps the lines, a variation by its own SKU', () => {
    expect(order.items).toEqual([
      {
        sku: 'AP-SN-RUN-10',
        title: 'Cushioned Running Shoes - 10',
        category: 'uncategorized',
        qty: 1,
        unitPrice: usd(6400),
        returnable: true,
      },
      {
        sku: 'UW-SCK-5P',
        title: 'Combed Cotton Socks (5 pairs)',
        category: 'uncategorized',
        qty: 1,
        unitPrice: usd(498),
        returnable: true,
      },
    ]);
    expect(order.shippingFee).toEqual(usd(599));
    expect(order.promotions).toEqual([]);
  });

  it('ships to the shipping address with its own phone', () => {
    expect(order.shippingAddress).toEqual({
      name: 'Marcus Reyes',
      phone: '+17185550144',
      line1: '250 Kent Ave',
      line2: 'Unit 5',
      city: 'Brooklyn',
      region: 'NY',
      postalCode: '11249',
      country: 'US',
    });
  });

  it('turns the (negative) refund into a completed refund case of the positive amount', () => {
    expect(order.afterSales).toEqual([
      {
        id: 'ref_wc_7302',
        kind: 'refund',
        status: 'completed',
        amount: usd(1500),
        reason: 'Box damaged in transit: goodwill refund',
        createdAt: '2026-11-21T19:12:55.000Z',
      },
    ]);
  });

  it('rebuilds the timeline: placed, paid, completed', () => {
    expect(order.createdAt).toBe('2026-11-10T14:30:00.000Z');
    expect(order.updatedAt).toBe('2026-11-21T19:12:55.000Z');
    expect(order.timeline).toEqual([
      { at: '2026-11-10T14:30:00.000Z', status: 'pending_payment', actor: 'woocommerce' },
      { at: '2026-11-10T14:30:04.000Z', status: 'paid', actor: 'woocommerce' },
      { at: '2026-11-14T22:40:21.000Z', status: 'completed', actor: 'woocommerce' },
    ]);
  });
});

describe('mapWooOrder: statuses and missing fields', () => {
  const base = () => platformFixture('woocommerce/order-7281-processing.json');
  const unpaid = { date_paid_gmt: null };

  it.each([
    [{ status: 'pending', ...unpaid }, 'pending_payment', 'pending'],
    [{ status: 'on-hold', ...unpaid }, 'pending_payment', 'pending'],
    [{ status: 'failed', ...unpaid }, 'pending_payment', 'failed'],
    [{ status: 'processing' }, 'paid', 'paid'],
    [{ status: 'completed' }, 'completed', 'paid'],
    [{ status: 'cancelled', ...unpaid }, 'cancelled', 'pending'],
    [{ status: 'refunded' }, 'refunded', 'refunded'],
    [{ status: 'trash' }, 'cancelled', 'paid'],
    [{ status: 'checkout-draft', ...unpaid }, 'pending_payment', 'pending'],
    [{ status: 'shipped' }, 'shipped', 'paid'],
    [{ status: 'awaiting-pickup' }, 'paid', 'paid'],
    [{ status: 'awaiting-pickup', ...unpaid }, 'pending_payment', 'pending'],
  ])('%j -> %s, payment %s', (change, status, paymentStatus) => {
    const order = mapWooOrder({ ...base(), ...change });
    expect(order.status).toBe(status);
    expect(order.payment.status).toBe(paymentStatus);
  });

  it('flags a failed payment', () => {
    const order = mapWooOrder({ ...base(), status: 'failed', date_paid_gmt: null });
    expect(order.riskFlags).toEqual([{ kind: 'payment_failed', at: '2026-11-20T08:07:40.000Z' }]);
  });

  it("uses a numbering plugin's number, and the id when there is none", () => {
    expect(mapWooOrder({ ...base(), number: 'A-2026-0042' }).displayNumber).toBe('WC-A-2026-0042');
    expect(mapWooOrder({ ...base(), number: 9001 }).displayNumber).toBe('WC-9001');
    expect(mapWooOrder({ ...base(), number: undefined }).displayNumber).toBe('WC-7281');
  });

  it('maps an order with only the required fields', () => {
    const order = mapWooOrder({
      id: 5,
      status: 'pending',
      currency: 'usd',
      total: '0.00',
      date_created_gmt: '2026-01-02T03:04:05',
      line_items: [],
    });
    expect(order).toMatchObject({
      id: 'ord_wc_5',
      displayNumber: 'WC-5',
      customer: { id: 'cus_wc_order_5', name: '', phone: '', email: '' },
      status: 'pending_payment',
      payment: { method: 'unknown', amount: { amount: 0, currency: 'USD' }, status: 'pending', paidAt: null },
      shippingFee: { amount: 0, currency: 'USD' },
      shippingAddress: { name: '', country: 'ZZ' },
      createdAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it.each([
    ['a missing id', { id: undefined }],
    ['a missing status', { status: undefined }],
    ['a bad currency', { currency: '元' }],
    ['a total with too many decimals', { total: '278.001' }],
    ['a bad date', { date_created_gmt: '20 Nov 2026' }],
    ['a refund that is not a number', { refunds: [{ id: 1, total: 'all of it' }] }],
    ['line items that are not a list', { line_items: {} }],
  ])('refuses %s with BAD_REQUEST', (_what, change) => {
    expect(() => mapWooOrder({ ...base(), ...change })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});

describe('wooCommerceWebhook', () => {
  it('maps order.created and order.updated to snapshots and ignores other topics', () => {
    const payload = platformFixture('woocommerce/order-7281-processing.json');
    expect(wooCommerceWebhook.interpret('order.created', payload)).toMatchObject({ kind: 'snapshot' });
    expect(wooCommerceWebhook.interpret('order.updated', payload)).toMatchObject({ kind: 'snapshot' });
    expect(wooCommerceWebhook.interpret('order.deleted', { id: 7281 })).toBeNull();
    expect(wooCommerceWebhook.interpret('product.updated', { id: 1 })).toBeNull();
  });

  it('recognises the unsigned ping sent when a webhook is saved, and nothing else', () => {
    const isPing = (body: string, headers: Record<string, string> = {}) =>
      wooCommerceWebhook.isPing!(Buffer.from(body), headers);
    expect(isPing('webhook_id=12')).toBe(true);
    expect(isPing('webhook_id=12', { 'x-wc-webhook-signature': 'abc' })).toBe(false);
    expect(isPing('webhook_id=12&x=1')).toBe(false);
    expect(isPing('{"webhook_id":12}')).toBe(false);
  });
});
