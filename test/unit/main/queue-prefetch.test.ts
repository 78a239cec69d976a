import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrderCacheClient } from '../../../src/main/services/cache/OrderCacheClient';
import { GatewayClient } from '../../../src/main/services/gateway/GatewayClient';
import { QueuePrefetcher } from '../../../src/main/services/sync/QueuePrefetcher';
import { startGateway, type Gateway } from '../../../src/server/gateway';
import { openDatabase } from '../../../src/server/db/open-database';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { QUEUE_ANNOUNCE_PATH } from '../../../src/server/queue/queue-endpoint';
import type { MethodArgs, MethodName } from '../../../src/shared/contract';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import { AGENT_WS_PATH, type QueueAnnouncement } from '../../../src/shared/protocol';
import { createTestKeyProvider } from '../../harness/test-key-provider';
import { callDesk, deskServices } from './support/desk-under-test';

const quiet = pino({ level: 'silent' });
const SECRET = 'queue-prefetch-test-secret';

/**
 * Queue prefetch end to end: a real gateway on loopback told by HTTP who waits, the desk's
 * real services and worker-thread cache on real files.
 */
describe('queue prefetch', { timeout: 60_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'queue-prefetch-'));
  const dbPath = join(root, 'gateway.db');
  let gateway: Gateway | null = null;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      dbPath,
      logger: quiet,
      demo: { orders: 300, seed: 21 },
      queueSecret: SECRET,
    });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await gateway?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const wsUrl = () => `${gateway!.url}${AGENT_WS_PATH}`;

  async function announce(body: QueueAnnouncement): Promise<void> {
    const response = await fetch(`${gateway!.httpUrl}${QUEUE_ANNOUNCE_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  /** Customers with several orders, and their full phone numbers, from the gateway's own file. */
  async function customersWithOrders(count: number) {
    const db = openDatabase(dbPath);
    try {
      const store = new SqliteOrderStore(db);
      const { items } = await store.search({ text: '', limit: 100 });
      const customers = new Map<string, { customerId: string; phone: string; orders: number }>();
      for (const item of items) {
        const order = (await store.get(item.id))!;
        if (customers.has(order.customer.id)) continue;
        const page = await store.listByCustomer({ customerId: order.customer.id, limit: 20 });
        customers.set(order.customer.id, {
          customerId: order.customer.id,
          phone: order.customer.phone,
          orders: page.items.length,
        });
      }
      return [...customers.values()].sort((a, b) => b.orders - a.orders).slice(0, count);
    } finally {
      db.close();
    }
  }

  it('caches the orders of a caller announced by number; with the gateway down the number finds them in the cache', async () => {
    const [caller] = await customersWithOrders(1);
    const dataDir = mkdtempSync(join(root, 'desk-'));
    const services = deskServices({ gatewayUrl: wsUrl(), dataDir });
    await services.start();
    cleanups.push(() => services.stop());
    const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callDesk(services, method, args);
    await call('session.login', { gatewayUrl: wsUrl(), username: 'frontline', password: DEMO_PASSWORD });
    expect(await services.orderCache.forCustomer(caller!.customerId)).toEqual([]);

    // Only the number: the gateway identifies the customer.
    await announce({
      queue: 'sales',
      roles: ['frontline'],
      waiting: [{ callerNumber: caller!.phone, since: new Date().toISOString() }],
    });
    await expect
      .poll(async () => (await services.orderCache.forCustomer(caller!.customerId)).length, {
        timeout: 15_000,
      })
      .toBe(caller!.orders);
    const online = await call('orders.byCustomer', { customerId: caller!.customerId, limit: 20 });

    await gateway!.close();
    gateway = null;
    await expect.poll(() => services.session.connectionState.status, { timeout: 10_000 }).not.toBe('online');
    // A call with only the caller's number: the cache holds phones masked, yet the search for the
    // whole number finds the waiting caller's orders (the screen pop's first step).
    const byNumber = await call('orders.search', { text: caller!.phone, limit: 20 });
    expect(byNumber.fromCache).toBe(true);
    expect(byNumber.items.map((item) => item.id).sort()).toEqual(online.items.map((item) => item.id).sort());
    // What the screen pop reads for this caller, now from the cache.
    const page = await call('orders.byCustomer', { customerId: caller!.customerId, limit: 20 });
    expect(page.fromCache).toBe(true);
    expect(page.items.map((item) => item.id).sort()).toEqual(online.items.map((item) => item.id).sort());
    for (const item of page.items) {
      const order = await call('orders.get', { id: item.id });
      expect(order.cachedAt).toBeDefined();
      expect(order.customer.id).toBe(caller!.customerId);
      // As the frontline receives it: the phone masked, never the number the ACD announced.
      expect(order.customer.phone).not.toBe(caller!.phone);
    }
    gateway = await startGateway({ port: 0, dbPath, logger: quiet, queueSecret: SECRET });
  });

  it('prefetches longest waiting first, as the role sees orders, and not twice in a row', async () => {
    const callers = await customersWithOrders(3);
    const client = new GatewayClient({ url: wsUrl(), client: { name: 'test', version: '0' } });
    client.start();
    await client.waitOnline(5000);
    const { token } = await client.request('auth.login', { username: 'logistics', password: DEMO_PASSWORD });
    client.setToken(token);
    const cache = new OrderCacheClient({
      path: join(mkdtempSync(join(root, 'cache-')), 'orders.db'),
      keys: createTestKeyProvider(),
    });
    await cache.start();
    const prefetched: Array<{ customerId: string; orders: number }> = [];
    const errors: unknown[] = [];
    const prefetcher = new QueuePrefetcher({
      gateway: client,
      cache,
      onError: (err) => errors.push(err),
      onPrefetched: (customerId, orders) => prefetched.push({ customerId, orders }),
      requestsPerSecond: 4,
    });
    prefetcher.start();
    cleanups.push(async () => {
      prefetcher.stop();
      await client.stop();
      await cache.stop();
    });

    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const body: QueueAnnouncement = {
      queue: 'returns',
      agents: ['logistics'],
      waiting: [
        { customerId: callers[0]!.customerId, since: minutesAgo(1) },
        { customerId: callers[1]!.customerId, since: minutesAgo(3) },
        { customerId: callers[2]!.customerId, since: minutesAgo(2) },
      ],
    };
    await announce(body);
    await expect.poll(() => prefetched.length, { timeout: 15_000 }).toBe(3);
    await prefetcher.idle();
    expect(prefetched.map((p) => p.customerId)).toEqual([
      callers[1]!.customerId,
      callers[2]!.customerId,
      callers[0]!.customerId,
    ]);
    expect(prefetched.map((p) => p.orders)).toEqual([
      callers[1]!.orders,
      callers[2]!.orders,
      callers[0]!.orders,
    ]);
    for (const caller of callers) {
      for (const summary of await cache.forCustomer(caller.customerId)) {
        const cached = (await cache.get(summary.id))!.order;
        // Logistics never receives payment details or risk flags, so neither does its cache.
        expect(cached.payment.method).toBeUndefined();
        expect(cached.riskFlags).toBeUndefined();
      }
    }
    // The same queue again soon after: those customers were just fetched, nothing is asked again.
    await announce(body);
    await client.request('events.head', {});
    await prefetcher.idle();
    expect(prefetched).toHaveLength(3);
    expect(errors).toEqual([]);
  });
});
