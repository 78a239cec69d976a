import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/server/db/migrations';
import { openDatabase, type SqliteDatabase } from '../../../src/server/db/open-database';
import type { Gateway } from '../../../src/server/gateway';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import {
  ABNORMAL_TYPES,
  AbnormalOrdersQuery,
  abnormalitiesOf,
  type AbnormalOrdersPage,
  type AbnormalType,
} from '../../../src/shared/abnormal';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import type { Order } from '../../../src/shared/domain';
import { AgentClient } from './support/agent-client';
import { FIXTURE_NOW_MS, seedOrdersFile } from './support/seeded-store';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';

const ORDER_COUNT = 3000;
const DAY = 24 * 60 * 60 * 1000;
const tempDir = makeTempDir();
const dbPath = join(tempDir.path, 'gateway.db');
let orders: Order[];

beforeAll(async () => {
  orders = await seedOrdersFile(dbPath, ORDER_COUNT, 11);
});

afterAll(() => tempDir.remove());

/** What the queue must hold: every (order, type) of the seeded orders, by the shared rule. */
function expectedRows(filter: (order: Order, type: AbnormalType, sinceMs: number) => boolean) {
  return orders.flatMap((order, index) =>
    abnormalitiesOf(order)
      .map((abnormality) => ({
        order,
        seq: index + 1,
        type: abnormality.type,
        sinceMs: Date.parse(abnormality.since),
      }))
      .filter((row) => filter(row.order, row.type, row.sinceMs)),
  );
}

function oldestFirst<T extends { sinceMs: number; seq: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.sinceMs - b.sinceMs || a.seq - b.seq);
}

describe('the abnormal-orders queue in the store', () => {
  let db: SqliteDatabase;
  let store: SqliteOrderStore;
  const scope = { nowMs: FIXTURE_NOW_MS, types: ABNORMAL_TYPES };

  beforeAll(() => {
    db = openDatabase(dbPath);
    store = new SqliteOrderStore(db);
  });
  afterAll(() => db.close());

  async function all(query: Partial<AbnormalOrdersQuery>, pageScope = scope) {
    const items: AbnormalOrdersPage['items'] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await store.abnormal(
        AbnormalOrdersQuery.parse({ ...query, ...(cursor ? { cursor } : {}) }),
        pageScope,
      );
      items.push(...page.items);
      if (page.nextCursor === null) return { items, last: page };
      cursor = page.nextCursor;
    }
  }

  it('has orders of every type in the demo data, and counts them per type', async () => {
    const { counts, total } = await store.abnormal(AbnormalOrdersQuery.parse({}), scope);
    for (const type of ABNORMAL_TYPES) {
      expect(counts[type], type).toBe(expectedRows((_o, t) => t === type).length);
      expect(counts[type], type).toBeGreaterThan(0);
    }
    expect(total).toBe(orders.filter((order) => abnormalitiesOf(order).length > 0).length);
  });

  it('lists one type oldest first over several pages, without gaps or duplicates', async () => {
    for (const type of ABNORMAL_TYPES) {
      const { items } = await all({ type, limit: 3 });
      const expected = oldestFirst(expectedRows((_o, t) => t === type));
      expect(items.map((item) => item.order.id)).toEqual(expected.map((row) => row.order.id));
      expect(items.every((item) => item.type === type)).toBe(true);
      for (const item of items) {
        expect(item.abnormalities).toEqual(abnormalitiesOf(orders.find((o) => o.id === item.order.id)!));
      }
    }
  });

  it('lists newest first on request, and every order once when no type is chosen', async () => {
    const newest = await all({ type: 'shipping_exception', order: 'newest', limit: 2 });
    const expected = oldestFirst(expectedRows((_o, t) => t === 'shipping_exception')).reverse();
    expect(newest.items.map((item) => item.order.id)).toEqual(expected.map((row) => row.order.id));

    const everything = await all({ limit: 7 });
    const ids = everything.items.map((item) => item.order.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(everything.last.total);
    const since = everything.items.map((item) => Date.parse(item.since));
    expect(since).toEqual([...since].sort((a, b) => a - b));
  });

  it('filters by platform and by age', async () => {
    const { items, last } = await all({ type: 'fraud_suspect', platforms: ['shopify', 'woocommerce'] });
    const expected = oldestFirst(
      expectedRows((order, type) => type === 'fraud_suspect' && order.platform !== 'demo'),
    );
    expect(items.map((item) => item.order.id)).toEqual(expected.map((row) => row.order.id));
    expect(last.counts.fraud_suspect).toBe(expected.length);

    const stalled = expectedRows((_o, type) => type === 'logistics_stalled');
    const minAgeDays = 2;
    const old = await all({ type: 'logistics_stalled', minAgeDays });
    const expectedOld = stalled.filter((row) => row.sinceMs <= FIXTURE_NOW_MS - minAgeDays * DAY);
    expect(old.items.map((item) => item.order.id).sort()).toEqual(
      expectedOld.map((row) => row.order.id).sort(),
    );
    expect(expectedOld.length).toBeLessThan(stalled.length);
  });

  it('lists only the types of the scope, and refuses another', async () => {
    const types: AbnormalType[] = ['shipping_exception', 'logistics_stalled'];
    const page = await store.abnormal(AbnormalOrdersQuery.parse({}), { nowMs: FIXTURE_NOW_MS, types });
    expect(Object.keys(page.counts).sort()).toEqual([...types].sort());
    for (const item of page.items) {
      expect(types).toContain(item.type);
      for (const abnormality of item.abnormalities) expect(types).toContain(abnormality.type);
    }
    await expect(
      store.abnormal(AbnormalOrdersQuery.parse({ type: 'fraud_suspect' }), { nowMs: FIXTURE_NOW_MS, types }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a forged cursor', async () => {
    await expect(
      store.abnormal(AbnormalOrdersQuery.parse({ cursor: 'bm90LWEtY3Vyc29y' }), scope),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('fills the side table from the documents when a database predates it', () => {
    const expected = db
      .prepare('SELECT seq, type, since_ms, is_primary FROM order_abnormalities ORDER BY seq, type')
      .all();
    db.exec('DELETE FROM order_abnormalities');
    db.transaction(() =>
      MIGRATIONS.find((migration) => migration.name === 'abnormal orders')!.backfill!(db),
    )();
    expect(
      db.prepare('SELECT seq, type, since_ms, is_primary FROM order_abnormalities ORDER BY seq, type').all(),
    ).toEqual(expected);
  });
});

describe('orders.abnormal over the websocket', () => {
  let gateway: Gateway;
  let frontline: AgentClient;
  let logistics: AgentClient;

  beforeAll(async () => {
    gateway = await startTestGateway({ dbPath, demo: { orders: 0 } });
    frontline = (await AgentClient.ready(gateway.url)).client;
    await frontline.call('auth.login', { username: 'frontline', password: DEMO_PASSWORD });
    logistics = (await AgentClient.ready(gateway.url)).client;
    await logistics.call('auth.login', { username: 'logistics', password: DEMO_PASSWORD });
  });

  afterAll(async () => {
    await frontline?.close();
    await logistics?.close();
    await gateway?.close();
  });

  it('answers a page with counts, and masks the customer as search does', async () => {
    const page = await frontline.call('orders.abnormal', { type: 'payment_failed', limit: 5 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.counts.payment_failed).toBeGreaterThanOrEqual(page.items.length);
    for (const item of page.items) {
      const order = orders.find((o) => o.id === item.order.id)!;
      expect(item.order.customerPhone).not.toBe(order.customer.phone);
      expect(item.order.customerPhone).toContain('*');
    }
  });

  it('keeps risk-derived types from a role that may not see risk flags', async () => {
    const page = await logistics.call('orders.abnormal', {});
    expect(page.counts.fraud_suspect).toBeUndefined();
    expect(page.counts.shipping_exception).toBeGreaterThan(0);
    expect(await logistics.callFailing('orders.abnormal', { type: 'fraud_suspect' })).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('rejects invalid params', async () => {
    for (const params of [{ type: 'lost' }, { limit: 0 }, { order: 'random' }, { extra: 1 }]) {
      expect(await frontline.callFailing('orders.abnormal', params)).toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('search honours the date range with several statuses over the websocket', async () => {
    const createdFrom = orders[1200]!.createdAt;
    const createdTo = orders[1800]!.createdAt;
    const statuses = ['completed', 'cancelled'] as const;
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await frontline.call('orders.search', {
        statuses: [...statuses],
        createdFrom,
        createdTo,
        limit: 50,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const expected = orders
      .filter(
        (order) =>
          (statuses as readonly string[]).includes(order.status) &&
          order.createdAt >= createdFrom &&
          order.createdAt <= createdTo,
      )
      .reverse()
      .map((order) => order.id);
    expect(ids).toEqual(expected);
    expect(expected.length).toBeGreaterThan(10);
  });

  it('follows writes: an agent changing the address after payment, a webhook flagging fraud', async () => {
    const before = await frontline.call('orders.abnormal', {
      type: 'address_changed_after_payment',
      limit: 200,
    });
    const target = orders.find(
      (order) =>
        order.status === 'fulfilling' &&
        order.shipments.length === 0 &&
        order.riskFlags.length === 0 &&
        order.platform === 'demo',
    )!;
    const { order: current } = await frontline.call('orders.get', { id: target.id });
    await frontline.call('orders.action', {
      orderId: target.id,
      expectedVersion: current.version,
      idempotencyKey: 'abnormal-address-1',
      action: { type: 'address_change', address: { ...target.shippingAddress, line1: '88 New Road' } },
    });
    const after = await frontline.call('orders.abnormal', {
      type: 'address_changed_after_payment',
      order: 'newest',
      limit: 200,
    });
    expect(after.counts.address_changed_after_payment).toBe(before.counts.address_changed_after_payment! + 1);
    expect(after.items[0]!.order.id).toBe(target.id);

    const suspect = orders.find((order) => order.status === 'shipped' && order.riskFlags.length === 0)!;
    await gateway.changes.update(
      suspect.id,
      null,
      (order) => ({
        ...order,
        riskFlags: [...order.riskFlags, { kind: 'fraud_suspect', at: new Date().toISOString() }],
      }),
      { source: 'webhook', actor: suspect.platform, action: 'orders/updated' },
    );
    const fraud = await frontline.call('orders.abnormal', { type: 'fraud_suspect', order: 'newest' });
    expect(fraud.items[0]!.order.id).toBe(suspect.id);

    // Settled: no longer abnormal.
    await gateway.changes.update(suspect.id, null, (order) => ({ ...order, status: 'cancelled' }), {
      source: 'system',
    });
    const settled = await frontline.call('orders.abnormal', { type: 'fraud_suspect', order: 'newest' });
    expect(settled.items.map((item) => item.order.id)).not.toContain(suspect.id);
    expect(settled.counts.fraud_suspect).toBe(fraud.counts.fraud_suspect! - 1);
  });
});
