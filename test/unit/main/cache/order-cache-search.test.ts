import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BlindTokens } from '../../../../src/main/services/cache/blind-tokens';
import { loadOrCreateDataKey } from '../../../../src/main/services/cache/cache-data-key';
import { deriveCacheKeys } from '../../../../src/main/services/cache/cache-keys';
import { OrderCacheClient } from '../../../../src/main/services/cache/OrderCacheClient';
import { OrderCacheDatabase } from '../../../../src/main/services/cache/OrderCacheDatabase';
import type { CacheSearchQuery } from '../../../../src/main/services/cache/order-cache-protocol';
import type { Order } from '../../../../src/shared/domain';
import { createTestKeyProvider } from '../../../harness/test-key-provider';
import { demoOrders, orderEvent, tempCachePath, testOrder } from './cache-fixtures';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const cache of open.splice(0)) cache.close();
});

function openCache(path = tempCachePath(), dataKey: Uint8Array = randomBytes(32)) {
  const cache = new OrderCacheDatabase(path, { dataKey });
  open.push(cache);
  return cache;
}

/** Every id a search returns, page by page through its cursors. */
function allIds(cache: OrderCacheDatabase, query: Omit<CacheSearchQuery, 'cursor'>): string[] {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = cache.search({ ...query, cursor });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

/** The search's promise, written plainly: which orders match, newest first. */
function expectedIds(orders: readonly Order[], query: Omit<CacheSearchQuery, 'cursor'>): string[] {
  const text = query.text.trim().toLowerCase();
  const filters = query.filters ?? {};
  const matchesText = (order: Order) => {
    const name = (order.customer.name ?? '').toLowerCase();
    const number = order.displayNumber.toLowerCase();
    const phone = digitsOf(order.customer.phone ?? '');
    if (text === '') return true;
    if (/^[\d\s+-]+$/.test(text) && digitsOf(text).length >= 4) {
      const digits = digitsOf(text);
      return (
        phone.includes(digits) || number.includes(digits) || (text.includes('-') && number.includes(text))
      );
    }
    if ([...text].length < 3) return name.trimStart().startsWith(text);
    // Phones match from four digits on (cache-search-plan.ts).
    return (
      name.includes(text) ||
      number.includes(text) ||
      order.items.some((item) => item.title.toLowerCase().includes(text))
    );
  };
  const from = filters.createdFrom ? Date.parse(filters.createdFrom) : -Infinity;
  const to = filters.createdTo ? Date.parse(filters.createdTo) : Infinity;
  return orders
    .filter(
      (order) =>
        matchesText(order) &&
        (!filters.statuses?.length || filters.statuses.includes(order.status)) &&
        (!filters.platforms?.length || filters.platforms.includes(order.platform)) &&
        Date.parse(order.createdAt) >= from &&
        Date.parse(order.createdAt) <= to,
    )
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1))
    .map((order) => order.id);
}

describe('order cache search', () => {
  it('finds an order number by its tail, its full text, a prefix or any inner part, newest first', () => {
    const cache = openCache();
    const phone = '+86 139 5555 5555';
    const orders = [
      testOrder({ id: 'ord_1', displayNumber: 'SH-100123', phone, createdAt: '2026-10-01T00:00:00.000Z' }),
      testOrder({ id: 'ord_2', displayNumber: 'SH-200123', phone, createdAt: '2026-10-02T00:00:00.000Z' }),
      testOrder({ id: 'ord_3', displayNumber: 'WC-100124', phone, createdAt: '2026-10-03T00:00:00.000Z' }),
      testOrder({
        id: 'ord_4',
        displayNumber: 'AD-2611-000123',
        phone,
        createdAt: '2026-10-04T00:00:00.000Z',
      }),
      // The same digits in a phone number: a digit search still finds phones too.
      testOrder({
        id: 'ord_5',
        displayNumber: 'SH-999999',
        phone: '+86 138 0010 0123',
        createdAt: '2026-10-05T00:00:00.000Z',
      }),
    ];
    cache.put(orders);
    const ids = (text: string) => cache.search({ text }).items.map((item) => item.id);
    expect(ids('100123')).toEqual(['ord_5', 'ord_1']);
    expect(ids('SH-100123')).toEqual(['ord_1']);
    expect(ids('sh-10')).toEqual(['ord_1']);
    expect(ids('0012')).toEqual(['ord_5', 'ord_4', 'ord_3', 'ord_2', 'ord_1']);
    expect(ids('H-2001')).toEqual(['ord_2']);
    expect(ids('2611-0001')).toEqual(['ord_4']);
    expect(ids('SH-1001234')).toEqual([]);
  });

  it('walks a number substring shared by more orders than it sorts, newest first, with filters', () => {
    const cache = openCache();
    const orders = Array.from({ length: 2_100 }, (_, index) =>
      testOrder({
        id: `ord_${index}`,
        displayNumber: `QX-${String(index).padStart(6, '0')}`,
        createdAt: new Date(Date.UTC(2026, 9, 1) + index * 60_000).toISOString(),
      }),
    ).map((order, index) => ({ ...order, status: index % 7 === 0 ? ('refunded' as const) : order.status }));
    cache.put(orders);
    expect(allIds(cache, { text: 'qx-0', limit: 200 })).toEqual(expectedIds(orders, { text: 'qx-0' }));
    const refunded = { text: 'QX-00', filters: { statuses: ['refunded' as const] } };
    expect(allIds(cache, { ...refunded, limit: 50 })).toEqual(expectedIds(orders, refunded));
    expect(allIds(cache, refunded)).toHaveLength(2_100 / 7);
    // Six characters or more: the suffixes' head index instead of the trigram walk.
    for (const query of [
      { text: 'qx-000' },
      { text: 'QX-001', filters: { statuses: ['refunded' as const] } },
      { text: '-00120' },
    ]) {
      expect(allIds(cache, { ...query, limit: 30 }), query.text).toEqual(expectedIds(orders, query));
    }
  });

  it('says when each row was cached, in searches and a customer list', () => {
    let now = Date.parse('2026-11-20T08:00:00.000Z');
    const cache = new OrderCacheDatabase(tempCachePath(), { dataKey: randomBytes(32), now: () => now });
    open.push(cache);
    const [first, second] = demoOrders(2, 3);
    cache.put([first!]);
    now += 90 * 60_000;
    cache.put([second!]);
    const cachedAt = (items: { id: string; cachedAt?: string }[]) =>
      Object.fromEntries(items.map((item) => [item.id, item.cachedAt]));
    const expected = {
      [first!.id]: '2026-11-20T08:00:00.000Z',
      [second!.id]: '2026-11-20T09:30:00.000Z',
    };
    expect(cachedAt(cache.search({ text: '' }).items)).toEqual(expected);
    expect(cachedAt(cache.search({ text: first!.displayNumber }).items)).toEqual({
      [first!.id]: expected[first!.id],
    });
    expect(cachedAt(cache.forCustomer(second!.customer.id))[second!.id]).toBe(expected[second!.id]);
  });

  it('merges a common hyphenated number needle with its rare digits, newest first', () => {
    const cache = openCache();
    // 300 numbers share "2608-0"; the digits "26080" are in two other numbers only, one of them
    // newer than most of the 300 and one older than all.
    const orders = [
      ...Array.from({ length: 300 }, (_, index) =>
        testOrder({
          id: `ord_ad_${index}`,
          displayNumber: `AD-2608-${String(index).padStart(6, '0')}`,
          phone: '+86 139 1111 2222',
          createdAt: new Date(Date.UTC(2026, 7, 1) + index * 60_000).toISOString(),
        }),
      ),
      testOrder({
        id: 'ord_wc_newer',
        displayNumber: 'WC-226080',
        phone: '+86 139 1111 2222',
        createdAt: new Date(Date.UTC(2026, 7, 1) + 250 * 60_000 + 1).toISOString(),
      }),
      testOrder({
        id: 'ord_wc_older',
        displayNumber: 'WC-260801',
        phone: '+86 139 1111 2222',
        createdAt: '2026-07-01T00:00:00.000Z',
      }),
    ];
    cache.put(orders);
    for (const limit of [20, 60, 200]) {
      expect(allIds(cache, { text: '2608-0', limit }), `limit ${limit}`).toEqual(
        expectedIds(orders, { text: '2608-0' }),
      );
    }
    expect(cache.search({ text: '2608-0', limit: 60 }).items.map((item) => item.id)).toContain(
      'ord_wc_newer',
    );
  });

  it('honours the gateway filters (status, platform, created range) for every kind of search', () => {
    const cache = openCache();
    const orders = demoOrders(600, 11);
    cache.put(orders);
    const sample = orders[123]!;
    const createdTimes = orders.map((order) => Date.parse(order.createdAt)).sort((a, b) => a - b);
    const createdFrom = new Date(createdTimes[150]!).toISOString();
    const createdTo = new Date(createdTimes[450]!).toISOString();
    const texts = [
      '',
      [...sample.customer.name][0]!,
      [...sample.customer.name].slice(0, 2).join(''),
      sample.customer.name.slice(1, 5),
      digitsOf(sample.customer.phone).slice(-4),
      digitsOf(sample.customer.phone).slice(3, 9),
      digitsOf(sample.customer.phone).slice(-3),
      sample.customer.phone,
      sample.displayNumber.slice(-6),
      sample.displayNumber.slice(0, 5),
      sample.items[0]!.title.split(' ').find((word) => word.length >= 4)!,
    ];
    const filterSets: CacheSearchQuery['filters'][] = [
      undefined,
      { statuses: [sample.status] },
      { statuses: ['refunded', 'cancelled'] },
      { platforms: [sample.platform] },
      { createdFrom, createdTo },
      { createdFrom: sample.createdAt, createdTo: sample.createdAt },
      { statuses: [sample.status, 'closed'], platforms: [sample.platform], createdFrom },
      { statuses: [], platforms: [] },
    ];
    let nonEmpty = 0;
    for (const text of texts) {
      for (const filters of filterSets) {
        const query = { text, limit: 20, ...(filters ? { filters } : {}) };
        const expected = expectedIds(orders, query);
        expect(allIds(cache, query), JSON.stringify(query)).toEqual(expected);
        if (expected.length > 0 && expected.length < orders.length) nonEmpty += 1;
      }
    }
    // The filters narrowed real result sets, not only empty ones.
    expect(nonEmpty).toBeGreaterThan(40);
    expect(
      allIds(cache, { text: '', filters: { createdFrom: sample.createdAt, createdTo: sample.createdAt } }),
    ).toContain(sample.id);
  });

  it('refuses a created bound that is not a date', () => {
    const cache = openCache();
    expect(() => cache.search({ text: '', filters: { createdFrom: 'yesterday' } })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });

  it('re-indexes an order whose searchable fields changed, and keeps it findable when only its status did', () => {
    const cache = openCache();
    const first = testOrder({
      id: 'ord_1',
      displayNumber: 'SH-555001',
      name: 'Jonathan Miller',
      titles: ['Trail Shoe'],
    });
    cache.put([first]);
    cache.applyEvents([orderEvent(1, { ...first, status: 'closed', version: 2 })]);
    expect(cache.search({ text: 'Miller' }).items.map((item) => item.status)).toEqual(['closed']);
    expect(cache.search({ text: 'Trail' }).items).toHaveLength(1);
    expect(cache.search({ text: '555001' }).items).toHaveLength(1);

    const renamed = testOrder({
      id: 'ord_1',
      displayNumber: 'SH-555002',
      name: 'Jonathan Parker',
      titles: ['Road Bottle'],
      version: 3,
    });
    cache.applyEvents([orderEvent(2, renamed)]);
    const ids = (text: string) => cache.search({ text }).items.map((item) => item.id);
    expect(ids('Miller')).toEqual([]);
    expect(ids('Trail')).toEqual([]);
    expect(ids('555001')).toEqual([]);
    expect(ids('Parker')).toEqual(['ord_1']);
    expect(ids('Bottle')).toEqual(['ord_1']);
    expect(ids('555002')).toEqual(['ord_1']);
    // Eviction takes the number's index rows too.
    expect(cache.evict({ ttlMs: 0, maxOrders: 0 })).toBe(1);
    expect(ids('555002')).toEqual([]);
  });

  it('migrates a version 2 cache: platforms filled from the sealed summaries, numbers indexed', () => {
    const path = tempCachePath();
    const dataKey = randomBytes(32);
    const orders = demoOrders(40, 5);
    // Written by this version, then taken back to what version 2 held.
    const current = new OrderCacheDatabase(path, { dataKey });
    current.put(orders);
    current.close();
    const raw = new Database(path);
    raw.exec(`
      DROP TABLE order_number_suffixes;
      DROP INDEX orders_status;
      DROP TABLE order_numbers_fts;
      DROP TABLE phone_fts;
      DROP TABLE backfills;
      ALTER TABLE orders DROP COLUMN platform;
      PRAGMA user_version = 2;
    `);
    raw.close();

    const migrated = openCache(path, dataKey);
    expect(migrated.schemaVersion).toBe(4);
    const sample = orders[7]!;
    for (const platform of ['shopify', 'woocommerce', 'demo'] as const) {
      const query = { text: '', filters: { platforms: [platform] } };
      expect(allIds(migrated, query)).toEqual(expectedIds(orders, query));
    }
    expect(migrated.search({ text: sample.displayNumber.slice(-5) }).items.map((item) => item.id)).toContain(
      sample.id,
    );
  });
});

describe('order cache migration 4 (phones in phone_fts)', () => {
  const clients: OrderCacheClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.stop()));
  });

  /** A cache as version 3 left it: no phone_fts, the phones' trigram tokens in orders_fts. */
  function versionThreeCache(path: string, dataKey: Uint8Array, orders: readonly Order[]): void {
    const current = new OrderCacheDatabase(path, { dataKey });
    current.put(orders);
    current.close();
    const tokens = new BlindTokens(deriveCacheKeys(dataKey).tokens);
    const raw = new Database(path);
    raw.exec('DROP TABLE phone_fts; DROP TABLE backfills; PRAGMA user_version = 3;');
    const seqOf = raw.prepare<[string], { seq: number }>('SELECT seq FROM orders WHERE id = ?');
    const remove = raw.prepare('DELETE FROM orders_fts WHERE rowid = ?');
    const insert = raw.prepare(
      `INSERT INTO orders_fts (rowid, display_number, customer_name, phone_digits, item_titles)
       VALUES (?, '', ?, ?, ?)`,
    );
    for (const order of orders) {
      const { seq } = seqOf.get(order.id)!;
      remove.run(seq);
      insert.run(
        seq,
        tokens.trigrams(order.customer.name).join(' '),
        tokens.trigrams(digitsOf(order.customer.phone)).join(' '),
        order.items.flatMap((item) => tokens.trigrams(item.title)).join(' '),
      );
    }
    raw.close();
  }

  it('opens a version 3 cache at once and finds every phone before, during and after the backfill', () => {
    const path = tempCachePath();
    const dataKey = randomBytes(32);
    const orders = demoOrders(60, 9);
    versionThreeCache(path, dataKey, orders);

    const cache = openCache(path, dataKey);
    expect(cache.schemaVersion).toBe(4);
    const sample = orders[17]!;
    const phone = digitsOf(sample.customer.phone);
    const texts = [phone.slice(-4), phone.slice(2, 8), sample.customer.phone, phone.slice(-3)];
    const expectAllFound = (stage: string, current: readonly Order[]) => {
      for (const text of texts) {
        const query = { text, limit: 200 };
        expect(allIds(cache, query), `${stage}: ${text}`).toEqual(expectedIds(current, query));
      }
      expect(allIds(cache, { text: phone.slice(-4) }), stage).toContain(sample.id);
    };
    expectAllFound('before', orders);
    expect(cache.backfillStep(25)).toBe(true);
    expectAllFound('newest 25 done', orders);
    // The oldest order, not reached yet, is cached again with another phone: the backfill must
    // replace its row, not add a second one that would outlive the next change.
    const oldest = [...orders].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))[0]!;
    const moved = {
      ...oldest,
      version: oldest.version + 1,
      customer: { ...oldest.customer, phone: sample.customer.phone },
    };
    cache.put([moved]);
    let current = orders.map((order) => (order.id === moved.id ? moved : order));
    expectAllFound('an old order re-cached', current);
    while (cache.backfillStep(25)) {
      expectAllFound('step', current);
    }
    expectAllFound('done', current);
    expect(cache.backfillStep(25)).toBe(false);
    const movedAgain = {
      ...moved,
      version: moved.version + 1,
      customer: { ...moved.customer, phone: '+86 150 0000 0000' },
    };
    cache.put([movedAgain]);
    current = current.map((order) => (order.id === movedAgain.id ? movedAgain : order));
    expectAllFound('changed again', current);
    cache.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM backfills').get()).toEqual({ n: 0 });
    raw.close();
  });

  it('backfills in the worker while it answers requests', async () => {
    const path = tempCachePath();
    const keys = createTestKeyProvider();
    const client = new OrderCacheClient({ path, keys });
    await client.start();
    await client.stop();
    const { key: dataKey } = await loadOrCreateDataKey(`${path}.key`, keys);
    const orders = demoOrders(3_000, 4);
    versionThreeCache(path, dataKey, orders);

    const cache = new OrderCacheClient({ path, keys });
    clients.push(cache);
    await cache.start();
    const sample = orders[2_500]!;
    const text = digitsOf(sample.customer.phone).slice(-4);
    const query = { text, limit: 200 };
    expect((await cache.search(query)).items.map((item) => item.id)).toEqual(
      expectedIds(orders, query).slice(0, 200),
    );
    const raw = new Database(path, { readonly: true });
    try {
      await expect
        .poll(() => raw.prepare('SELECT count(*) AS n FROM backfills').get(), { timeout: 20_000 })
        .toEqual({ n: 0 });
    } finally {
      raw.close();
    }
    expect((await cache.search(query)).items.map((item) => item.id)).toEqual(
      expectedIds(orders, query).slice(0, 200),
    );
  });
});

describe('OrderCacheClient search filters', () => {
  const clients: OrderCacheClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.stop()));
  });

  it('passes the filters through the worker', async () => {
    const cache = new OrderCacheClient({ path: tempCachePath(), keys: createTestKeyProvider() });
    clients.push(cache);
    await cache.start();
    const orders = demoOrders(200, 3);
    await cache.put(orders);
    const query = {
      text: '',
      limit: 100,
      filters: { statuses: [orders[0]!.status], platforms: [orders[0]!.platform] },
    };
    const page = await cache.search(query);
    const expected = expectedIds(orders, query);
    expect(expected.length).toBeGreaterThan(0);
    expect(page.items.map((item) => item.id)).toEqual(expected.slice(0, 100));
  });
});
