import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeskServices } from '../../../../src/main/desk-services';
import { DEMO_PASSWORD } from '../../../../src/shared/demo';
import { AGENT_WS_PATH } from '../../../../src/shared/protocol';
import { startGateway, type Gateway } from '../../../../src/server/gateway';
import { callDesk, deskServices } from '../support/desk-under-test';

/**
 * `orders.searchCached` through DeskServices (the same dispatch Electron IPC uses), against a
 * real gateway on loopback and a real encrypted cache file: what the desk shows first online.
 */
describe('cache-first search', () => {
  const root = mkdtempSync(join(tmpdir(), 'cache-first-search-test-'));
  let gateway: Gateway;
  const opened: DeskServices[] = [];
  const wsUrl = () => `${gateway.url}${AGENT_WS_PATH}`;

  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      dbPath: join(root, 'gateway.db'),
      logger: pino({ level: 'silent' }),
      demo: { orders: 120, seed: 5 },
    });
  });
  afterEach(async () => {
    for (const services of opened.splice(0)) await services.stop();
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function signedInDesk(username: string) {
    const services = deskServices({ gatewayUrl: wsUrl(), dataDir: mkdtempSync(join(root, 'desk-')) });
    await services.start();
    opened.push(services);
    await callDesk(services, 'session.login', { gatewayUrl: wsUrl(), username, password: DEMO_PASSWORD });
    return services;
  }

  it('answers online from the cache alone: only orders seen on this desk, masked as the role saw them', async () => {
    const services = await signedInDesk('frontline');
    const newest = await callDesk(services, 'orders.search', { text: '', limit: 5 });
    expect(newest.fromCache).toBeUndefined();
    expect(await callDesk(services, 'orders.searchCached', { text: '' })).toEqual({
      items: [],
      nextCursor: null,
    });

    const [opened, notOpened] = newest.items;
    const order = await callDesk(services, 'orders.get', { id: opened!.id });
    await expect
      .poll(async () => (await services.orderCache.get(order.id))?.order.version)
      .toBe(order.version);

    const cached = await callDesk(services, 'orders.searchCached', { text: opened!.displayNumber });
    expect(cached.items.map((row) => row.id)).toEqual([opened!.id]);
    // The same row the gateway gave this role (the frontline sees the phone masked), with when
    // this desk cached it.
    const { cachedAt, ...row } = cached.items[0]!;
    expect(row).toEqual(opened);
    expect(Date.now() - Date.parse(cachedAt!)).toBeLessThan(60_000);
    expect(cached.items[0]!.customerPhone).toMatch(/\*/);
    expect(
      (await callDesk(services, 'orders.searchCached', { text: '' })).items.map((row) => row.id),
    ).not.toContain(notOpened!.id);
  });

  it('validates its arguments before the cache is asked', async () => {
    const services = await signedInDesk('frontline');
    const search = vi.spyOn(services.orderCache, 'search');
    const tooMany = await services.dispatch('orders.searchCached', { text: '', limit: 1000 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const unknownField = await services.dispatch('orders.searchCached', { text: '', sql: 'drop' });
    expect(unknownField).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(search).not.toHaveBeenCalled();
  });

  it('passes the search filters on to the cache', async () => {
    const services = await signedInDesk('supervisor');
    const search = vi.spyOn(services.orderCache, 'search');
    await callDesk(services, 'orders.searchCached', {
      text: 'tea',
      statuses: ['shipped', 'delivered'],
      platforms: ['demo'],
      createdFrom: '2025-01-01T00:00:00.000Z',
      createdTo: '2025-12-31T23:59:59.999Z',
      limit: 20,
    });
    expect(search).toHaveBeenLastCalledWith({
      text: 'tea',
      limit: 20,
      filters: {
        statuses: ['shipped', 'delivered'],
        platforms: ['demo'],
        createdFrom: '2025-01-01T00:00:00.000Z',
        createdTo: '2025-12-31T23:59:59.999Z',
      },
    });
  });

  it('pages the cached matches with the cache cursor', async () => {
    const services = await signedInDesk('supervisor');
    const newest = await callDesk(services, 'orders.search', { text: '', limit: 3 });
    for (const row of newest.items) await callDesk(services, 'orders.get', { id: row.id });
    await expect.poll(() => services.orderCache.count()).toBe(3);

    const first = await callDesk(services, 'orders.searchCached', { text: '', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await callDesk(services, 'orders.searchCached', {
      text: '',
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((row) => row.id);
    expect(new Set(ids)).toEqual(new Set(newest.items.map((row) => row.id)));
  });

  it('is empty when signed out', async () => {
    const services = await signedInDesk('supervisor');
    const newest = await callDesk(services, 'orders.search', { text: '', limit: 1 });
    await callDesk(services, 'orders.get', { id: newest.items[0]!.id });
    await callDesk(services, 'session.logout', undefined);
    expect(await callDesk(services, 'orders.searchCached', { text: '' })).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});
