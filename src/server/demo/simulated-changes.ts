import type { Order, OrderStatus, Shipment, ShipmentEvent, TimelineEntry } from '../../shared/domain';
import { DIGITAL_CATEGORY } from './catalog';
import type { CustomerLocale } from './customers';
import { orderText } from './order-text';
import type { SeededRandom } from './random';
import { WAREHOUSE, pickCarrier, shipmentText } from './shipping';
import { iso } from './time';

/** The lifecycle steps the demo simulator plays, each from the order status it applies to. */
export const STEP_FROM_STATUS = {
  pay: 'pending_payment',
  fulfil: 'paid',
  ship: 'fulfilling',
  advance_shipment: 'shipped',
} as const satisfies Record<string, OrderStatus>;
export type SimulatedStep = keyof typeof STEP_FROM_STATUS;

/** How often a parcel in transit runs into a delivery problem. */
const EXCEPTION_CHANCE = 0.1;

/**
 * The order after one lifecycle step at `nowMs`, or null when the step does not apply (e.g. a
 * shipped order without a shipment). Pure apart from the random draws; version and updatedAt
 * are left to OrderChanges.
 */
export function applySimulatedStep(
  step: SimulatedStep,
  order: Order,
  random: SeededRandom,
  nowMs: number,
): Order | null {
  if (order.status !== STEP_FROM_STATUS[step]) return null;
  const text = orderText(localeOf(order));
  switch (step) {
    case 'pay':
      return {
        ...withStatus(order, 'paid', 'system', nowMs, text.paid(order.payment.method)),
        payment: { ...order.payment, status: 'paid', paidAt: iso(nowMs) },
        // Paid now: no longer an abnormal unpaid order.
        riskFlags: order.riskFlags.filter((flag) => flag.kind !== 'unpaid_too_long'),
      };
    case 'fulfil':
      return order.items.every((item) => item.category === DIGITAL_CATEGORY)
        ? withStatus(order, 'completed', 'system', nowMs, text.voucherSent)
        : withStatus(order, 'fulfilling', 'warehouse', nowMs, text.fulfilling);
    case 'ship':
      return ship(order, random, nowMs);
    case 'advance_shipment':
      return advanceShipment(order, random, nowMs);
  }
}

/** A new order placed now by the customer of `template`, for the same items. */
export function placeOrderLike(
  template: Order,
  identity: Pick<Order, 'id' | 'platformOrderId' | 'displayNumber'>,
  nowMs: number,
): Order {
  const subtotal = template.items.reduce((sum, item) => sum + item.unitPrice.amount * item.qty, 0);
  const placedAt = iso(nowMs);
  return {
    ...identity,
    platform: 'demo',
    customer: template.customer,
    status: 'pending_payment',
    payment: {
      method: template.payment.method,
      amount: { amount: subtotal + template.shippingFee.amount, currency: template.payment.amount.currency },
      status: 'pending',
      paidAt: null,
    },
    items: template.items,
    shippingFee: template.shippingFee,
    shippingAddress: template.shippingAddress,
    shipments: [],
    afterSales: [],
    promotions: [],
    riskFlags: [],
    timeline: [
      {
        at: placedAt,
        status: 'pending_payment',
        actor: 'customer',
        note: orderText(localeOf(template)).placed,
      },
    ],
    notes: [],
    createdAt: placedAt,
    updatedAt: placedAt,
    version: 0,
  };
}

function ship(order: Order, random: SeededRandom, nowMs: number): Order {
  const locale = localeOf(order);
  const carrier = pickCarrier(random, locale);
  const trackingNumber = carrier.trackingNumber(random);
  const labelCreated: ShipmentEvent = {
    at: iso(nowMs),
    status: 'label_created',
    location: WAREHOUSE[locale],
    description: shipmentText(locale).labelCreated,
  };
  const shipment: Shipment = {
    id: `shp_${order.id.slice(4)}_${order.shipments.length + 1}`,
    carrier: carrier.name,
    trackingNumber,
    status: 'label_created',
    events: [labelCreated],
  };
  const note = orderText(locale).shipped(carrier.name, trackingNumber);
  return {
    ...withStatus(order, 'shipped', 'warehouse', nowMs, note),
    shipments: [...order.shipments, shipment],
  };
}

/** The parcel's next carrier scan; its delivery also delivers the order. */
function advanceShipment(order: Order, random: SeededRandom, nowMs: number): Order | null {
  const shipment = order.shipments.at(-1);
  if (!shipment) return null;
  const locale = localeOf(order);
  const text = shipmentText(locale);
  const city = order.shippingAddress.city;
  const scan = (status: ShipmentEvent['status'], description: string, location = city): ShipmentEvent => ({
    at: iso(nowMs),
    status,
    location,
    description,
  });

  let next: ShipmentEvent;
  switch (shipment.status) {
    case 'label_created':
      next = scan('in_transit', text.pickedUp, WAREHOUSE[locale]);
      break;
    case 'in_transit': {
      const scans = shipment.events.filter((event) => event.status === 'in_transit').length;
      if (random.chance(EXCEPTION_CHANCE)) next = scan('exception', random.pick(text.exception));
      else if (scans < 2) next = scan('in_transit', text.arrived(city));
      else next = scan('out_for_delivery', text.outForDelivery);
      break;
    }
    case 'exception':
      next = scan('in_transit', text.redelivery);
      break;
    case 'out_for_delivery':
      next = scan('delivered', random.pick(text.delivered));
      break;
    case 'delivered':
    case 'returned':
      return null;
  }

  const moved: Shipment = { ...shipment, status: next.status, events: [...shipment.events, next] };
  const shipments = [...order.shipments.slice(0, -1), moved];
  if (next.status !== 'delivered') return { ...order, shipments };
  const delivered = withStatus(
    order,
    'delivered',
    `carrier:${shipment.carrier}`,
    nowMs,
    orderText(locale).delivered,
  );
  return { ...delivered, shipments };
}

function withStatus(order: Order, status: OrderStatus, actor: string, nowMs: number, note: string): Order {
  const entry: TimelineEntry = { at: iso(nowMs), status, actor, note };
  return { ...order, status, timeline: [...order.timeline, entry] };
}

/** The demo's markets, told apart by the shipping country. */
function localeOf(order: Order): CustomerLocale {
  const country = order.shippingAddress.country;
  return country === 'CN' ? 'zh-CN' : country === 'GB' ? 'en-GB' : 'en-US';
}
