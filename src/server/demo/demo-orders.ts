import { DEMO_USERS } from '../../shared/demo';
import type {
  AfterSalesCase,
  Order,
  OrderItem,
  OrderNote,
  OrderStatus,
  PaymentStatus,
  Platform,
  Promotion,
  RiskFlag,
  Shipment,
} from '../../shared/domain';
import { CATALOG, DIGITAL_CATEGORY, toOrderItem } from './catalog';
import { generateCustomers, type DemoCustomer } from './customers';
import { formatMoney, orderText, type OrderText } from './order-text';
import { pickPromotion } from './promotions';
import { OrderNumbers } from './order-numbers';
import { SeededRandom } from './random';
import { buildShipment, returnTrackingNumber } from './shipping';
import { DAY, HOUR, MINUTE, iso } from './time';

export interface DemoOrderOptions {
  count: number;
  seed: number;
  /** The demo's "now": creation times spread over the preceding DEMO_SPAN_DAYS. */
  nowMs: number;
}

export const DEMO_SPAN_DAYS = 120;
/** About three orders per customer, so screen pop has several orders to rank. */
export const ORDERS_PER_CUSTOMER = 3;

const PAYMENT_METHODS: Record<DemoCustomer['currency'], readonly string[]> = {
  CNY: ['alipay', 'wechat_pay', 'unionpay'],
  USD: ['card', 'paypal', 'apple_pay'],
  GBP: ['card', 'paypal', 'apple_pay'],
};
const SHIPPING: Record<DemoCustomer['currency'], { fee: number; freeFrom: number }> = {
  CNY: { fee: 1000, freeFrom: 9900 },
  USD: { fee: 599, freeFrom: 5000 },
  GBP: { fee: 399, freeFrom: 4000 },
};
const PLATFORM_MIX: Record<DemoCustomer['locale'], readonly (readonly [Platform, number])[]> = {
  'zh-CN': [
    ['demo', 5],
    ['woocommerce', 2.5],
    ['shopify', 2.5],
  ],
  'en-US': [
    ['shopify', 5.5],
    ['woocommerce', 3.5],
    ['demo', 1],
  ],
  'en-GB': [
    ['shopify', 5.5],
    ['woocommerce', 3.5],
    ['demo', 1],
  ],
};
const TRANSIT_DAYS: Record<DemoCustomer['locale'], readonly [number, number]> = {
  'zh-CN': [1, 3],
  'en-US': [2, 5],
  'en-GB': [1, 3],
};
const AGENT_NAMES = DEMO_USERS.map((user) => user.displayName);

/**
 * Chances of the abnormal cases, [for older orders, for recent ones]. Recent orders get more so
 * that the abnormal-orders queue (which lists only conditions that still hold) has a useful
 * number of each type, even in small demo stores.
 */
// prettier-ignore
const ABNORMAL_CHANCES = {
  unpaid: { base: 0.05, recent: 0.3, withinMs: DAY },
  declinedWhileUnpaid: { base: 0.3, recent: 0.5, withinMs: DAY },
  fraudSuspect: { base: 0.01, recent: 0.08, withinMs: 14 * DAY },
  addressChanged: { base: 0.015, recent: 0.1, withinMs: 7 * DAY },
} as const;

/** [value, weight] tables: most orders have one line of one piece. */
// prettier-ignore
const LINE_COUNTS: readonly (readonly [number, number])[] = [[1, 55], [2, 28], [3, 12], [4, 5]];
// prettier-ignore
const QUANTITIES: readonly (readonly [number, number])[] = [[1, 80], [2, 15], [3, 5]];
// prettier-ignore
const CASE_KINDS: readonly (readonly [AfterSalesCase['kind'], number])[] = [['return', 5], ['exchange', 2], ['refund', 3]];

type CaseStep = readonly [AfterSalesCase['status'], number];
/** Days after opening at which an after-sales case reaches each status. */
// prettier-ignore
const CASE_STEPS: Record<'rejected' | 'refund' | 'goodsBack', readonly CaseStep[]> = {
  rejected: [['open', 0], ['rejected', 1]],
  refund: [['open', 0], ['approved', 1], ['completed', 2]],
  // Returns and exchanges wait for the goods to travel back.
  goodsBack: [['open', 0], ['approved', 1], ['in_transit', 2], ['received', 5], ['completed', 6]],
};

/**
 * Generates demo orders oldest first, deterministically from the seed and `nowMs`. A generator,
 * so a million orders stream into the store without being held in memory at once.
 */
export function* generateDemoOrders(options: DemoOrderOptions): Generator<Order> {
  const random = new SeededRandom(options.seed);
  const customers = generateCustomers(random, Math.max(1, Math.ceil(options.count / ORDERS_PER_CUSTOMER)));
  const numbers = new OrderNumbers();
  const spanMs = DEMO_SPAN_DAYS * DAY;
  const startMs = options.nowMs - spanMs;
  for (let index = 0; index < options.count; index += 1) {
    // Evenly spread with jitter; never decreasing, so insertion order is creation order.
    const createdAtMs = Math.floor(startMs + (spanMs * (index + random.next())) / options.count);
    const customer = random.pick(customers);
    yield new DemoOrderBuilder(random, numbers, customer, createdAtMs, options.nowMs).build();
  }
}

interface StatusEvent {
  ms: number;
  status: OrderStatus;
  actor: string;
  note?: string;
}

/** Builds one order by walking its lifecycle; anything scheduled after `nowMs` has not happened. */
class DemoOrderBuilder {
  private readonly text: OrderText;
  private readonly currency: DemoCustomer['currency'];
  private readonly statusEvents: StatusEvent[] = [];
  private readonly paymentEvents: { ms: number; status: PaymentStatus }[] = [];
  private readonly riskFlags: RiskFlag[] = [];
  private readonly shipments: Shipment[] = [];
  private readonly afterSales: AfterSalesCase[] = [];
  private readonly notes: OrderNote[] = [];
  private readonly items: OrderItem[];
  private readonly promotions: Promotion[] = [];
  private readonly shippingFee: number;
  private readonly paymentMethod: string;
  private paidAtMs: number | null = null;
  /** Times of everything that happened, for updatedAt. */
  private lastChangeMs: number;

  constructor(
    private readonly random: SeededRandom,
    private readonly numbers: OrderNumbers,
    private readonly customer: DemoCustomer,
    private readonly createdAtMs: number,
    private readonly nowMs: number,
  ) {
    this.text = orderText(customer.locale);
    this.currency = customer.currency;
    this.lastChangeMs = createdAtMs;
    this.items = this.pickItems();
    const subtotal = this.subtotal();
    const shipping = SHIPPING[this.currency];
    this.shippingFee = this.needsShipping() && subtotal < shipping.freeFrom ? shipping.fee : 0;
    if (random.chance(0.3)) {
      const promotion = pickPromotion(random, this.currency, subtotal, this.shippingFee);
      if (promotion) this.promotions.push(promotion);
    }
    this.paymentMethod = random.pick(PAYMENT_METHODS[this.currency]);
  }

  build(): Order {
    const platform = this.random.weighted(PLATFORM_MIX[this.customer.locale]);
    const identity = this.numbers.next(platform, this.createdAtMs, this.random);
    this.status(this.createdAtMs, 'pending_payment', 'customer', this.text.placed);
    this.payment(this.createdAtMs, 'pending');
    if (this.random.chance(this.abnormalChance('unpaid'))) this.leaveUnpaid();
    else this.payAndFulfil(identity.id);
    if (this.random.chance(0.05)) this.addAgentNote();

    const timeline = this.statusEvents
      .filter((event) => event.ms <= this.nowMs)
      .sort((a, b) => a.ms - b.ms)
      .map((event) => ({
        at: iso(event.ms),
        status: event.status,
        actor: event.actor,
        ...(event.note === undefined ? {} : { note: event.note }),
      }));
    const payments = this.paymentEvents.filter((event) => event.ms <= this.nowMs).sort((a, b) => a.ms - b.ms);
    for (const event of [...this.statusEvents, ...payments]) this.touch(event.ms);

    return {
      ...identity,
      platform,
      customer: {
        id: this.customer.id,
        name: this.customer.name,
        phone: this.customer.phone,
        email: this.customer.email,
      },
      status: timeline.at(-1)!.status,
      payment: {
        method: this.paymentMethod,
        amount: { amount: this.total(), currency: this.currency },
        status: payments.at(-1)!.status,
        paidAt: this.paidAtMs === null ? null : iso(this.paidAtMs),
      },
      items: this.items,
      shippingFee: { amount: this.shippingFee, currency: this.currency },
      shippingAddress: this.customer.address,
      shipments: this.shipments,
      afterSales: this.afterSales,
      promotions: this.promotions,
      riskFlags: this.riskFlags.sort((a, b) => a.at.localeCompare(b.at)),
      timeline,
      notes: this.notes,
      createdAt: iso(this.createdAtMs),
      updatedAt: iso(this.lastChangeMs),
      version: 1,
    };
  }

  private leaveUnpaid(): void {
    if (this.random.chance(this.abnormalChance('declinedWhileUnpaid'))) {
      const declinedAtMs = this.createdAtMs + this.random.int(1, 10) * MINUTE;
      this.flag('payment_failed', declinedAtMs, this.text.paymentDeclined);
      this.payment(declinedAtMs, 'failed');
    }
    const closeAtMs = this.createdAtMs + DAY;
    this.status(closeAtMs, 'closed', 'system', this.text.closedUnpaid);
    // Only a still-open order is "unpaid too long"; a closed one is simply closed.
    if (closeAtMs > this.nowMs)
      this.flag('unpaid_too_long', this.createdAtMs + 12 * HOUR, this.text.unpaidTooLong);
  }

  private payAndFulfil(orderId: string): void {
    const random = this.random;
    let paidAtMs = this.createdAtMs + random.int(1, 20) * MINUTE;
    if (random.chance(0.02)) {
      const declinedAtMs = this.createdAtMs + random.int(1, 5) * MINUTE;
      paidAtMs = declinedAtMs + random.int(2, 30) * MINUTE;
      this.flag('payment_failed', declinedAtMs, this.text.paymentDeclined);
      this.flag('payment_retry', paidAtMs, this.text.paidOnRetry);
    }
    if (paidAtMs > this.nowMs) return;
    this.paidAtMs = paidAtMs;
    this.status(paidAtMs, 'paid', 'system', this.text.paid(this.paymentMethod));
    this.payment(paidAtMs, 'paid');

    let readyAtMs = paidAtMs;
    if (random.chance(this.abnormalChance('fraudSuspect'))) {
      this.flag('fraud_suspect', paidAtMs + random.int(2, 10) * MINUTE, this.text.fraudSuspect);
      readyAtMs = paidAtMs + random.int(4, 30) * HOUR;
      if (random.chance(0.6)) return this.cancel(readyAtMs, 'system', this.text.fraudCancelled);
    }
    if (random.chance(0.03)) {
      return this.cancel(paidAtMs + random.int(10, 300) * MINUTE, 'customer', this.text.cancelledByCustomer);
    }
    if (!this.needsShipping()) {
      this.status(paidAtMs + MINUTE, 'completed', 'system', this.text.voucherSent);
      return;
    }

    const fulfilAtMs = readyAtMs + random.int(1, 8) * HOUR;
    this.status(fulfilAtMs, 'fulfilling', 'warehouse', this.text.fulfilling);
    if (random.chance(this.abnormalChance('addressChanged'))) {
      const minutes = random.int(10, 120);
      this.flag(
        'address_changed_after_payment',
        paidAtMs + minutes * MINUTE,
        this.text.addressChanged(minutes),
      );
    }
    const shippedAtMs = fulfilAtMs + random.int(4, 30) * HOUR;
    if (shippedAtMs > this.nowMs) return;
    this.ship(orderId, shippedAtMs);
  }

  private ship(orderId: string, shippedAtMs: number): void {
    const random = this.random;
    let exceptionAtMs: number | null = null;
    let deliveredAtMs: number;
    if (random.chance(0.04)) {
      exceptionAtMs = shippedAtMs + random.int(12, 36) * HOUR;
      // Half the exceptions are sorted out in two or three days; the rest stall for a week.
      deliveredAtMs =
        exceptionAtMs + (random.chance(0.5) ? random.int(48, 72) * HOUR : random.int(5, 9) * DAY);
    } else {
      const [minDays, maxDays] = TRANSIT_DAYS[this.customer.locale];
      deliveredAtMs = shippedAtMs + random.int(minDays, maxDays) * DAY + random.int(0, 8) * HOUR;
    }
    const { shipment, carrierName } = buildShipment(
      random,
      `shp_${orderId.slice(4)}_1`,
      this.customer,
      { shippedAtMs, deliveredAtMs, exceptionAtMs },
      this.nowMs,
    );
    this.shipments.push(shipment);
    for (const event of shipment.events) this.touch(Date.parse(event.at));
    this.status(shippedAtMs, 'shipped', 'warehouse', this.text.shipped(carrierName, shipment.trackingNumber));

    if (exceptionAtMs !== null && deliveredAtMs > this.nowMs) {
      this.flag('logistics_stalled', exceptionAtMs + 48 * HOUR, this.text.logisticsStalled);
    }
    if (deliveredAtMs > this.nowMs) return;
    this.status(deliveredAtMs, 'delivered', `carrier:${carrierName}`, this.text.delivered);

    const autoCompleteAtMs = deliveredAtMs + 7 * DAY;
    let holdsCompletion = false;
    if (random.chance(0.09)) {
      const openedAtMs = deliveredAtMs + random.int(1, 10) * DAY + random.int(0, 23) * HOUR;
      if (openedAtMs <= this.nowMs) holdsCompletion = this.openAfterSales(openedAtMs, autoCompleteAtMs);
    }
    // An open refund pauses automatic completion; its resolution sets the status instead.
    if (!holdsCompletion) this.status(autoCompleteAtMs, 'completed', 'system', this.text.autoCompleted);
  }

  /** Opens an after-sales case; true if it takes over the order's completion. */
  private openAfterSales(openedAtMs: number, autoCompleteAtMs: number): boolean {
    const random = this.random;
    const returnable = this.items.filter((item) => item.returnable);
    let kind = random.weighted(CASE_KINDS);
    if (kind !== 'refund' && returnable.length === 0) kind = 'refund';
    const item = random.pick(kind === 'refund' ? this.items : returnable);
    const lineTotal = item.unitPrice.amount * item.qty;
    const amount =
      kind === 'exchange'
        ? undefined
        : kind === 'return' || random.chance(0.5)
          ? lineTotal
          : Math.round(lineTotal * random.pick([0.2, 0.3, 0.5]));

    const rejected = random.chance(0.08);
    const steps = rejected
      ? CASE_STEPS.rejected
      : kind === 'refund'
        ? CASE_STEPS.refund
        : CASE_STEPS.goodsBack;
    const reached = steps.filter(([, day]) => openedAtMs + day * DAY <= this.nowMs);
    const [status, reachedDay] = reached.at(-1)!;
    this.touch(openedAtMs + reachedDay * DAY);

    const number = this.numbers.nextAfterSales();
    const rma =
      kind === 'refund'
        ? undefined
        : `RMA-${iso(openedAtMs).slice(0, 10).replaceAll('-', '')}-${String(number).padStart(6, '0')}`;
    const shippedBack = ['in_transit', 'received', 'completed'].includes(status);
    this.afterSales.push({
      id: `as_${String(number).padStart(7, '0')}`,
      kind,
      status,
      ...(rma ? { rma } : {}),
      ...(rma && shippedBack
        ? { returnTrackingNumber: returnTrackingNumber(random, this.customer.locale) }
        : {}),
      ...(amount === undefined ? {} : { amount: { amount, currency: this.currency } }),
      reason: random.pick(this.text.caseReasons[kind]),
      createdAt: iso(openedAtMs),
    });

    if (kind === 'exchange' || rejected || amount === undefined) return false;
    const agent = 'agent:aftersales';
    const approvedAtMs = openedAtMs + DAY;
    const resolvedAtMs = openedAtMs + steps.at(-1)![1] * DAY;
    this.status(approvedAtMs, 'refunding', agent, this.text.refundApproved(kind));
    if (amount >= this.subtotal()) {
      this.status(resolvedAtMs, 'refunded', agent, this.text.refundedInFull);
      this.payment(resolvedAtMs, 'refunded');
    } else {
      const settled = resolvedAtMs >= autoCompleteAtMs ? 'completed' : 'delivered';
      this.status(resolvedAtMs, settled, agent, this.text.refundedPartly(formatMoney(amount, this.currency)));
      this.payment(resolvedAtMs, 'partially_refunded');
      if (settled === 'delivered')
        this.status(autoCompleteAtMs, 'completed', 'system', this.text.autoCompleted);
    }
    return openedAtMs < autoCompleteAtMs;
  }

  private cancel(atMs: number, actor: string, note: string): void {
    this.status(atMs, 'cancelled', actor, note);
    this.payment(atMs, 'refunded');
  }

  private addAgentNote(): void {
    const atMs = this.createdAtMs + this.random.int(1, 72) * HOUR;
    const text = this.random.pick(this.text.agentNotes);
    const author = this.random.pick(AGENT_NAMES);
    if (atMs > this.nowMs) return;
    this.notes.push({ at: iso(atMs), author, text });
    this.touch(atMs);
  }

  private pickItems(): OrderItem[] {
    const random = this.random;
    const lineCount = random.weighted(LINE_COUNTS);
    const products = new Set<(typeof CATALOG)[number]>();
    while (products.size < lineCount) products.add(random.pick(CATALOG));
    const chinese = this.customer.locale === 'zh-CN';
    return [...products].map((product) =>
      toOrderItem(product, random.weighted(QUANTITIES), this.currency, chinese),
    );
  }

  private needsShipping(): boolean {
    return this.items.some((item) => item.category !== DIGITAL_CATEGORY);
  }

  private subtotal(): number {
    return this.items.reduce((sum, item) => sum + item.unitPrice.amount * item.qty, 0);
  }

  private total(): number {
    const discount = this.promotions.reduce((sum, promotion) => sum + promotion.discount.amount, 0);
    return this.subtotal() + this.shippingFee - discount;
  }

  private status(ms: number, status: OrderStatus, actor: string, note?: string): void {
    this.statusEvents.push({ ms, status, actor, ...(note === undefined ? {} : { note }) });
  }

  private abnormalChance(kind: keyof typeof ABNORMAL_CHANCES): number {
    const { base, recent, withinMs } = ABNORMAL_CHANCES[kind];
    return this.nowMs - this.createdAtMs < withinMs ? recent : base;
  }

  private payment(ms: number, status: PaymentStatus): void {
    this.paymentEvents.push({ ms, status });
  }

  private flag(kind: RiskFlag['kind'], ms: number, note: string): void {
    if (ms > this.nowMs) return;
    this.riskFlags.push({ kind, at: iso(ms), note });
    this.touch(ms);
  }

  private touch(ms: number): void {
    if (ms <= this.nowMs && ms > this.lastChangeMs) this.lastChangeMs = ms;
  }
}
