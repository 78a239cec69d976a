import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderCacheClient } from '../../../src/main/services/cache/OrderCacheClient';
import { GatewayClient } from '../../../src/main/services/gateway/GatewayClient';
import { Outbox } from '../../../src/main/services/outbox/Outbox';
import type { OutboxEntry } from '../../../src/main/services/outbox/outbox-entry';
import { OrderSync } from '../../../src/main/services/sync/OrderSync';
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

  async function desk(gateway: Gateway, cachePath: string, key: Buffer, checkIntervalMs = 15_000) {
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
