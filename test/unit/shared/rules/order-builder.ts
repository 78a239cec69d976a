import {
  Order,
  type AfterSalesCase,
  type OrderItem,
  type OrderStatus,
  type PaymentStatus,
  type RiskFlag,
  type Shipment,
} from '../../../../src/shared/domain';

/** The tests' "now"; times are given in days before it. */
export const NOW = new Date('2026-03-10T12:00:00.000Z');
const DAY_MS = 86_400_000;

export function daysAgo(days: number, now: Date = NOW): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

type Stage = 'unpaid' | 'paid' | 'label_printed' | 'shipped' | 'delivered';

/**
 * Builds valid orders for rule tests: paid CNY with no items by default; the payment amount
 * is always items + shipping - promotions, as a shop would charge it. Money in minor units.
 */
export class OrderBuilder {
  private readonly items: OrderItem[] = [];
  private readonly promotions: Order['promotions'] = [];
  private readonly cases: AfterSalesCase[] = [];
  private readonly flags: RiskFlag[] = [];
  private shippingFee = 0;
  private stage: Stage = 'paid';
  private stageAt: string;
  private paidAt: string;
  private status: OrderStatus | null = null;
  private paymentStatus: PaymentStatus | null = null;
  private id = 'ord_test';

  /** `now`: what "days ago" counts back from (the server tests use the real clock). */
  constructor(
    private readonly currency: string = 'CNY',
    private readonly now: Date = NOW,
  ) {
    this.stageAt = this.daysAgo(1);
    this.paidAt = this.daysAgo(12);
  }

  /** Sets the id, and a display number and platform id derived from it (unique per store). */
  withId(id: string): this {
    this.id = id;
    return this;
  }

  item(
    sku: string,
    unitPrice: number,
    qty = 1,
    options: { category?: string; returnable?: boolean } = {},
  ): this {
    this.items.push({
      sku,
      title: `Product ${sku}`,
      category: options.category ?? 'electronics',
      qty,
      unitPrice: { amount: unitPrice, currency: this.currency },
      returnable: options.returnable ?? true,
    });
    return this;
  }

  shipping(fee: number): this {
    this.shippingFee = fee;
    return this;
  }

  coupon(amount: number, appliesTo?: 'items' | 'shipping'): this {
    this.promotions.push({
      code: `C${this.promotions.length + 1}`,
      rule: 'test coupon',
      discount: { amount, currency: this.currency },
      ...(appliesTo ? { appliesTo } : {}),
    });
    return this;
  }

  unpaid(paymentStatus: PaymentStatus = 'pending'): this {
    this.stage = 'unpaid';
    this.paymentStatus = paymentStatus;
    return this;
  }

  paidDaysAgo(days: number): this {
    this.paidAt = this.daysAgo(days);
    return this;
  }

  labelPrinted(days = 1): this {
    return this.at('label_printed', days);
  }

  shipped(days = 1): this {
    return this.at('shipped', days);
  }

  delivered(days = 1): this {
    return this.at('delivered', days);
  }

  withStatus(status: OrderStatus, paymentStatus?: PaymentStatus): this {
    this.status = status;
    if (paymentStatus) this.paymentStatus = paymentStatus;
    return this;
  }

  afterSales(
    kind: AfterSalesCase['kind'],
    options: {
      amount?: number;
      items?: { sku: string; qty: number }[];
      status?: AfterSalesCase['status'];
    } = {},
  ): this {
    this.cases.push({
      id: `as_${this.cases.length + 1}`,
      kind,
      status: options.status ?? 'completed',
      ...(options.amount === undefined
        ? {}
        : { amount: { amount: options.amount, currency: this.currency } }),
      ...(options.items ? { items: options.items } : {}),
      reason: 'test',
      createdAt: this.daysAgo(0.5),
    });
    return this;
  }

  flag(kind: RiskFlag['kind']): this {
    this.flags.push({ kind, at: this.daysAgo(2) });
    return this;
  }

  build(): Order {
    const subtotal = this.items.reduce((sum, item) => sum + item.unitPrice.amount * item.qty, 0);
    const discount = this.promotions.reduce((sum, promotion) => sum + promotion.discount.amount, 0);
    const paid = this.stage !== 'unpaid';
    const money = (amount: number) => ({ amount, currency: this.currency });
    return Order.parse({
      id: this.id,
      platform: 'demo',
      platformOrderId: `P-${this.id}`,
      displayNumber: `DD-${this.id}`,
      customer: { id: 'cus_1', name: '张伟', phone: '+8613800138000', email: 'zw@example.com' },
      status: this.status ?? this.defaultStatus(),
      payment: {
        method: 'alipay',
        amount: money(subtotal + this.shippingFee - discount),
        status: this.paymentStatus ?? (paid ? 'paid' : 'pending'),
        paidAt: paid ? this.paidAt : null,
      },
      items: this.items,
      shippingFee: money(this.shippingFee),
      shippingAddress: {
        name: '张伟',
        phone: '+8613800138000',
        line1: '南京路 1 号',
        city: '上海',
        region: '上海',
        postalCode: '200001',
        country: 'CN',
      },
      shipments: this.shipments(),
      afterSales: this.cases,
      promotions: this.promotions,
      riskFlags: this.flags,
      timeline:
        this.stage === 'delivered' ? [{ at: this.stageAt, status: 'delivered', actor: 'carrier:SF' }] : [],
      notes: [],
      createdAt: this.daysAgo(12.1),
      updatedAt: this.daysAgo(0.1),
      version: 3,
    });
  }

  private at(stage: Stage, days: number): this {
    this.stage = stage;
    this.stageAt = this.daysAgo(days);
    return this;
  }

  private daysAgo(days: number): string {
    return daysAgo(days, this.now);
  }

  private defaultStatus(): OrderStatus {
    const byStage: Record<Stage, OrderStatus> = {
      unpaid: 'pending_payment',
      paid: 'paid',
      label_printed: 'fulfilling',
      shipped: 'shipped',
      delivered: 'delivered',
    };
    return byStage[this.stage];
  }

  private shipments(): Shipment[] {
    if (this.stage === 'unpaid' || this.stage === 'paid') return [];
    const status =
      this.stage === 'label_printed'
        ? 'label_created'
        : this.stage === 'shipped'
          ? 'in_transit'
          : 'delivered';
    return [
      {
        id: 'shp_1',
        carrier: 'SF Express',
        trackingNumber: 'SF1234567890',
        status,
        events: [{ at: this.stageAt, status, description: status }],
      },
    ];
  }
}

export const anOrder = (currency?: string, now?: Date) => new OrderBuilder(currency, now);
