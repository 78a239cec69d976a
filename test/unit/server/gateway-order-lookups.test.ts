import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import type { Order } from '../../../src/shared/domain';
import {
  ROLE_FIELD_POLICIES,
  maskName,
  visibleOrder,
  type VisibleOrderSummary,
} from '../../../src/shared/visibility';
import { AgentClient } from './support/agent-client';
import { newestFirst, seedOrdersFile } from './support/seeded-store';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

/** The client signs in as frontline: orders arrive as that role may see them. */
const asFrontline = (order: Order) => visibleOrder(order, ROLE_FIELD_POLICIES.frontline);

const tempDir = makeTempDir();
let orders: Order[];
let gateway: Gateway;
let client: AgentClient;

beforeAll(async () => {
  const dbPath = join(tempDir.path, 'gateway.db');
  orders = await seedOrdersFile(dbPath, 1500, 13);
  gateway = await startTestGateway({ dbPath, demo: { orders: 0 } });
  client = (await AgentClient.ready(gateway.url)).client;
  await client.call('auth.login', DEMO_LOGIN);
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  tempDir.remove();
});

/** Every page of a customer's orders, following cursors. */
async function allOfCustomer(customerId: string, limit: number): Promise<VisibleOrderSummary[]> {
  const items: VisibleOrderSummary[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await client.call('orders.byCustomer', { customerId, limit, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    expect(page.items).toHaveLength(limit);
    cursor = page.nextCursor;
  }
}

const customerWithOrders = (min: number) =>
  orders.find((order) => orders.filter((o) => o.customer.id === order.customer.id).length >= min)!.customer;

describe('orders.find', () => {
  it('finds an order by its display number and by its platform id', async () => {
    for (const order of [orders[0]!, orders[777]!, orders.at(-1)!]) {
      expect(await client.call('orders.find', { displayNumber: order.displayNumber })).toEqual({
        order: asFrontline(order),
      });
      expect(
        await client.call('orders.find', {
          platform: order.platform,
          platformOrderId: order.platformOrderId,
        }),
      ).toEqual({ order: asFrontline(order) });
    }
  });

  it('answers NOT_FOUND for a number nobody has, including a real id on the wrong platform', async () => {
    expect(await client.callFailing('orders.find', { displayNumber: 'XX-0000' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    const shopify = orders.find((order) => order.platform === 'shopify')!;
    expect(
      await client.callFailing('orders.find', {
        platform: 'woocommerce',
        platformOrderId: shopify.platformOrderId,
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a lookup that mixes or lacks keys with BAD_REQUEST', async () => {
    const order = orders[5]!;
    for (const params of [
      {},
      { displayNumber: order.displayNumber, platform: order.platform },
      { platform: order.platform },
      { displayNumber: '' },
    ]) {
      expect(await client.callFailing('orders.find', params)).toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('sees the order as the last change left it', async () => {
    const order = orders[42]!;
    const { order: changed } = await gateway.changes.update(
      order.id,
      order.version,
      (current) => ({ ...current, status: 'closed' }),
      { source: 'system' },
    );
    expect(await client.call('orders.find', { displayNumber: order.displayNumber })).toEqual({
      order: asFrontline(changed),
    });
  });
});

describe('orders.byCustomer', () => {
  it("lists a customer's orders newest first across pages, with no duplicates", async () => {
    const customer = customerWithOrders(4);
    const expected = newestFirst(orders.filter((order) => order.customer.id === customer.id));
    const items = await allOfCustomer(customer.id, 2);
    expect(items.map((item) => item.id)).toEqual(expected.map((order) => order.id));
    expect(items[0]).toMatchObject({
      id: expected[0]!.id,
      displayNumber: expected[0]!.displayNumber,
      customerName: maskName(customer.name),
      total: expected[0]!.payment.amount,
    });
  });

  it('puts a new order first', async () => {
    const customer = customerWithOrders(3);
    const template = orders.find((order) => order.customer.id === customer.id)!;
    const { order } = await gateway.changes.upsert(
      { ...template, id: 'ord_new_1', platformOrderId: 'NEW1', displayNumber: 'AD-NEW-1', platform: 'demo' },
      { source: 'system' },
    );
    const { items } = await client.call('orders.byCustomer', { customerId: customer.id, limit: 1 });
    expect(items.map((item) => item.id)).toEqual([order.id]);
  });

  it('returns an empty page for an unknown customer and refuses a forged cursor', async () => {
    expect(await client.call('orders.byCustomer', { customerId: 'cus_nobody' })).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(
      await client.callFailing('orders.byCustomer', { customerId: 'cus_nobody', cursor: 'not-a-cursor' }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
