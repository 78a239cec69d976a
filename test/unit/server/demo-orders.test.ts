import { describe, expect, it } from 'vitest';
import { DEMO_SPAN_DAYS, generateDemoOrders } from '../../../src/server/demo/demo-orders';
import { Order, type OrderStatus } from '../../../src/shared/domain';

const NOW_MS = Date.parse('2026-03-01T08:00:00.000Z');
const DAY = 86_400_000;
const orders = [...generateDemoOrders({ count: 3000, seed: 42, nowMs: NOW_MS })];

const isChineseName = (name: string) => /^[\u4e00-\u9fff]{2,4}$/.test(name);
const fraction = (predicate: (order: Order) => boolean) => orders.filter(predicate).length / orders.length;

describe('generateDemoOrders', () => {
  it('produces orders that all pass the shared Order schema', () => {
    for (const order of orders) {
      const parsed = Order.safeParse(order);
      if (!parsed.success) throw new Error(`${order.id}: ${parsed.error.message}`);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = [...generateDemoOrders({ count: 3000, seed: 42, nowMs: NOW_MS })];
    expect(again).toEqual(orders);
    const other = [...generateDemoOrders({ count: 3000, seed: 43, nowMs: NOW_MS })];
    expect(other.map((order) => order.customer.phone)).not.toEqual(
      orders.map((order) => order.customer.phone),
    );
  });

  it('creates orders oldest first over the last ~120 days, never in the future', () => {
    const created = orders.map((order) => Date.parse(order.createdAt));
    for (let i = 1; i < created.length; i += 1) expect(created[i]).toBeGreaterThanOrEqual(created[i - 1]!);
    expect(created[0]).toBeGreaterThanOrEqual(NOW_MS - DEMO_SPAN_DAYS * DAY);
    expect(created[0]).toBeLessThan(NOW_MS - (DEMO_SPAN_DAYS - 1) * DAY);
    expect(created.at(-1)).toBeLessThanOrEqual(NOW_MS);
    expect(created.at(-1)).toBeGreaterThan(NOW_MS - DAY);
  });

  it('gives every order unique ids and unique display numbers of at least 8 characters', () => {
    expect(new Set(orders.map((order) => order.id)).size).toBe(orders.length);
    expect(new Set(orders.map((order) => order.displayNumber)).size).toBe(orders.length);
    const formats: Record<Order['platform'], RegExp> = {
      shopify: /^SH-\d{6,}$/,
      woocommerce: /^WC-\d{6,}$/,
      demo: /^AD-\d{4}-\d{6}$/,
    };
    for (const order of orders) {
      expect(order.displayNumber.length).toBeGreaterThanOrEqual(8);
      expect(order.displayNumber).toMatch(formats[order.platform]);
    }
    for (const platform of ['shopify', 'woocommerce', 'demo'] as const) {
      expect(fraction((order) => order.platform === platform)).toBeGreaterThan(0.1);
    }
  });

  it('mixes Chinese and English customers with matching E.164 phones and currencies', () => {
    expect(fraction((order) => isChineseName(order.customer.name))).toBeGreaterThan(0.4);
    expect(fraction((order) => isChineseName(order.customer.name))).toBeLessThan(0.6);
    for (const order of orders) {
      const { name, phone, email } = order.customer;
      expect(email).toMatch(/^[a-z.]+\d+@example\.(com|net|org)$/);
      if (isChineseName(name)) {
        expect(phone).toMatch(/^\+861[3-9]\d{9}$/);
        expect(order.payment.amount.currency).toBe('CNY');
      } else {
        expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
        expect(phone).toMatch(/^(\+1[2-9]\d{9}|\+447\d{9})$/);
        expect(order.payment.amount.currency).toBe(phone.startsWith('+1') ? 'USD' : 'GBP');
      }
    }
  });

  it('gives customers about three orders each, with one phone per customer', () => {
    const byCustomer = new Map<string, Set<string>>();
    for (const order of orders)
      byCustomer.set(
        order.customer.id,
        (byCustomer.get(order.customer.id) ?? new Set()).add(order.customer.phone),
      );
    const perCustomer = orders.length / byCustomer.size;
    expect(perCustomer).toBeGreaterThan(2.5);
    expect(perCustomer).toBeLessThan(3.6);
    for (const phones of byCustomer.values()) expect(phones.size).toBe(1);
    expect(new Set(orders.map((order) => order.customer.phone)).size).toBe(byCustomer.size);
  });

  it('keeps money consistent: total = items + shipping - discounts, all in one currency', () => {
    for (const order of orders) {
      const currency = order.payment.amount.currency;
      const items = order.items.reduce((sum, item) => sum + item.unitPrice.amount * item.qty, 0);
      const discounts = order.promotions.reduce((sum, promotion) => sum + promotion.discount.amount, 0);
      expect(order.payment.amount.amount).toBe(items + order.shippingFee.amount - discounts);
      expect(order.payment.amount.amount).toBeGreaterThan(0);
      for (const money of [
        order.shippingFee,
        ...order.items.map((item) => item.unitPrice),
        ...order.promotions.map((p) => p.discount),
      ]) {
        expect(money.currency).toBe(currency);
      }
    }
    expect(fraction((order) => order.promotions.length > 0)).toBeGreaterThan(0.1);
    expect(orders.some((order) => order.promotions.some((p) => p.rule === '满300减30'))).toBe(true);
  });

  it('has non-returnable items and never opens a return or exchange on them', () => {
    expect(
      orders.some((order) => order.items.some((item) => item.category === 'underwear' && !item.returnable)),
    ).toBe(true);
    expect(
      orders.some((order) =>
        order.items.some((item) => item.category === 'digital_voucher' && !item.returnable),
      ),
    ).toBe(true);
    for (const order of orders) {
      for (const aftersales of order.afterSales) {
        if (aftersales.kind !== 'refund') expect(order.items.some((item) => item.returnable)).toBe(true);
        if (aftersales.kind !== 'refund') expect(aftersales.rma).toMatch(/^RMA-\d{8}-\d{6}$/);
      }
    }
  });

  it('covers every lifecycle status with a plausible distribution', () => {
    const counts = new Map<OrderStatus, number>();
    for (const order of orders) counts.set(order.status, (counts.get(order.status) ?? 0) + 1);
    for (const status of [
      'pending_payment',
      'paid',
      'fulfilling',
      'shipped',
      'delivered',
      'completed',
      'cancelled',
      'refunding',
      'refunded',
      'closed',
    ] as const) {
      expect(counts.get(status) ?? 0, status).toBeGreaterThan(0);
    }
    expect(counts.get('completed')! / orders.length).toBeGreaterThan(0.5);
  });

  it('writes timelines in order, ending in the current status, and nothing after now', () => {
    for (const order of orders) {
      const times = order.timeline.map((entry) => Date.parse(entry.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(order.timeline[0]!.status).toBe('pending_payment');
      expect(order.timeline.at(-1)!.status).toBe(order.status);
      expect(order.version).toBe(1);
      const updated = Date.parse(order.updatedAt);
      expect(updated).toBeGreaterThanOrEqual(Date.parse(order.createdAt));
      expect(updated).toBeLessThanOrEqual(NOW_MS);
      for (const shipment of order.shipments) {
        const eventTimes = shipment.events.map((event) => Date.parse(event.at));
        expect(eventTimes).toEqual([...eventTimes].sort((a, b) => a - b));
        expect(Math.max(...eventTimes)).toBeLessThanOrEqual(updated);
        expect(shipment.status).toBe(shipment.events.at(-1)!.status);
      }
    }
  });

  it('ships with the carriers of each market and tracks delivered orders to delivery', () => {
    const carriers = new Set(orders.flatMap((order) => order.shipments.map((shipment) => shipment.carrier)));
    for (const carrier of ['SF Express', 'YTO Express', 'UPS', 'Royal Mail'])
      expect(carriers).toContain(carrier);
    for (const order of orders.filter((o) => o.status === 'delivered' || o.status === 'completed')) {
      if (order.items.every((item) => item.category === 'digital_voucher')) continue;
      expect(order.shipments[0]!.status).toBe('delivered');
    }
    expect(
      orders.some((order) =>
        order.shipments.some((shipment) => shipment.events.some((e) => e.status === 'exception')),
      ),
    ).toBe(true);
  });

  it('flags a few percent of orders with risk flags and opens some after-sales cases', () => {
    const flagged = fraction((order) => order.riskFlags.length > 0);
    expect(flagged).toBeGreaterThan(0.01);
    expect(flagged).toBeLessThan(0.15);
    const kinds = new Set(orders.flatMap((order) => order.riskFlags.map((flag) => flag.kind)));
    for (const kind of ['fraud_suspect', 'address_changed_after_payment', 'payment_failed'] as const)
      expect(kinds).toContain(kind);
    const caseKinds = new Set(orders.flatMap((order) => order.afterSales.map((c) => c.kind)));
    expect([...caseKinds].sort()).toEqual(['exchange', 'refund', 'return']);
  });
});
