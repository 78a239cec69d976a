/**
 * A gateway database with 1M demo orders, kept between benchmark runs: seeding takes minutes,
 * so the file is reused when it holds the expected number of orders (a half-seeded one, left
 * by an interrupted run, is started over). Run alone to prepare it:
 *   npx tsx test/bench/million-order-db.ts
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase } from '../../src/server/db/open-database';
import { seedDemoOrders } from '../../src/server/demo/seed';
import { SqliteOrderStore } from '../../src/server/orders/sqlite-order-store';

export const MILLION = 1_000_000;
/** The same data on every machine and day: seed 1, "now" fixed. */
export const BENCH_NOW_MS = Date.parse('2026-11-23T00:00:00Z');
export const defaultBenchDbPath = (orders: number) =>
  process.env.AGENT_DESK_BENCH_DB ?? join(tmpdir(), 'agent-desk-bench-cache', `gateway-${orders}.db`);

/** Returns the path of a gateway db holding exactly `orders` demo orders, seeding it if needed. */
export async function ensureOrderDb(orders = MILLION, path = defaultBenchDbPath(orders)): Promise<string> {
  if (existsSync(path)) {
    const db = openDatabase(path);
    const count = await new SqliteOrderStore(db).count();
    db.close();
    if (count === orders) {
      console.log(`reusing ${path} (${count} orders)`);
      return path;
    }
    console.log(`${path} holds ${count} orders, not ${orders}: seeding it again`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
  console.log(`seeding ${orders} orders into ${path} (minutes at 1M) ...`);
  const progress = pino(
    { level: 'debug', base: null, timestamp: false },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { inserted?: number; of?: number; ms?: number };
        if (entry.inserted !== undefined && entry.inserted % 100_000 === 0) {
          console.log(`  ${entry.inserted} / ${entry.of}`);
        }
        if (entry.ms !== undefined) console.log(`  seeded in ${(entry.ms / 1000).toFixed(0)} s`);
      },
    },
  );
  const db = openDatabase(path);
  try {
    await seedDemoOrders(new SqliteOrderStore(db), {
      orders,
      seed: 1,
      nowMs: BENCH_NOW_MS,
      logger: progress,
    });
  } finally {
    db.close();
  }
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureOrderDb(Number(process.env.ORDERS ?? MILLION));
}
