/**
 * Order write benchmark: times one order update (read, replace, commit) on an existing gateway
 * store, for a status change (which rewrites the order's search-index row) and for a change that
 * leaves the indexed text and status alone (a new version only). Writes to the store: use a copy.
 *
 *   npx tsx test/bench/order-update.bench.ts --db PATH [--updates 2000] [--seed 1]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../src/server/db/open-database';
import { SeededRandom } from '../../src/server/demo/random';
import { SqliteOrderRows } from '../../src/server/orders/sqlite-order-rows';
import type { Order } from '../../src/shared/domain';

const WARMUP_UPDATES = 200;

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    updates: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
  },
});
if (!values.db) throw new Error('--db PATH is required (a copy: the benchmark writes to it)');
const updates = Number(values.updates);
const random = new SeededRandom(Number(values.seed));

const db = openDatabase(values.db);
try {
  const rows = new SqliteOrderRows(db);
  const { n: orderCount } = db.prepare('SELECT max(seq) AS n FROM orders').get() as { n: number };
  const idAt = db.prepare<[number], { id: string }>('SELECT id FROM orders WHERE seq = ?');
  const updateOne = db.transaction((id: string, change: (order: Order) => Order) => {
    const stored = rows.findById(id)!;
    rows.replace(stored.seq, change(stored.order), stored.order);
  });
  const changes: Record<string, (order: Order) => Order> = {
    'status change': (order) => ({
      ...order,
      version: order.version + 1,
      status: order.status === 'refunding' ? 'refunded' : 'refunding',
    }),
    'version only': (order) => ({ ...order, version: order.version + 1 }),
  };

  console.log(`\n${orderCount} orders, ${updates} updates per row, ${cpus().length} cores\n`);
  console.log('| change | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: |');
  for (const [name, change] of Object.entries(changes)) {
    const durations: number[] = [];
    for (let i = 0; i < WARMUP_UPDATES + updates; i += 1) {
      const { id } = idAt.get(random.int(1, orderCount))!;
      const startedAt = performance.now();
      updateOne(id, change);
      if (i >= WARMUP_UPDATES) durations.push(performance.now() - startedAt);
    }
    durations.sort((a, b) => a - b);
    const at = (fraction: number) => durations[Math.ceil(fraction * durations.length) - 1]!.toFixed(2);
    console.log(`| ${name} | ${at(0.5)} | ${at(0.95)} | ${at(0.99)} |`);
  }
} finally {
  db.close();
}
