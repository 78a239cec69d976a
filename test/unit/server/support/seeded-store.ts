import type { Order } from '../../../../src/shared/domain';
import { openDatabase } from '../../../../src/server/db/open-database';
import { generateDemoOrders } from '../../../../src/server/demo/demo-orders';
import { seedDemoOrders } from '../../../../src/server/demo/seed';
import { SqliteOrderStore } from '../../../../src/server/orders/sqlite-order-store';

/** A fixed "now" so that tests can regenerate exactly what was seeded. */
export const FIXTURE_NOW_MS = Date.parse('2026-03-01T08:00:00.000Z');

/**
 * Seeds `count` demo orders into a gateway database file and returns the same orders, oldest
 * first (insertion order), for computing what a search must return.
 */
export async function seedOrdersFile(dbPath: string, count: number, seed: number): Promise<Order[]> {
  const db = openDatabase(dbPath);
  try {
    await seedDemoOrders(new SqliteOrderStore(db), { orders: count, seed, nowMs: FIXTURE_NOW_MS });
  } finally {
    db.close();
  }
  return [...generateDemoOrders({ count, seed, nowMs: FIXTURE_NOW_MS })];
}

/** The digits of a phone, as the search index holds them. */
export function digitsOf(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** Newest first: the reverse of insertion order. */
export function newestFirst(orders: readonly Order[]): Order[] {
  return [...orders].reverse();
}
