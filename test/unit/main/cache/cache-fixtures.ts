import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoOrders } from '../../../../src/server/demo/demo-orders';
import type { Order } from '../../../../src/shared/domain';
import type { OrderEvent } from '../../../../src/shared/protocol';

export const DEMO_NOW_MS = Date.parse('2026-11-01T00:00:00Z');

export const tempCachePath = () =>
  join(mkdtempSync(join(tmpdir(), 'order-cache-')), 'cache', 'orders.sqlite');

export function demoOrders(count: number, seed = 7): Order[] {
  return [...generateDemoOrders({ count, seed, nowMs: DEMO_NOW_MS })];
}

const [template] = demoOrders(1);

export interface TestOrderFields {
  id: string;
  displayNumber?: string;
  name?: string;
  phone?: string;
  email?: string;
  titles?: string[];
  createdAt?: string;
  version?: number;
}

/** A demo order with the fields a test is about set explicitly. */
export function testOrder(fields: TestOrderFields): Order {
  const base = structuredClone(template!);
  const titles = fields.titles ?? base.items.map((item) => item.title);
  return {
    ...base,
    id: fields.id,
    displayNumber: fields.displayNumber ?? fields.id.toUpperCase(),
    customer: {
      id: `cus_${fields.id}`,
      name: fields.name ?? base.customer.name,
      phone: fields.phone ?? base.customer.phone,
      email: fields.email ?? base.customer.email,
    },
    items: titles.map((title, index) => ({ ...base.items[0]!, sku: `sku-${index}`, title })),
    createdAt: fields.createdAt ?? base.createdAt,
    version: fields.version ?? 1,
  };
}

export function orderEvent(seq: number, order: Order): OrderEvent {
  return {
    seq,
    at: order.updatedAt,
    kind: order.version === 1 ? 'order.created' : 'order.updated',
    orderId: order.id,
    version: order.version,
    cause: { source: 'simulator' },
    order,
  };
}
