/**
 * Abnormal-orders queue benchmark: seeds a gateway store with demo orders, then times
 * `OrderStore.abnormal` (in process, no websocket) for the queries the queue view sends, the
 * cost the side table adds to the write path, and the migration's backfill.
 *
 *   npx tsx test/bench/abnormal.bench.ts [--orders 1000000] [--queries 1000] [--db PATH] [--seed 1]
 *
 * Without --db the store is a temporary file removed at the end; with --db an existing store of
 * the right size is reused (the search benchmark's store works too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MIGRATIONS } from '../../src/server/db/migrations';
import { openDatabase } from '../../src/server/db/open-database';
import { SqliteEventLog } from '../../src/server/events/sqlite-event-log';
import { LiveEvents } from '../../src/server/events/live-events';
import { seedDemoOrders } from '../../src/server/demo/seed';
import { SeededRandom } from '../../src/server/demo/random';
import { SqliteOrderChanges } from '../../src/server/orders/sqlite-order-changes';
import { SqliteOrderStore } from '../../src/server/orders/sqlite-order-store';
import { ABNORMAL_TYPES, AbnormalOrdersQuery } from '../../src/shared/abnormal';
import { percentiles } from './percentiles';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '1000' },
    db: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const orderCount = Number(values.orders);
const queries = Number(values.queries);
const seed = Number(values.seed);
const NOW_MS = Date.parse('2026-11-23T00:00:00Z');

const tempDir = values.db ? null : mkdtempSync(join(tmpdir(), 'agent-desk-bench-'));
const dbPath = values.db ?? join(tempDir!, 'bench.db');
const db = openDatabase(dbPath);
try {
  const store = new SqliteOrderStore(db);
  if ((await store.count()) === 0) {
    const startedAt = performance.now();
    await seedDemoOrders(store, { orders: orderCount, seed, nowMs: NOW_MS });
    console.log(`seeded ${orderCount} orders in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  }
  const rows = db.prepare('SELECT count(*) AS n FROM order_abnormalities').get() as { n: number };
  const { counts, total } = await store.abnormal(AbnormalOrdersQuery.parse({}), {
    nowMs: NOW_MS,
    types: ABNORMAL_TYPES,
  });
  console.log(
    `\n${await store.count()} orders, ${total} abnormal (${rows.n} side-table rows), ` +
      `${cpus().length} cores, Node ${process.version}`,
  );
  console.log(`per type: ${JSON.stringify(counts)}\n`);

  const scope = { nowMs: NOW_MS, types: ABNORMAL_TYPES };
  const shapes: { name: string; query: () => Record<string, unknown> }[] = [
    { name: 'all types, first page of 100', query: () => ({}) },
    { name: 'one type, oldest first', query: () => ({ type: random.pick(ABNORMAL_TYPES) }) },
    { name: 'one type, newest first', query: () => ({ type: random.pick(ABNORMAL_TYPES), order: 'newest' }) },
    {
      name: 'one type + platforms + 3+ days',
      query: () => ({ type: random.pick(ABNORMAL_TYPES), platforms: ['shopify', 'demo'], minAgeDays: 3 }),
    },
  ];
  const random = new SeededRandom(seed);
  console.log('query                                  p50 ms   p95 ms   p99 ms   max ms');
  for (const shape of shapes) {
    const times: number[] = [];
    for (let i = 0; i < queries + 50; i += 1) {
      const query = AbnormalOrdersQuery.parse(shape.query());
      const startedAt = performance.now();
      await store.abnormal(query, scope);
      if (i >= 50) times.push(performance.now() - startedAt);
    }
    report(shape.name, times);
  }

  // Deep paging: walk every page of the biggest type with a cursor.
  const biggest = ABNORMAL_TYPES.reduce((a, b) => ((counts[a] ?? 0) >= (counts[b] ?? 0) ? a : b));
  const pageTimes: number[] = [];
  let cursor: string | undefined;
  do {
    const startedAt = performance.now();
    const page = await store.abnormal(
      AbnormalOrdersQuery.parse({ type: biggest, limit: 50, ...(cursor ? { cursor } : {}) }),
      scope,
    );
    pageTimes.push(performance.now() - startedAt);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  report(`every page of ${biggest} (50 rows)`, pageTimes);

  // The write path: order updates that add and remove an abnormality, side table included.
  const changes = new SqliteOrderChanges(db, { log: new SqliteEventLog(db), live: new LiveEvents(console) });
  const ids = db
    .prepare('SELECT id FROM orders WHERE status = ? ORDER BY seq DESC LIMIT 500')
    .all('shipped') as { id: string }[];
  const writeTimes: number[] = [];
  for (const [index, { id }] of ids.entries()) {
    const startedAt = performance.now();
    await changes.update(
      id,
      null,
      (order) => ({
        ...order,
        riskFlags:
          index % 2 === 0
            ? [...order.riskFlags, { kind: 'fraud_suspect', at: new Date(NOW_MS).toISOString() }]
            : order.riskFlags.filter((flag) => flag.kind !== 'fraud_suspect'),
      }),
      { source: 'system' },
    );
    writeTimes.push(performance.now() - startedAt);
  }
  report('order update incl. side table', writeTimes);

  // The migration's backfill over every stored document (once per database).
  db.exec('DELETE FROM order_abnormalities');
  const backfillStart = performance.now();
  db.transaction(() => MIGRATIONS.find((m) => m.name === 'abnormal orders')!.backfill!(db))();
  console.log(
    `\nbackfill of ${await store.count()} documents: ${((performance.now() - backfillStart) / 1000).toFixed(1)} s`,
  );
} finally {
  db.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

function report(name: string, times: number[]): void {
  const p = percentiles([...times].sort((a, b) => a - b));
  const cell = (value: number) => value.toFixed(2).padStart(8);
  console.log(`${name.padEnd(38)}${cell(p.p50)} ${cell(p.p95)} ${cell(p.p99)} ${cell(p.max)}`);
}
