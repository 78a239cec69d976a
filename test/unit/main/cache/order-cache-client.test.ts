import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderCacheClient } from '../../../../src/main/services/cache/OrderCacheClient';
import { createTestKeyProvider } from '../../../harness/test-key-provider';
import { demoOrders, orderEvent, tempCachePath, testOrder } from './cache-fixtures';

const started: OrderCacheClient[] = [];

async function startCache(
  path = tempCachePath(),
  options: Partial<ConstructorParameters<typeof OrderCacheClient>[0]> = {},
) {
  const cache = new OrderCacheClient({ path, keys: createTestKeyProvider(Buffer.alloc(32, 7)), ...options });
  await cache.start();
  started.push(cache);
  return cache;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((cache) => cache.stop()));
});

describe('OrderCacheClient', () => {
  it('returns a cached order with the time it was cached, and a miss for others', async () => {
    const cache = await startCache();
    const order = testOrder({ id: 'ord_1' });
    const before = Date.now();
    expect(await cache.put([order])).toBe(1);
    const cached = await cache.get('ord_1');
    expect(cached?.order).toEqual(order);
    expect(Date.parse(cached!.cachedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(await cache.get('ord_missing')).toBeNull();
  });

  it('searches like the gateway: number substring, phone digits, name prefix, product word', async () => {
    const cache = await startCache();
    await cache.put([
      testOrder({
        id: 'ord_a',
        displayNumber: 'WC-200045',
        name: 'Emily White',
        phone: '+17737494414',
        titles: ['Carbon Badminton Racket'],
      }),
      testOrder({
        id: 'ord_b',
        displayNumber: 'SH-100077',
        name: '王芳',
        phone: '+86 138-1234-5678',
        titles: ['65 W GaN Charger'],
      }),
      testOrder({
        id: 'ord_c',
        displayNumber: 'DM-300001',
        name: '王小明',
        phone: '+8613900001111',
        titles: ['Light Sunscreen SPF50'],
      }),
    ]);
    const ids = async (text: string) => (await cache.search({ text })).items.map((item) => item.id).sort();

    expect(await ids('C-2000')).toEqual(['ord_a']);
    expect(await ids('0045')).toEqual(['ord_a']);
    expect(await ids('sh-100077')).toEqual(['ord_b']);
    expect(await ids('4414')).toEqual(['ord_a']);
    expect(await ids('1234-5678')).toEqual(['ord_b']);
    expect(await ids('王')).toEqual(['ord_b', 'ord_c']);
    expect(await ids('王芳')).toEqual(['ord_b']);
    expect(await ids('em')).toEqual(['ord_a']);
    expect(await ids('emily wh')).toEqual(['ord_a']);
    expect(await ids('Badminton')).toEqual(['ord_a']);
    expect(await ids('charger')).toEqual(['ord_b']);
    expect(await ids('Racket Light')).toEqual([]);
    const [summary] = (await cache.search({ text: '王芳' })).items;
    expect(summary).toMatchObject({
      displayNumber: 'SH-100077',
      customerName: '王芳',
      firstItemTitle: '65 W GaN Charger',
    });
  });

  it('pages newest first by creation time without duplicates, whatever order orders arrived in', async () => {
    const cache = await startCache();
    const orders = Array.from({ length: 120 }, (_, index) =>
      testOrder({
        id: `ord_${index}`,
        titles: ['Folding Widget'],
        // Pairs share a millisecond: the tiebreak keeps both.
        createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(index / 2) * 60_000).toISOString(),
      }),
    );
    await cache.put([...orders].sort(() => Math.random() - 0.5));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await cache.search({ text: 'widget', limit: 50, cursor });
      seen.push(...page.items.map((item) => item.createdAt + item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(120);
    const createdAts = seen.map((key) => key.slice(0, 24));
    expect(createdAts).toEqual([...createdAts].sort().reverse());
    expect((await cache.search({ text: '' })).items).toHaveLength(50);
  });

  it('keeps the higher version, and re-indexes a changed name', async () => {
    const cache = await startCache();
    await cache.put([testOrder({ id: 'ord_v', name: 'Alice Stone', version: 2 })]);
    expect(await cache.put([testOrder({ id: 'ord_v', name: 'Old Name', version: 1 })])).toBe(0);
    expect((await cache.get('ord_v'))?.order.version).toBe(2);
    await cache.put([testOrder({ id: 'ord_v', name: 'Bella Brook', version: 3 })]);
    expect((await cache.search({ text: 'bella' })).items.map((item) => item.id)).toEqual(['ord_v']);
    expect((await cache.search({ text: 'alice' })).items).toEqual([]);
    expect(await cache.count()).toBe(1);
  });

  it('applies events with their seq, skips ones already applied, and keeps the higher version', async () => {
    const path = tempCachePath();
    const cache = await startCache(path);
    const v2 = testOrder({ id: 'ord_e', version: 2, name: 'Event Two' });
    const result = await cache.applyEvents([
      orderEvent(1, testOrder({ id: 'ord_e', version: 1 })),
      orderEvent(2, v2),
      orderEvent(3, testOrder({ id: 'ord_f' })),
    ]);
    expect(result).toEqual({ lastSeq: 3, ordersChanged: 3 });
    expect(
      await cache.applyEvents([orderEvent(2, v2), orderEvent(4, testOrder({ id: 'ord_e', version: 1 }))]),
    ).toEqual({
      lastSeq: 4,
      ordersChanged: 0,
    });
    expect((await cache.get('ord_e'))?.order.customer.name).toBe('Event Two');
    await cache.stop();
    started.pop();
    expect(await (await startCache(path)).lastSeq()).toBe(4);
  });

  it('evicts the least recently used beyond the size limit', async () => {
    const cache = await startCache();
    await cache.put(demoOrders(30));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cache.get('ord_wc_200001');
    expect(await cache.evict({ ttlMs: 60_000, maxOrders: 10 })).toBe(20);
    expect(await cache.count()).toBe(10);
    expect(await cache.get('ord_wc_200001')).not.toBeNull();
  });

  it('wipes every order and the seq, and seals what follows with a new key', async () => {
    const path = tempCachePath();
    const cache = await startCache(path);
    await cache.put(demoOrders(20));
    await cache.applyEvents([orderEvent(9, testOrder({ id: 'ord_w' }))]);
    await cache.wipe();
    expect(await cache.count()).toBe(0);
    expect(await cache.lastSeq()).toBe(0);
    expect((await cache.search({ text: '' })).items).toEqual([]);
    await cache.put([testOrder({ id: 'ord_after', name: 'After Wipe' })]);
    await cache.stop();
    started.pop();
    const reopened = await startCache(path);
    expect((await reopened.get('ord_after'))?.order.customer.name).toBe('After Wipe');
  });

  it('starts empty when the data key can no longer be unwrapped (new OS profile)', async () => {
    const path = tempCachePath();
    const cache = await startCache(path);
    await cache.put(demoOrders(5));
    await cache.stop();
    started.pop();
    const other = await startCache(path, { keys: createTestKeyProvider() });
    expect(await other.count()).toBe(0);
  });

  it('stores nothing and answers misses when IT policy disables it, deleting an earlier cache', async () => {
    const path = tempCachePath();
    const enabled = await startCache(path);
    await enabled.put(demoOrders(5));
    await enabled.stop();
    started.pop();
    expect(existsSync(path)).toBe(true);

    const disabled = await startCache(path, { policy: { enabled: false } });
    expect(disabled.enabled).toBe(false);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.key`)).toBe(false);
    expect(await disabled.put(demoOrders(5))).toBe(0);
    expect(await disabled.get('ord_wc_200001')).toBeNull();
    expect(await disabled.search({ text: 'WC-' })).toEqual({ items: [], nextCursor: null });
    expect(existsSync(path)).toBe(false);
  });

  it('fails a request the worker does not answer in time with TIMEOUT', async () => {
    const cache = new OrderCacheClient({
      path: tempCachePath(),
      keys: createTestKeyProvider(),
      requestTimeoutMs: 300,
      workerScript: new URL('./silent-worker.ts', import.meta.url),
    });
    await expect(cache.start()).rejects.toMatchObject({ name: 'DeskError', code: 'TIMEOUT' });
    await cache.stop().catch(() => undefined);
  });
});
