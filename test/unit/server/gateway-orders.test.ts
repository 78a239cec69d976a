import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/server/db/open-database';
import type { Gateway } from '../../../src/server/gateway';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import type { Order } from '../../../src/shared/domain';
import {
  ROLE_FIELD_POLICIES,
  maskPhone,
  visibleOrder,
  type VisibleOrderSummary,
} from '../../../src/shared/visibility';
import type { OrderSearchQuery } from '../../../src/shared/protocol';
import { AgentClient } from './support/agent-client';
import { digitsOf, newestFirst, seedOrdersFile } from './support/seeded-store';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const ORDER_COUNT = 3000;
const tempDir = makeTempDir();
const dbPath = join(tempDir.path, 'gateway.db');
let orders: Order[];
let gateway: Gateway;
let client: AgentClient;

beforeAll(async () => {
  orders = await seedOrdersFile(dbPath, ORDER_COUNT, 11);
  // Demo mode on a store that already has orders only adds the demo users.
  // These tests page through whole match sets: the per-agent search limit is not what they test.
  gateway = await startTestGateway({
    dbPath,
    demo: { orders: 500, seed: 99 },
    personalSearchLimits: { burst: 100_000, perMinute: 100_000, perHour: 100_000 },
  });
  client = (await AgentClient.ready(gateway.url)).client;
  await client.call('auth.login', DEMO_LOGIN);
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  tempDir.remove();
});

async function searchAll(query: OrderSearchQuery): Promise<VisibleOrderSummary[]> {
  const items: VisibleOrderSummary[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await client.call('orders.search', { ...query, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
}

const byId = (id: string) => orders.find((order) => order.id === id)!;
const idsNewestFirst = (predicate: (order: Order) => boolean) =>
  newestFirst(orders.filter(predicate)).map((order) => order.id);

describe('orders over the websocket', () => {
  it('kept the pre-seeded orders instead of seeding demo orders again', () => {
    const db = openDatabase(dbPath);
    const count = new SqliteOrderStore(db).count();
    db.close();
    return expect(count).resolves.toBe(ORDER_COUNT);
  });

  it('finds an order by a 4+ character substring of its display number', async () => {
    const sample = orders[1777]!;
    for (const text of [
      sample.displayNumber.slice(-6),
      sample.displayNumber.slice(0, 6),
      sample.displayNumber,
    ]) {
      const items = await searchAll({ text, limit: 100 });
      expect(items.map((item) => item.id)).toContain(sample.id);
      for (const item of items) {
        const order = byId(item.id);
        const matches = [
          order.displayNumber,
          digitsOf(order.customer.phone),
          order.customer.name,
          ...order.items.map((i) => i.title),
        ];
        expect(matches.some((field) => field.toLowerCase().includes(text.toLowerCase()))).toBe(true);
      }
    }
  });

  it('finds a caller by the last 4 digits or the whole number, and by no other part of it (frontline sees phones masked)', async () => {
    const sample = orders.find(
      (order) =>
        order.customer.phone.startsWith('+86') &&
        orders.filter((o) => o.customer.id === order.customer.id).length >= 3,
    )!;
    const digits = digitsOf(sample.customer.phone);
    const nationalNumber = digits.slice(2);
    const cases: [text: string, phoneMatches: (phoneDigits: string) => boolean][] = [
      [digits.slice(-4), (phone) => phone.endsWith(digits.slice(-4))],
      [sample.customer.phone, (phone) => phone === digits],
      [nationalNumber, (phone) => phone === digits],
      // Six middle digits: only order numbers match, never a phone.
      [digits.slice(5, 11), () => false],
    ];
    for (const [text, phoneMatches] of cases) {
      const query = text.replace(/\D/g, '');
      const matches = (order: Order) =>
        phoneMatches(digitsOf(order.customer.phone)) || order.displayNumber.includes(query);
      const items = await searchAll({ text, limit: 100 });
      expect(
        items.map((item) => item.id),
        text,
      ).toEqual(idsNewestFirst(matches));
      for (const item of items) expect(item.customerPhone).toBe(maskPhone(byId(item.id).customer.phone));
    }
    const wholeNumber = (await searchAll({ text: sample.customer.phone, limit: 100 })).map((item) => item.id);
    for (const order of orders.filter((o) => o.customer.id === sample.customer.id))
      expect(wholeNumber).toContain(order.id);
  });

  it('finds customers by the whole name, never by a prefix of it (frontline sees names masked)', async () => {
    const sample = orders.find((order) => /^[\u4e00-\u9fff]{3}$/.test(order.customer.name))!;
    const { name } = sample.customer;
    const byName = await searchAll({ text: name, limit: 100 });
    expect(byName.map((item) => item.id)).toEqual(
      idsNewestFirst(
        (order) =>
          order.customer.name === name ||
          order.displayNumber.includes(name) ||
          order.items.some((item) => item.title.includes(name)),
      ),
    );
    expect(byName.map((item) => item.id)).toContain(sample.id);
    const byPrefix = await searchAll({ text: name.slice(0, 2), limit: 100 });
    expect(byPrefix.map((item) => item.id)).toEqual(
      idsNewestFirst((order) => order.customer.name === name.slice(0, 2)),
    );
  });

  it('applies filters and paginates without duplicates, newest first', async () => {
    const items = await searchAll({ statuses: ['completed'], platforms: ['woocommerce'], limit: 13 });
    const ids = items.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      idsNewestFirst((order) => order.status === 'completed' && order.platform === 'woocommerce'),
    );
    const created = items.map((item) => Date.parse(item.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('gets a whole order by id, and NOT_FOUND for an unknown id', async () => {
    const sample = orders[42]!;
    // Signed in as frontline: the order as that role may see it.
    expect((await client.call('orders.get', { id: sample.id })).order).toEqual(
      visibleOrder(sample, ROLE_FIELD_POLICIES.frontline),
    );
    expect(await client.callFailing('orders.get', { id: 'ord_sh_0' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
