import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeskServices } from '../../../../src/main/desk-services';
import { SessionService } from '../../../../src/main/services/session/SessionService';
import { DEMO_PASSWORD } from '../../../../src/shared/demo';
import { AGENT_WS_PATH, type OrderSearchQuery } from '../../../../src/shared/protocol';
import { OrderStatus } from '../../../../src/shared/domain';
import { openDatabase } from '../../../../src/server/db/open-database';
import { SqliteUserStore } from '../../../../src/server/auth/sqlite-user-store';
import { startGateway, type Gateway } from '../../../../src/server/gateway';
import { createTestKeyProvider } from '../../../harness/test-key-provider';
import { callDesk, deskServices } from '../support/desk-under-test';

const quiet = pino({ level: 'silent' });

/**
 * The offline wiring end to end under Node: a real gateway on loopback that the test stops and
 * restarts on the same port and database file, real cache files in temp folders.
 */
describe('offline orders through DeskServices', () => {
  const root = mkdtempSync(join(tmpdir(), 'offline-wiring-test-'));
  const dbPath = join(root, 'gateway.db');
  let gateway: Gateway | null = null;
  let port = 0;
  const opened: DeskServices[] = [];

  const wsUrl = () => `ws://127.0.0.1:${port}${AGENT_WS_PATH}`;

  async function startGw(onPort = port): Promise<Gateway> {
    const gw = await startGateway({ port: onPort, dbPath, logger: quiet, demo: { orders: 120, seed: 11 } });
    return gw;
  }

  beforeAll(async () => {
    gateway = await startGw(0);
    port = gateway.port;
  });
  afterEach(async () => {
    for (const services of opened.splice(0)) await services.stop();
    if (!gateway) {
      gateway = await startGw();
    }
  });
  afterAll(async () => {
    await gateway?.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function stopGateway(): Promise<void> {
    await gateway?.close();
    gateway = null;
  }

  async function openDesk(dataDir = mkdtempSync(join(root, 'desk-')), keys = createTestKeyProvider()) {
    const services = deskServices({ gatewayUrl: wsUrl(), dataDir, keys });
    await services.start();
    opened.push(services);
    return { services, dataDir, keys };
  }

  const call = callDesk;

  const signIn = (services: DeskServices, username = 'supervisor') =>
    call(services, 'session.login', { gatewayUrl: wsUrl(), username, password: DEMO_PASSWORD });

  /** An order the desk opened while online, once it is in the cache. */
  async function openCachedOrder(services: DeskServices, index = 0) {
    const page = await call(services, 'orders.search', { text: '' });
    const id = page.items[index]!.id;
    const order = await call(services, 'orders.get', { id });
    await expect.poll(async () => (await services.orderCache.get(id))?.order.version).toBe(order.version);
    return order;
  }

  async function waitOffline(services: DeskServices) {
    await expect.poll(() => services.session.connectionState.status, { timeout: 10_000 }).not.toBe('online');
  }

  /** A second agent's session, to change orders and to read what reached the gateway. */
  async function otherAgent(url = wsUrl()) {
    const session = new SessionService({ client: { name: 'test', version: '0' }, connectTimeoutMs: 5000 });
    await session.login(url, 'supervisor', DEMO_PASSWORD);
    return session;
  }

  it('serves a cached order with its age while the gateway is stopped', async () => {
    const { services } = await openDesk();
    await signIn(services);
    const order = await openCachedOrder(services);
    expect(order.cachedAt).toBeUndefined();

    await stopGateway();
    await waitOffline(services);

    const cached = await call(services, 'orders.get', { id: order.id });
    expect(cached.id).toBe(order.id);
    expect(cached.version).toBe(order.version);
    expect(Date.parse(cached.cachedAt!)).toBeLessThanOrEqual(Date.now());
    const found = await call(services, 'orders.find', { displayNumber: order.displayNumber });
    expect(found.id).toBe(order.id);
    expect(found.cachedAt).toBeDefined();
    const page = await call(services, 'orders.search', { text: order.displayNumber });
    expect(page.fromCache).toBe(true);
    expect(page.items.map((item) => item.id)).toContain(order.id);
    // The gateway's filters apply to the cached search too.
    const filtered = (filters: Omit<OrderSearchQuery, 'text'>) =>
      call(services, 'orders.search', { text: order.displayNumber, ...filters });
    const ids = async (filters: Omit<OrderSearchQuery, 'text'>) =>
      (await filtered(filters)).items.map((item) => item.id);
    expect(await ids({ statuses: [order.status], platforms: [order.platform] })).toContain(order.id);
    expect(
      await ids({ statuses: OrderStatus.options.filter((status) => status !== order.status) }),
    ).not.toContain(order.id);
    expect(await ids({ createdFrom: order.createdAt, createdTo: order.createdAt })).toContain(order.id);
    expect(await ids({ createdTo: new Date(Date.parse(order.createdAt) - 1).toISOString() })).not.toContain(
      order.id,
    );
    const actions = await call(services, 'orders.allowedActions', { orderId: order.id });
    expect(actions.actions.find((a) => a.action === 'note')?.allowed).toBe(true);
  });

  it('queues a note offline and the gateway applies it exactly once after it is back', async () => {
    const { services } = await openDesk();
    await signIn(services);
    const order = await openCachedOrder(services, 1);
    await stopGateway();
    await waitOffline(services);

    const text = `offline note ${randomUUID()}`;
    const request = {
      orderId: order.id,
      expectedVersion: order.version,
      idempotencyKey: randomUUID(),
      action: { type: 'note' as const, text },
    };
    const result = await call(services, 'orders.action', request);
    expect(result.outcome).toBe('queued');
    // Sending the same request again (a renderer retry) queues nothing more.
    await call(services, 'orders.action', request);
    expect((await call(services, 'offline.get', undefined)).queued).toBe(1);

    gateway = await startGw();
    await expect
      .poll(async () => (await call(services, 'offline.get', undefined)).queued, { timeout: 20_000 })
      .toBe(0);
    // Recorded as sent once; nothing is left for a later replay.
    const entries = await services.outbox.list();
    expect(entries.filter((entry) => entry.request.idempotencyKey === request.idempotencyKey)).toMatchObject([
      { status: 'done' },
    ]);
    expect(await services.outbox.list('pending')).toEqual([]);
    const checker = await otherAgent();
    try {
      const { order: after } = await checker.request('orders.get', { id: order.id });
      expect(after.notes?.filter((note) => note.text === text)).toHaveLength(1);
      expect(after.version).toBe(order.version + 1);
    } finally {
      await checker.logout();
    }
    expect((await call(services, 'offline.get', undefined)).tasks).toEqual([]);
  });

  it('turns an action that became invalid meanwhile into a conflict task the agent can dismiss', async () => {
    const { services } = await openDesk();
    await signIn(services);
    const order = await openCachedOrder(services, 2);
    await stopGateway();
    await waitOffline(services);

    const key = randomUUID();
    const queued = await call(services, 'orders.action', {
      orderId: order.id,
      expectedVersion: order.version,
      idempotencyKey: key,
      action: { type: 'note', text: 'sent while offline' },
    });
    expect(queued.outcome).toBe('queued');

    // Meanwhile someone else changes the order (the gateway runs elsewhere on the same data).
    const elsewhere = await startGw(0);
    const other = await otherAgent(`${elsewhere.url}${AGENT_WS_PATH}`);
    await other.request('orders.action', {
      orderId: order.id,
      expectedVersion: order.version,
      idempotencyKey: randomUUID(),
      action: { type: 'note', text: 'changed meanwhile' },
    });
    await other.logout();
    await elsewhere.close();

    const changes: number[] = [];
    services.addEventSink((event, payload) => {
      if (event === 'offline.changed') changes.push((payload as { tasks: unknown[] }).tasks.length);
    });
    gateway = await startGw();
    await expect
      .poll(async () => (await call(services, 'offline.get', undefined)).tasks.length, { timeout: 20_000 })
      .toBe(1);
    const state = await call(services, 'offline.get', undefined);
    expect(state.queued).toBe(0);
    expect(state.tasks[0]).toMatchObject({
      id: key,
      orderId: order.id,
      displayNumber: order.displayNumber,
      action: 'note',
      status: 'conflict',
      reason: { code: 'VERSION_CONFLICT' },
    });
    expect(changes).toContain(1);

    const after = await call(services, 'offline.dismissTask', { id: key });
    expect(after.tasks).toEqual([]);
    await expect(call(services, 'offline.dismissTask', { id: key })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('wipes the cache, queue and tasks on sign-out', async () => {
    const { services, dataDir } = await openDesk();
    await signIn(services);
    await openCachedOrder(services);
    expect(await services.orderCache.count()).toBeGreaterThan(0);
    await call(services, 'session.logout', undefined);
    expect(await services.orderCache.count()).toBe(0);
    expect(await services.orderCache.lastSeq()).toBe(0);
    expect(existsSync(join(dataDir, 'order-cache.owner.json'))).toBe(false);
  });

  it('keeps the cache across restarts for the same user and role, and wipes it when the role changes', async () => {
    const keys = createTestKeyProvider(randomBytes(32));
    const first = await openDesk(undefined, keys);
    await signIn(first.services, 'aftersales');
    const order = await openCachedOrder(first.services);
    await first.services.stop();
    opened.splice(opened.indexOf(first.services), 1);

    // Restart with the same user and role: the cache is still there.
    const second = await openDesk(first.dataDir, keys);
    await signIn(second.services, 'aftersales');
    expect((await second.services.orderCache.get(order.id))?.order.id).toBe(order.id);
    await second.services.stop();
    opened.splice(opened.indexOf(second.services), 1);

    const db = openDatabase(dbPath);
    try {
      await new SqliteUserStore(db).setRole('aftersales', 'logistics');
      const third = await openDesk(first.dataDir, keys);
      await signIn(third.services, 'aftersales');
      expect(await third.services.orderCache.get(order.id)).toBeNull();
      expect(await third.services.orderCache.count()).toBe(0);
    } finally {
      await new SqliteUserStore(db).setRole('aftersales', 'after_sales');
      db.close();
    }
  });

  it('wipes the cache when another user signs in on the same machine', async () => {
    const { services } = await openDesk();
    await signIn(services, 'supervisor');
    const order = await openCachedOrder(services);
    // Session ends without a sign-out (expired), then another agent signs in.
    await services.session.logout();
    await signIn(services, 'admin');
    expect(await services.orderCache.get(order.id)).toBeNull();
  });

  it('stores nothing when the IT policy disables the cache, and fails reads and writes plainly offline', async () => {
    const dataDir = mkdtempSync(join(root, 'desk-'));
    writeFileSync(join(dataDir, 'it-policy.json'), JSON.stringify({ orderCache: { enabled: false } }));
    const { services } = await openDesk(dataDir);
    expect(services.orderCache.enabled).toBe(false);
    await signIn(services);
    const page = await call(services, 'orders.search', { text: '' });
    const order = await call(services, 'orders.get', { id: page.items[0]!.id });
    expect(existsSync(join(dataDir, 'order-cache.db'))).toBe(false);
    expect(await services.orderCache.count()).toBe(0);

    await stopGateway();
    await waitOffline(services);
    await expect(call(services, 'orders.get', { id: order.id })).rejects.toMatchObject({
      code: 'GATEWAY_UNAVAILABLE',
    });
    await expect(
      call(services, 'orders.action', {
        orderId: order.id,
        expectedVersion: order.version,
        idempotencyKey: randomUUID(),
        action: { type: 'note', text: 'not queued' },
      }),
    ).rejects.toMatchObject({ code: 'GATEWAY_UNAVAILABLE' });
    expect(await call(services, 'offline.get', undefined)).toEqual({ queued: 0, tasks: [] });
    expect(existsSync(join(dataDir, 'order-cache.db'))).toBe(false);
  });
});
