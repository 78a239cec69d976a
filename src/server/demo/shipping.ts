import type { Shipment, ShipmentEvent } from '../../shared/domain';
import type { CustomerLocale, DemoCustomer } from './customers';
import type { SeededRandom } from './random';
import { HOUR, iso } from './time';

export interface Carrier {
  name: string;
  trackingNumber(random: SeededRandom): string;
}

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const letters = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => random.pick([...LETTERS])).join('');

const CARRIERS: Record<CustomerLocale, readonly (readonly [Carrier, number])[]> = {
  'zh-CN': [
    [{ name: 'SF Express', trackingNumber: (r) => `SF${r.digits(13)}` }, 4],
    [{ name: 'YTO Express', trackingNumber: (r) => `YT${r.digits(13)}` }, 3],
    [{ name: 'ZTO Express', trackingNumber: (r) => `7${r.digits(14)}` }, 2],
    [{ name: 'JD Logistics', trackingNumber: (r) => `JDV${r.digits(12)}` }, 2],
  ],
  'en-US': [
    [{ name: 'UPS', trackingNumber: (r) => `1Z${letters(r, 3)}${r.digits(3)}${r.digits(10)}` }, 4],
    [{ name: 'USPS', trackingNumber: (r) => `9400${r.digits(18)}` }, 3],
    [{ name: 'FedEx', trackingNumber: (r) => r.digits(12) }, 2],
  ],
  'en-GB': [
    [{ name: 'Royal Mail', trackingNumber: (r) => `${letters(r, 2)}${r.digits(9)}GB` }, 4],
    [{ name: 'DPD', trackingNumber: (r) => r.digits(14) }, 3],
    [{ name: 'Evri', trackingNumber: (r) => `H${r.digits(15)}` }, 2],
  ],
};

/** Where each market's parcels leave from. */
export const WAREHOUSE: Record<CustomerLocale, string> = {
  'zh-CN': '杭州市',
  'en-US': 'Reno, NV',
  'en-GB': 'Daventry',
};

const TEXT = {
  'zh-CN': {
    labelCreated: '商家已发货，等待快递员揽收',
    pickedUp: '快件已揽收',
    arrived: (city: string) => `快件已到达【${city}转运中心】`,
    outForDelivery: '快件正在派送中',
    delivered: ['快件已签收，签收人：本人', '快件已放入快递柜，请凭取件码取件'],
    exception: ['收件人电话无法接通，派送失败', '地址信息不详，快件滞留网点'],
    redelivery: '已联系收件人，安排再次派送',
  },
  en: {
    labelCreated: 'Shipping label created',
    pickedUp: 'Picked up by carrier',
    arrived: (city: string) => `Arrived at ${city} facility`,
    outForDelivery: 'Out for delivery',
    delivered: ['Delivered, handed to resident', 'Delivered to front door'],
    exception: [
      'Delivery attempted: recipient not available',
      'Address issue: carrier needs more information',
    ],
    redelivery: 'Redelivery scheduled with recipient',
  },
} as const;

/** The carrier text of a market, in its language. */
export function shipmentText(locale: CustomerLocale): (typeof TEXT)[keyof typeof TEXT] {
  return locale === 'zh-CN' ? TEXT['zh-CN'] : TEXT.en;
}

/** A carrier of the market, weighted by how common it is there. */
export function pickCarrier(random: SeededRandom, locale: CustomerLocale): Carrier {
  return random.weighted(CARRIERS[locale]);
}

/**
 * When a parcel moves. Delivery comes at least a day after shipping, and at least two days after
 * an exception (the redelivery is arranged the day before it).
 */
export interface ShipmentPlan {
  shippedAtMs: number;
  deliveredAtMs: number;
  exceptionAtMs: number | null;
}

/**
 * A shipment with its event timeline up to `nowMs`: events in the future have not happened yet,
 * and the shipment's status is that of its last event.
 */
export function buildShipment(
  random: SeededRandom,
  id: string,
  customer: DemoCustomer,
  plan: ShipmentPlan,
  nowMs: number,
): { shipment: Shipment; carrierName: string } {
  const carrier = pickCarrier(random, customer.locale);
  const text = shipmentText(customer.locale);
  const destination = customer.address.city;
  const { shippedAtMs, deliveredAtMs, exceptionAtMs } = plan;

  const events: ShipmentEvent[] = [
    {
      at: iso(shippedAtMs),
      status: 'label_created',
      location: WAREHOUSE[customer.locale],
      description: text.labelCreated,
    },
    {
      at: iso(shippedAtMs + random.int(2, 6) * HOUR),
      status: 'in_transit',
      location: WAREHOUSE[customer.locale],
      description: text.pickedUp,
    },
  ];
  const arrivedAtMs = Math.max(shippedAtMs + 8 * HOUR, deliveredAtMs - random.int(10, 20) * HOUR);
  if (exceptionAtMs !== null) {
    events.push({
      at: iso(exceptionAtMs),
      status: 'exception',
      location: destination,
      description: random.pick(text.exception),
    });
    events.push({
      at: iso(deliveredAtMs - random.int(20, 30) * HOUR),
      status: 'in_transit',
      location: destination,
      description: text.redelivery,
    });
  } else {
    events.push({
      at: iso(arrivedAtMs),
      status: 'in_transit',
      location: destination,
      description: text.arrived(destination),
    });
  }
  events.push({
    at: iso(deliveredAtMs - random.int(2, 5) * HOUR),
    status: 'out_for_delivery',
    location: destination,
    description: text.outForDelivery,
  });
  events.push({
    at: iso(deliveredAtMs),
    status: 'delivered',
    location: destination,
    description: random.pick(text.delivered),
  });

  const happened = events.filter((event) => Date.parse(event.at) <= nowMs);
  return {
    shipment: {
      id,
      carrier: carrier.name,
      trackingNumber: carrier.trackingNumber(random),
      status: happened.at(-1)?.status ?? 'label_created',
      events: happened,
    },
    carrierName: carrier.name,
  };
}

/** A tracking number for a parcel the customer sends back, with a carrier of their market. */
export function returnTrackingNumber(random: SeededRandom, locale: CustomerLocale): string {
  return pickCarrier(random, locale).trackingNumber(random);
}
