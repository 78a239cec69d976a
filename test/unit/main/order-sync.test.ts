import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderCacheClient } from '../../../src/main/services/cache/OrderCacheClient';
import { GatewayClient } from '../../../src/main/services/gateway/GatewayClient';
import { Outbox } from '../../../src/main/services/outbox/Outbox';
import type { OutboxEntry } from '../../../src/main/services/outbox/outbox-entry';
import { OrderSync, type OrderSyncOptions } from '../../../src/main/services/sync/OrderSync';
import { openDatabase } from '../../../src/server/db/open-database';
import { placeOrderLike } from '../../../src/server/demo/simulated-changes';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { GET_MANY_MAX } from '../../../src/shared/protocol';
import type { VisibleOrder } from '../../../src/shared/visibility';
import { startGateway, type Gateway, type GatewayOptions } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { AGENT_WS_PATH, type OrderEvent } from '../../../src/shared/protocol';
import { createTestKeyProvider } from '../../harness/test-key-provider';

const quiet = pino({ level: 'silent' });

/** OrderSync against a real gateway (SQLite file) with the real worker-thread cache. */
// Each test starts a gateway (demo users, password hashing) and a cache worker: slow on a busy machine.
describe('OrderSync', { timeout: 60_000 }, () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function gatewayWith(options: Partial<GatewayOptions> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'order-sync-'));
    const gateway = await startGateway({
      port: 0,
      dbPath: join(dir, 'gateway.db'),
      logger: quiet,
      demo: { orders: 6, seed: 3 },
      ...options,
    });
    cleanups.push(() => gateway.close());
    return { dir, gateway };
  }

  async function desk(
    gateway: Gateway,
    cachePath: string,
    key: Buffer,
    checkIntervalMs = 15_000,
    options: Partial<OrderSyncOptions> = {},
  ) {
    const client = new GatewayClient({
      url: `${gateway.url}${AGENT_WS_PATH}`,
      client: { name: 'test', version: '0' },
    });
    client.start();
    await client.waitOnline(5000);
    const { token } = await client.request('auth.login', { ...DEMO_LOGIN });
    client.setToken(token);
    const cache = new OrderCacheClient({ path: cachePath, keys: createTestKeyProvider(key) });
    await cache.start();
    const outbox = new Outbox(cache);
    const changed: OrderEvent[] = [];
    const settled: OutboxEntry[] = [];
    const errors: unknown[] = [];
    const sync = new OrderSync({
      gateway: client,
      cache,
      outbox,
      onOrderChanged: (event) => changed.push(event),
      onOutboxSettled: (entry) => settled.push(entry),
      onError: (err) => errors.push(err),
      checkIntervalMs,
      ...options,
    });
    const stop = async () => {
      sync.stop();
      await client.stop();
      await cache.stop();
    };
    cleanups.push(stop);
    return { client, cache, outbox, sync, changed, settled, errors, stop };
  }

  const addNote = (gateway: Gateway, orderId: string, text: string) =>
    gateway.changes.update(
      orderId,
      null,
      (order) => ({
        ...order,
        notes: [...order.notes, { at: new Date().toISOString(), author: 'system', text }],
      }),
      { source: 'system' },
    );

  it('starts at the head, applies each event once, and resumes from the stored seq after a restart', async () => {
    const { dir, gateway } = await gatewayWith();
    const cachePath = join(dir, 'cache', 'orders.db');
    const key = Buffer.alloc(32, 1);
    const first = await desk(gateway, cachePath, key);
    const { items } = await first.client.request('orders.search', { text: '', limit: 6 });
    const ids = items.map((item) => item.id);
    await addNote(gateway, ids[0]!, 'before the desk started');
    await first.sync.start();
    const startSeq = first.sync.storedSeq!;
    expect(await first.cache.lastSeq()).toBe(startSeq);

    for (const [i, id] of ids.entries()) await addNote(gateway, id, `online ${i}`);
    await expect.poll(() => first.changed.length).toBe(ids.length);
    expect(first.changed.map((event) => event.seq)).toEqual(ids.map((_, i) => startSeq + i + 1));
    await first.stop();

    // Offline while the gateway writes; a new desk on the same cache replays exactly the gap.
    for (const [i, id] of ids.entries()) await addNote(gateway, id, `offline ${i}`);
    const second = await desk(gateway, cachePath, key);
    await second.sync.start();
    await expect.poll(() => second.changed.length).toBe(ids.length);
    expect(second.changed[0]!.seq).toBe(startSeq + ids.length + 1);
    expect(await second.cache.lastSeq()).toBe(startSeq + 2 * ids.length);
    const cached = await second.cache.get(ids[0]!);
    expect(cached?.order.version).toBe(
      (await second.client.request('orders.get', { id: ids[0]! })).order.version,
    );
    expect(second.errors).toEqual([]);
  });

  it('on a truncated log refetches the cached orders and continues from the head', async () => {
    const { dir, gateway } = await gatewayWith({ retainEvents: 3 });
    const cachePath = join(dir, 'cache', 'orders.db');
    const key = Buffer.alloc(32, 2);
    const first = await desk(gateway, cachePath, key);
    const { items } = await first.client.request('orders.search', { text: '', limit: 6 });
    const orders = await Promise.all(
      items.map(async (item) => (await first.client.request('orders.get', { id: item.id })).order),
    );
    await first.cache.put(orders);
    await addNote(gateway, orders[0]!.id, 'before the desk started');
    await first.sync.start();
    expect(first.sync.storedSeq).toBeGreaterThan(0);
    await first.stop();

    for (let i = 0; i < 10; i += 1) await addNote(gateway, orders[i % orders.length]!.id, `while away ${i}`);
    const second = await desk(gateway, cachePath, key);
    let refetched = 0;
    await second.sync.start();
    await expect
      .poll(async () => second.cache.lastSeq())
      .toBe((await second.client.request('events.head', {})).headSeq);
    for (const order of orders) {
      const latest = (await second.client.request('orders.get', { id: order.id })).order;
      if ((await second.cache.get(order.id))?.order.version === latest.version) refetched += 1;
    }
    expect(refetched).toBe(orders.length);
    // Nothing was replayed as events: they were beyond the log's retention.
    expect(second.changed).toEqual([]);

    await addNote(gateway, orders[0]!.id, 'after the resync');
    await expect.poll(() => second.changed.length).toBe(1);
  });

  it('refetches every cached order page by page after a resync, and what their customers ordered meanwhile', async () => {
    const { dir, gateway } = await gatewayWith({ retainEvents: 3, demo: { orders: 400, seed: 4 } });
    const cachePath = join(dir, 'cache', 'orders.db');
    const key = Buffer.alloc(32, 4);
    const first = await desk(gateway, cachePath, key);
    // Far more than one page: the old refetch stopped at the 100 most recently used.
    const ids: string[] = [];
    let cursor: string | undefined;
    while (ids.length < 250) {
      const page = await first.client.request('orders.search', { text: '', limit: 100, cursor });
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    }
    expect(ids.length).toBeGreaterThan(2 * GET_MANY_MAX);
    for (let start = 0; start < ids.length; start += GET_MANY_MAX) {
      const page = await first.client.request('orders.getMany', {
        ids: ids.slice(start, start + GET_MANY_MAX),
      });
      await first.cache.put(page.orders);
    }
    await first.sync.start();
    await first.stop();

    // Away: every cached order changes, and a cached customer orders again.
    for (const [i, id] of ids.entries()) await addNote(gateway, id, `while away ${i}`);
    const db = openDatabase(join(dir, 'gateway.db'));
    const template = (await new SqliteOrderStore(db).get(ids[7]!))!;
    db.close();
    const placed = placeOrderLike(
      template,
      { id: 'ord_ad_gap1', platformOrderId: 'ADGAP1', displayNumber: 'AD-GAP1' },
      Date.now(),
    );
    await gateway.changes.upsert(placed, { source: 'system' });

    const refetched: Array<{ orders: VisibleOrder[]; headSeq: number }> = [];
    const second = await desk(gateway, cachePath, key, 15_000, {
      resyncCustomerLimit: ids.length,
      onOrdersRefetched: (orders, headSeq) => refetched.push({ orders, headSeq }),
    });
    await second.sync.start();
    const { headSeq } = await second.client.request('events.head', {});
    expect(await second.cache.lastSeq()).toBe(headSeq);
    const byId = new Map(refetched.flatMap((page) => page.orders).map((order) => [order.id, order]));
    for (let start = 0; start < ids.length; start += GET_MANY_MAX) {
      const page = ids.slice(start, start + GET_MANY_MAX);
      for (const latest of (await second.client.request('orders.getMany', { ids: page })).orders) {
        expect((await second.cache.get(latest.id))?.order.version).toBe(latest.version);
        expect(byId.get(latest.id)?.version).toBe(latest.version);
      }
    }
    // The new order of a cached customer came with the resync, and went out with the others.
    expect((await second.cache.get('ord_ad_gap1'))?.order.customer.id).toBe(template.customer.id);
    expect(byId.has('ord_ad_gap1')).toBe(true);
    expect(refetched.every((page) => page.headSeq === headSeq && page.orders.length <= GET_MANY_MAX)).toBe(
      true,
    );
    expect(second.changed).toEqual([]);
    expect(second.errors).toEqual([]);
  });

  it('replays the outbox in order on start and reports each settled entry', async () => {
    const { dir, gateway } = await gatewayWith();
    const d = await desk(gateway, join(dir, 'cache', 'orders.db'), Buffer.alloc(32, 3));
    const { items } = await d.client.request('orders.search', { text: '', limit: 2 });
    const [a, b] = await Promise.all(
      items.map(async (item) => (await d.client.request('orders.get', { id: item.id })).order),
    );
    await d.outbox.enqueue({
      orderId: a!.id,
      expectedVersion: a!.version,
      idempotencyKey: 'key-0000001',
      action: { type: 'note', text: 'first' },
    });
    // Stale version: comes back as a conflict, never dropped.
    await d.outbox.enqueue({
      orderId: b!.id,
      expectedVersion: b!.version + 5,
      idempotencyKey: 'key-0000002',
      action: { type: 'note', text: 'second' },
    });
    await d.sync.start();
    expect(d.settled.map((entry) => [entry.request.idempotencyKey, entry.status])).toEqual([
      ['key-0000001', 'done'],
      ['key-0000002', 'conflict'],
    ]);
    expect(await d.outbox.list('pending')).toEqual([]);
    // The same request sent again (as after a crash before it was settled): applied once.
    const again = await d.client.request('orders.action', {
      orderId: a!.id,
      expectedVersion: a!.version,
      idempotencyKey: 'key-0000001',
      action: { type: 'note', text: 'first' },
    });
    expect(again.order.version).toBe(a!.version + 1);
    expect((await d.client.request('orders.get', { id: a!.id })).order.version).toBe(a!.version + 1);
  });
});
