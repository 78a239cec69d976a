import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type SqliteDatabase } from '../../../src/server/db/open-database';
import { MIGRATIONS } from '../../../src/server/db/migrations';
import { SeededRandom } from '../../../src/server/demo/random';
import { toOrderRow } from '../../../src/server/orders/order-row';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { ORDER_STATUSES, PLATFORMS, type Order, type OrderStatus } from '../../../src/shared/domain';
import { DeskError } from '../../../src/shared/errors';
import { OrderSearchQuery, type OrderSearchResult } from '../../../src/shared/protocol';
import { digitsOf, newestFirst, seedOrdersFile } from './support/seeded-store';
import { makeTempDir } from './support/temp-dir';

const ORDER_COUNT = 4000;
const tempDir = makeTempDir();
let orders: Order[];
let db: SqliteDatabase;
let store: SqliteOrderStore;

beforeAll(async () => {
  const dbPath = join(tempDir.path, 'orders.db');
  orders = await seedOrdersFile(dbPath, ORDER_COUNT, 7);
  db = openDatabase(dbPath);
  store = new SqliteOrderStore(db);
});

afterAll(() => {
  db?.close();
  tempDir.remove();
});

function search(query: OrderSearchQuery, on: SqliteOrderStore = store): Promise<OrderSearchResult> {
  return on.search(OrderSearchQuery.parse(query));
}

/** Every page of a search, following cursors; fails on a repeated id. */
async function searchAll(query: OrderSearchQuery, on: SqliteOrderStore = store): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page += 1) {
    const result = await search({ ...query, ...(cursor ? { cursor } : {}) }, on);
    ids.push(...result.items.map((item) => item.id));
    if (result.nextCursor === null) {
      expect(new Set(ids).size).toBe(ids.length);
      return ids;
    }
    expect(result.items).toHaveLength(query.limit ?? 50);
    cursor = result.nextCursor;
  }
  throw new Error('pagination did not end');
}

const idsOf = (list: readonly Order[]) => list.map((order) => order.id);
const expectedNewestFirst = (predicate: (order: Order) => boolean) =>
  idsOf(newestFirst(orders.filter(predicate)));

/** What trigram FTS over the four indexed fields means, written independently of SQL. */
function containsText(order: Order, text: string): boolean {
  const needle = text.toLowerCase();
  return [
    order.displayNumber,
    order.customer.name,
    digitsOf(order.customer.phone),
    ...order.items.map((item) => item.title),
  ].some((field) => field.toLowerCase().includes(needle));
}

/** What a search text means, per the shape planOrderSearch gives it, written without SQL. */
function matchesSearchText(order: Order, rawText: string): boolean {
  const text = rawText.trim();
  if (text === '') return true;
  const digits = text.replace(/\D/g, '');
  if (/^[\d\s+-]+$/.test(text) && digits.length >= 4) {
    return (
      digitsOf(order.customer.phone).includes(digits) ||
      order.displayNumber.includes(digits) ||
      (text.includes('-') && order.displayNumber.includes(text))
    );
  }
  if ([...text].length >= 3) return containsText(order, text);
  return order.customer.name.toLowerCase().startsWith(text.toLowerCase());
}

/** A search as an agent might compose it: text of every planned shape, filters, bounds, page size. */
function randomQuery(random: SeededRandom) {
  const order = random.pick(orders);
  const piece = (text: string, min: number, max: number) => {
    const length = Math.min(text.length, random.int(min, max));
    const start = random.int(0, text.length - length);
    return text.slice(start, start + length);
  };
  const texts = [
    () => piece(order.displayNumber, 3, 8),
    () => digitsOf(order.customer.phone).slice(-random.int(4, 6)),
    () => order.customer.name.slice(0, random.int(1, 2)),
    () => piece(random.pick(order.items).title, 3, 6),
    () => '',
    () => random.pick(['wireless', '充电宝', 'zzzqqq', 'Cable']),
  ];
  const subset = <T>(list: readonly T[], max: number): T[] =>
    Array.from({ length: random.int(0, max) }, () => random.pick(list));
  const bounds = random.int(0, 3) === 0 ? [random.pick(orders), random.pick(orders)] : [];
  const [createdFrom, createdTo] = bounds
    .map((bound) => bound.createdAt)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return {
    text: random.pick(texts)(),
    statuses: subset(ORDER_STATUSES, 3),
    platforms: subset(PLATFORMS, 2),
    ...(createdFrom ? { createdFrom, createdTo } : {}),
    limit: random.pick([7, 50]),
  };
}

/** The brute-force answer: every order filtered in JavaScript, newest first. */
function expectedIds(query: ReturnType<typeof randomQuery>): string[] {
  const { text, statuses, platforms, createdFrom, createdTo } = query;
  return expectedNewestFirst(
    (order) =>
      matchesSearchText(order, text) &&
      (statuses.length === 0 || (statuses as string[]).includes(order.status)) &&
      (platforms.length === 0 || (platforms as string[]).includes(order.platform)) &&
      (!createdFrom || Date.parse(order.createdAt) >= Date.parse(createdFrom)) &&
      (!createdTo || Date.parse(order.createdAt) <= Date.parse(createdTo)),
  );
}

describe('SQLite database', () => {
  it('is in WAL mode at the latest migration, and reopening does not migrate again', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const again = openDatabase(db.name);
    expect(schemaVersion(again)).toBe(MIGRATIONS.at(-1)!.version);
    again.close();
  });

  it('merges the search index into one segment after a bulk load, and still finds the same orders', async () => {
    const bulk = openDatabase(join(tempDir.path, 'bulk.db'));
    const bulkStore = new SqliteOrderStore(bulk);
    const segments = () => bulk.prepare('SELECT count(DISTINCT segid) AS n FROM orders_fts_idx').get();
    // Each insert transaction leaves its own segment.
    for (let batch = 0; batch < 3; batch += 1)
      await bulkStore.insertMany(orders.slice(batch * 100, batch * 100 + 100));
    expect(segments()).toEqual({ n: 3 });
    const query = OrderSearchQuery.parse({ text: orders[150]!.displayNumber.slice(1, 8), limit: 50 });
    const before = await bulkStore.search(query);

    await bulkStore.afterBulkLoad();
    expect(segments()).toEqual({ n: 1 });
    expect(await bulkStore.search(query)).toEqual(before);
    bulk.close();
  });

  it('refuses a database written by a newer gateway', () => {
    const path = join(tempDir.path, 'future.db');
    const future = openDatabase(path);
    future.pragma('user_version = 99');
    future.close();
    expect(() => openDatabase(path)).toThrow(/newer/);
  });
});

/**
 * A store as a version-8 gateway wrote it: the schema up to migration 8 and its four-column
 * search index, without the status and platform tokens.
 */
function writeVersion8Store(path: string, stored: readonly Order[]): void {
  const v8 = new Database(path);
  v8.pragma('journal_mode = WAL');
  for (const migration of MIGRATIONS.filter((each) => each.version <= 8)) v8.exec(migration.sql);
  v8.pragma('user_version = 8');
  const insertRow = v8.prepare(
    `INSERT INTO orders (id, display_number, platform, platform_order_id, customer_id,
       customer_name, customer_name_key, customer_phone, status, created_at, created_at_ms,
       total_amount, currency, item_count, first_item_title)
     VALUES (@id, @display_number, @platform, @platform_order_id, @customer_id, @customer_name,
       @customer_name_key, @customer_phone, @status, @created_at, @created_at_ms, @total_amount,
       @currency, @item_count, @first_item_title)`,
  );
  const insertDocument = v8.prepare('INSERT INTO order_documents (seq, order_json) VALUES (?, ?)');
  const insertText = v8.prepare(
    `INSERT INTO orders_fts (rowid, display_number, customer_name, phone_digits, item_titles)
     VALUES (?, ?, ?, ?, ?)`,
  );
  v8.transaction(() => {
    for (const order of stored) {
      const seq = Number(insertRow.run(toOrderRow(order)).lastInsertRowid);
      insertDocument.run(seq, JSON.stringify(order));
      insertText.run(
        seq,
        order.displayNumber,
        order.customer.name,
        digitsOf(order.customer.phone),
        order.items.map((item) => item.title).join('\n'),
      );
    }
  })();
  v8.close();
}

describe('migration 9: status and platform in the search index', () => {
  it('rebuilds the index of an existing store: every search, filtered or not, as the oracle says', async () => {
    const path = join(tempDir.path, 'version-8.db');
    writeVersion8Store(path, orders);
    const migrated = openDatabase(path);
    const migratedStore = new SqliteOrderStore(migrated);
    expect(schemaVersion(migrated)).toBe(MIGRATIONS.at(-1)!.version);
    expect(migrated.prepare('SELECT count(DISTINCT segid) AS n FROM orders_fts_idx').get()).toEqual({ n: 1 });
    // The rebuild turns merging off while it loads; later writes must be merged again.
    expect(migrated.prepare("SELECT v FROM orders_fts_config WHERE k = 'automerge'").get()).toEqual({ v: 4 });

    const random = new SeededRandom(13);
    for (let i = 0; i < 60; i += 1) {
      const query = randomQuery(random);
      expect(await searchAll(query, migratedStore), JSON.stringify(query)).toEqual(expectedIds(query));
    }
    for (const text of ['wireless', '充电宝']) {
      const statuses: OrderStatus[] = ['refunding', 'refunded', 'cancelled'];
      const query = { text, statuses, platforms: [], limit: 50 };
      expect(await searchAll(query, migratedStore)).toEqual(expectedIds(query));
    }
    migrated.close();
  });

  it('migration 10 gives the orders stored before it their phone digits: masked lookups find them', async () => {
    const path = join(tempDir.path, 'version-8-phones.db');
    writeVersion8Store(path, orders);
    const migrated = openDatabase(path);
    const migratedStore = new SqliteOrderStore(migrated);
    const sample = orders[1717]!;
    const digits = digitsOf(sample.customer.phone);
    const masked = async (text: string) =>
      (await migratedStore.search(OrderSearchQuery.parse({ text, limit: 100 }), 'masked')).items.map(
        (item) => item.id,
      );
    expect(await masked(digits.slice(-4))).toEqual(
      expectedNewestFirst(
        (order) =>
          digitsOf(order.customer.phone).endsWith(digits.slice(-4)) ||
          order.displayNumber.includes(digits.slice(-4)),
      ).slice(0, 100),
    );
    expect(await masked(sample.customer.phone)).toContain(sample.id);
    migrated.close();
  });
});

describe('SqliteOrderStore writes', () => {
  it('returns a stored order exactly as generated, and null for an unknown id', async () => {
    const sample = orders[1234]!;
    expect(await store.get(sample.id)).toEqual(sample);
    expect(await store.get('ord_missing')).toBeNull();
    expect(await store.count()).toBe(ORDER_COUNT);
  });

  it('validates every order and rolls back the whole batch when one is invalid', async () => {
    const fresh = openDatabase(join(tempDir.path, 'validate.db'));
    const freshStore = new SqliteOrderStore(fresh);
    const good = orders[0]!;
    const bad = { ...orders[1]!, version: -1 };
    await expect(freshStore.insertMany([good, bad])).rejects.toThrow();
    expect(await freshStore.count()).toBe(0);
    expect((await freshStore.search(OrderSearchQuery.parse({ text: good.displayNumber }))).items).toEqual([]);
    fresh.close();
  });

  it('refuses a duplicate display number', async () => {
    const duplicate = { ...orders[5]!, id: 'ord_other', platformOrderId: 'other' };
    await expect(store.insertMany([duplicate])).rejects.toThrow(/UNIQUE/);
    expect(await store.count()).toBe(ORDER_COUNT);
  });
});

describe('SqliteOrderStore search', () => {
  it('lists the newest orders for empty text, with a cursor to the next page', async () => {
    const result = await search({});
    expect(result.items.map((item) => item.id)).toEqual(idsOf(newestFirst(orders).slice(0, 50)));
    expect(result.nextCursor).not.toBeNull();
  });

  it('summarises each order for the result row', async () => {
    const sample = orders[3210]!;
    const { items } = await search({ text: sample.displayNumber });
    expect(items[0]).toEqual({
      id: sample.id,
      platform: sample.platform,
      displayNumber: sample.displayNumber,
      status: sample.status,
      customerName: sample.customer.name,
      customerPhone: sample.customer.phone,
      total: sample.payment.amount,
      itemCount: sample.items.reduce((sum, item) => sum + item.qty, 0),
      firstItemTitle: sample.items[0]!.title,
      createdAt: sample.createdAt,
    });
  });

  it('finds an order by a substring of its display number', async () => {
    for (const sample of [orders[100]!, orders[2500]!, orders[3999]!]) {
      const text = sample.displayNumber.slice(1, 8);
      const ids = await searchAll({ text, limit: 100 });
      expect(ids).toContain(sample.id);
      expect(ids).toEqual(expectedNewestFirst((order) => containsText(order, text)));
    }
  });

  it('finds a customer by the last 4 and by 6 middle digits of their phone, and only true matches', async () => {
    const sample = orders[2000]!;
    const digits = digitsOf(sample.customer.phone);
    for (const text of [
      digits.slice(-4),
      digits.slice(4, 10),
      `${digits.slice(-8, -4)} ${digits.slice(-4)}`,
    ]) {
      const wanted = text.replace(/\D/g, '');
      const ids = await searchAll({ text, limit: 100 });
      const customerOrders = orders.filter((order) => order.customer.id === sample.customer.id);
      for (const order of customerOrders) expect(ids).toContain(order.id);
      expect(ids).toEqual(
        expectedNewestFirst(
          (order) => digitsOf(order.customer.phone).includes(wanted) || order.displayNumber.includes(wanted),
        ),
      );
    }
  });

  it('finds a hyphenated demo display number typed with its hyphen', async () => {
    const sample = orders.find((order) => order.platform === 'demo')!;
    const text = sample.displayNumber.slice(3); // '2511-000123'
    const ids = await searchAll({ text, limit: 100 });
    expect(ids).toContain(sample.id);
  });

  it('finds customers by a 2-character Chinese name prefix (surname + given name)', async () => {
    const sample = orders.find((order) => /^[\u4e00-\u9fff]{3}$/.test(order.customer.name))!;
    const prefix = sample.customer.name.slice(0, 2);
    const ids = await searchAll({ text: prefix, limit: 100 });
    expect(ids).toContain(sample.id);
    expect(ids).toEqual(expectedNewestFirst((order) => order.customer.name.startsWith(prefix)));
  });

  it('finds a 2-character compound surname and a 1-character surname', async () => {
    for (const prefix of ['欧阳', '王']) {
      const ids = await searchAll({ text: prefix, limit: 100 });
      const expected = expectedNewestFirst((order) => order.customer.name.startsWith(prefix));
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected);
    }
  });

  it('matches short English name prefixes case-insensitively', async () => {
    const ids = await searchAll({ text: 'em', limit: 100 });
    const expected = expectedNewestFirst((order) => order.customer.name.toLowerCase().startsWith('em'));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
  });

  it('finds orders by a product title substring in Chinese and in English', async () => {
    for (const text of ['充电宝', 'wireless']) {
      const ids = await searchAll({ text, limit: 100 });
      const expected = expectedNewestFirst((order) => containsText(order, text));
      expect(expected.length).toBeGreaterThan(10);
      expect(ids).toEqual(expected);
    }
  });

  it('applies status, platform and creation-time filters, with and without text', async () => {
    const statuses = ['refunding', 'refunded', 'cancelled'] as const;
    const platforms = ['shopify', 'demo'] as const;
    const inFilters = (order: Order) =>
      (statuses as readonly string[]).includes(order.status) &&
      (platforms as readonly string[]).includes(order.platform);
    expect(await searchAll({ statuses: [...statuses], platforms: [...platforms], limit: 100 })).toEqual(
      expectedNewestFirst(inFilters),
    );
    expect(
      await searchAll({ text: 'wireless', statuses: [...statuses], platforms: [...platforms], limit: 100 }),
    ).toEqual(expectedNewestFirst((order) => inFilters(order) && containsText(order, 'wireless')));
    expect(await searchAll({ text: '王', statuses: ['completed'], limit: 100 })).toEqual(
      expectedNewestFirst((order) => order.status === 'completed' && order.customer.name.startsWith('王')),
    );

    const createdFrom = orders[1000]!.createdAt;
    const createdTo = orders[1100]!.createdAt;
    const inRange = (order: Order) => order.createdAt >= createdFrom && order.createdAt <= createdTo;
    const ranged = await searchAll({ createdFrom, createdTo, limit: 100 });
    expect(ranged).toEqual(expectedNewestFirst(inRange));
    expect(ranged).toContain(orders[1000]!.id);
    expect(ranged).toContain(orders[1100]!.id);
  });

  it('accepts creation bounds with a UTC offset', async () => {
    const from = new Date(Date.parse(orders[2000]!.createdAt));
    const local = (date: Date) =>
      new Date(date.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    const ids = await searchAll({ createdFrom: local(from), limit: 100 });
    expect(ids).toEqual(expectedNewestFirst((order) => Date.parse(order.createdAt) >= from.getTime()));
  });

  it('merges several statuses newest first, ignoring a repeated status', async () => {
    const ids = await searchAll({ statuses: ['refunding', 'paid', 'refunding', 'closed'], limit: 10 });
    expect(ids).toEqual(
      expectedNewestFirst((order) => ['refunding', 'paid', 'closed'].includes(order.status)),
    );
  });

  it('paginates newest first with no duplicates or gaps, ending with a null cursor', async () => {
    const ids = await searchAll({ statuses: ['delivered', 'shipped'], limit: 7 });
    expect(ids).toEqual(
      expectedNewestFirst((order) => order.status === 'delivered' || order.status === 'shipped'),
    );
    const textIds = await searchAll({ text: 'SH-10', limit: 9 });
    expect(textIds).toEqual(expectedNewestFirst((order) => containsText(order, 'SH-10')));
  });

  it('returns, for many random texts, filters and page sizes, every page as an independent oracle says', async () => {
    const random = new SeededRandom(11);
    for (let i = 0; i < 120; i += 1) {
      const query = randomQuery(random);
      expect(await searchAll(query), JSON.stringify(query)).toEqual(expectedIds(query));
    }
  });

  it('intersects text (or none) with rare statuses, platforms and date ranges inside the index, as the oracle says', async () => {
    const random = new SeededRandom(12);
    const rare = ORDER_STATUSES.filter((status) => status !== 'completed');
    const dayMs = 86_400_000;
    let found = 0;
    for (let i = 0; i < 80; i += 1) {
      // From a day to four months: both sides of the week-token limit.
      const to = Date.parse(random.pick(orders).createdAt);
      const range = {
        createdFrom: new Date(to - random.int(1, 120) * dayMs).toISOString(),
        createdTo: new Date(to).toISOString(),
      };
      const query = {
        ...(random.int(0, 1) === 0 ? range : {}),
        ...randomQuery(random),
        text: random.pick([
          'wireless',
          '充电宝',
          'Cable',
          '',
          orders[random.int(0, ORDER_COUNT - 1)]!.displayNumber,
        ]),
        statuses: Array.from({ length: random.int(0, 2) }, () => random.pick(rare)),
      };
      const expected = expectedIds(query);
      found += expected.length;
      expect(await searchAll(query), JSON.stringify(query)).toEqual(expected);
    }
    expect(found).toBeGreaterThan(100);
  });

  it('returns nothing, without error, for text that matches nothing or looks like FTS syntax', async () => {
    for (const text of [
      'zzzqqq',
      'a"b"c',
      'x OR y',
      'NEAR(a b)',
      '*abc',
      '"',
      '""',
      "'; DROP TABLE orders; --",
    ]) {
      const result = await search({ text });
      expect(result.nextCursor).toBeNull();
      for (const item of result.items)
        expect(
          containsText(
            orders.find((order) => order.id === item.id)!,
            text,
          ),
        ).toBe(true);
    }
    expect(await store.count()).toBe(ORDER_COUNT);
  });

  it('refuses a cursor it did not issue with BAD_REQUEST', async () => {
    for (const cursor of ['nope', Buffer.from('seq:abc').toString('base64url'), '']) {
      const error = await search({ cursor }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(DeskError);
      expect((error as DeskError).code).toBe('BAD_REQUEST');
    }
  });
});
