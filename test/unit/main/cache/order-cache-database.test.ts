import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrderCacheDatabase } from '../../../../src/main/services/cache/OrderCacheDatabase';
import { ORDER_CACHE_MIGRATIONS } from '../../../../src/main/services/cache/order-cache-migrations';
import { tempCachePath, testOrder } from './cache-fixtures';

const MINUTE = 60_000;

describe('OrderCacheDatabase', () => {
  it('evicts orders unused for longer than the TTL, then the least recently used beyond the limit', () => {
    let now = Date.UTC(2026, 10, 1);
    const cache = new OrderCacheDatabase(tempCachePath(), { dataKey: randomBytes(32), now: () => now });
    try {
      cache.put([testOrder({ id: 'ord_old' })]);
      now += 10 * MINUTE;
      cache.put([testOrder({ id: 'ord_a' }), testOrder({ id: 'ord_b' }), testOrder({ id: 'ord_c' })]);
      now += MINUTE;
      cache.get('ord_a');
      now += MINUTE;
      // An event for ord_b is not a use by the agent: it stays least recently used.
      cache.applyEvents([
        {
          seq: 1,
          at: new Date(now).toISOString(),
          kind: 'order.updated',
          orderId: 'ord_b',
          version: 2,
          cause: { source: 'webhook' },
          order: testOrder({ id: 'ord_b', version: 2 }),
        },
      ]);

      expect(cache.evict({ ttlMs: 5 * MINUTE, maxOrders: 2 })).toBe(2);
      expect(cache.get('ord_old')).toBeNull();
      expect(cache.get('ord_b')).toBeNull();
      expect(cache.get('ord_a')?.order.id).toBe('ord_a');
      expect(cache.get('ord_c')?.order.id).toBe('ord_c');
      // Evicted orders leave the search index too.
      expect(
        cache
          .search({ text: testOrder({ id: 'x' }).customer.name })
          .items.map((item) => item.id)
          .sort(),
      ).toEqual(['ord_a', 'ord_c']);
      expect(cache.schemaVersion).toBe(ORDER_CACHE_MIGRATIONS.at(-1)!.version);
    } finally {
      cache.close();
    }
  });

  it('keeps more orders than one millisecond has seqs for (second-precision platform times)', () => {
    const cache = new OrderCacheDatabase(':memory:', { dataKey: randomBytes(32) });
    try {
      const createdAt = '2026-11-11T00:00:00.000Z';
      cache.put(Array.from({ length: 1_500 }, (_, index) => testOrder({ id: `ord_${index}`, createdAt })));
      expect(cache.count()).toBe(1_500);
      const ids = new Set<string>();
      let cursor: string | null = null;
      do {
        const page = cache.search({ text: '', limit: 200, cursor });
        for (const item of page.items) ids.add(item.id);
        cursor = page.nextCursor;
      } while (cursor);
      expect(ids.size).toBe(1_500);
    } finally {
      cache.close();
    }
  });

  it('refuses a cursor it did not issue', () => {
    const cache = new OrderCacheDatabase(':memory:', { dataKey: randomBytes(32) });
    try {
      expect(() => cache.search({ text: 'abc', cursor: 'bm9wZQ' })).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST' }),
      );
    } finally {
      cache.close();
    }
  });
});
