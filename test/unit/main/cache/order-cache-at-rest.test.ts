import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OrderCacheClient } from '../../../../src/main/services/cache/OrderCacheClient';
import { phoneDigits } from '../../../../src/main/services/cache/blind-search-text';
import { createTestKeyProvider } from '../../../harness/test-key-provider';
import { demoOrders, tempCachePath as tempPath } from './cache-fixtures';

const readIfPresent = (file: string) => {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
};

describe('order cache data at rest', () => {
  it('holds no customer name, phone or email in clear in the database or its WAL', async () => {
    const path = tempPath();
    const cache = new OrderCacheClient({ path, keys: createTestKeyProvider() });
    await cache.start();
    const orders = demoOrders(300);
    await cache.put(orders);
    await cache.get(orders[0]!.id);
    // Found through the blind index, yet absent from the bytes below.
    expect((await cache.search({ text: orders[0]!.customer.name })).items.length).toBeGreaterThan(0);

    const secrets = new Set<string>();
    for (const order of orders) {
      const { name, phone, email } = order.customer;
      for (const value of [name, phone, email, phoneDigits(phone), order.shippingAddress.line1])
        secrets.add(value);
    }
    const assertNoSecrets = (bytes: Buffer, where: string) => {
      const found = [...secrets].filter((secret) => bytes.includes(Buffer.from(secret, 'utf8')));
      expect(found, where).toEqual([]);
    };

    const wal = readIfPresent(`${path}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    assertNoSecrets(wal, 'WAL before checkpoint');
    await cache.checkpoint();
    const database = readFileSync(path);
    // The display numbers are not personal and stay in clear: proof that the bytes were read.
    expect(database.includes(Buffer.from(orders[0]!.displayNumber))).toBe(true);
    assertNoSecrets(database, 'database after checkpoint');
    await cache.stop();
    assertNoSecrets(readFileSync(path), 'database after close');
    assertNoSecrets(readIfPresent(`${path}-wal`), 'WAL after close');
  });
});
