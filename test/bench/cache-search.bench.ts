/**
 * Local order cache benchmark: fills the encrypted cache with demo orders through the worker,
 * then times searches of each kind as the main process sees them (RPC round trip included),
 * a 10k-event catch-up, and reports the size on disk.
 *
 *   npx tsx test/bench/cache-search.bench.ts [--orders 100000] [--queries 1000] [--seed 1]
 *     [--keep DIR]
 *
 * --keep DIR keeps the filled cache in DIR (with a fixed bench-only key) and reuses it on the
 * next run with the same --orders and --seed: searches can be timed again without the fill
 * (about 12 minutes at 1M). The catch-up is timed only on a fresh fill, since it changes the
 * orders it applies to.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OrderCacheClient } from '../../src/main/services/cache/OrderCacheClient';
import { generateDemoOrders } from '../../src/server/demo/demo-orders';
import { SeededRandom } from '../../src/server/demo/random';
import type { Order } from '../../src/shared/domain';
import type { OrderEvent } from '../../src/shared/protocol';
import { createTestKeyProvider } from '../harness/test-key-provider';
import { percentiles } from './percentiles';

interface Sample {
  displayNumber: string;
  phone: string;
  name: string;
  title: string;
}

interface SearchKind {
  name: string;
  text: (random: SeededRandom) => string;
}

const PUT_BATCH = 2_000;
const PROGRESS_EVERY = 50_000;
const EVENT_BATCH = 1_000;
const CATCH_UP_EVENTS = 10_000;
const SAMPLE_SIZE = 5_000;
const WARMUP_QUERIES = 100;
const HAN = /^\p{Script=Han}+$/u;

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'string' },
  },
});
const orderCount = positiveInteger('--orders', values.orders);
const queriesPerKind = positiveInteger('--queries', values.queries);
const seed = positiveInteger('--seed', values.seed);

const keepDir = values.keep ? resolve(values.keep) : null;
const tempDir = keepDir ?? mkdtempSync(join(tmpdir(), 'agent-desk-cache-bench-'));
if (keepDir) mkdirSync(keepDir, { recursive: true });
const path = join(tempDir, keepDir ? `orders-${orderCount}-seed-${seed}.sqlite` : 'orders.sqlite');
const cache = new OrderCacheClient({
  path,
  // A kept cache is opened again by the next run: its key must be the same.
  keys: createTestKeyProvider(keepDir ? Buffer.alloc(32, 7) : undefined),
  policy: { maxOrders: orderCount },
  requestTimeoutMs: 120_000,
});
try {
  await cache.start();
  const reused = keepDir !== null && (await cache.count()) === orderCount;
  if (reused) console.log(`reusing ${path} (${orderCount} orders)`);
  const random = new SeededRandom(seed);
  const samples: Sample[] = [];
  const sampleEvery = Math.max(1, Math.floor(orderCount / SAMPLE_SIZE));
  const recent: Order[] = [];

  const fillStartedAt = performance.now();
  let batch: Order[] = [];
  let index = 0;
  for (const order of generateDemoOrders({
    count: orderCount,
    seed,
    nowMs: Date.parse('2026-11-23T00:00:00Z'),
  })) {
    if (index % sampleEvery === 0) samples.push(toSample(order));
    if (reused) {
      index += 1;
      continue;
    }
    batch.push(order);
    if (index >= orderCount - CATCH_UP_EVENTS) recent.push(order);
    index += 1;
    if (batch.length === PUT_BATCH) {
      await cache.put(batch);
      batch = [];
      // Seeding 1M takes minutes: show that it moves.
      if (index % PROGRESS_EVERY === 0) {
        const seconds = (performance.now() - fillStartedAt) / 1000;
        console.log(`  filled ${index}/${orderCount} (${Math.round(index / seconds)}/s)`);
      }
    }
  }
  if (batch.length > 0) await cache.put(batch);
  const fillMs = performance.now() - fillStartedAt;
  if (!reused) {
    console.log(
      `filled ${orderCount} orders in ${(fillMs / 1000).toFixed(1)} s (${Math.round(orderCount / (fillMs / 1000))}/s)`,
    );
  }

  const chineseNames = samples.map((sample) => sample.name).filter((name) => HAN.test(name));
  const latinNames = samples.map((sample) => sample.name).filter((name) => !HAN.test(name));
  const kinds: SearchKind[] = [
    { name: 'display number, 6-char substring', text: (r) => substring(r.pick(samples).displayNumber, 6, r) },
    { name: 'phone, last 4 digits', text: (r) => r.pick(samples).phone.replace(/\D/g, '').slice(-4) },
    { name: 'Chinese name, 1-char prefix', text: (r) => [...r.pick(chineseNames)][0]! },
    { name: 'Chinese name, 2-char prefix', text: (r) => [...r.pick(chineseNames)].slice(0, 2).join('') },
    { name: 'Latin name, 5-char substring', text: (r) => substring(r.pick(latinNames), 5, r) },
    {
      name: 'product word',
      text: (r) =>
        r.pick(
          r
            .pick(samples)
            .title.split(' ')
            .filter((word) => word.length >= 3),
        ),
    },
    { name: 'newest (no text)', text: () => '' },
  ];

  console.log(
    `\n${orderCount} cached orders, ${queriesPerKind} searches per row, limit 50, through the worker, ` +
      `${cpus().length} cores, Node ${process.version}\n`,
  );
  console.log(row(['kind', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'avg hits']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
  for (const kind of kinds) {
    const result = await timeSearches(kind, random);
    console.log(
      row([
        kind.name,
        ...[result.p50, result.p95, result.p99, result.max].map((ms) => ms.toFixed(2)),
        result.averageHits.toFixed(1),
      ]),
    );
  }

  if (reused) {
    console.log('\ncatch-up: not timed on a reused cache (a fresh fill times it)');
  } else {
    const catchUp = await timeCatchUp(recent);
    console.log(
      `\ncatch-up: ${recent.length} events applied (seq stored with each batch of ${EVENT_BATCH}) in ` +
        `${catchUp.ms.toFixed(0)} ms (process CPU ${catchUp.cpuMs.toFixed(0)} ms, load ${loadavg()[0]!.toFixed(1)})`,
    );
  }

  await cache.checkpoint();
  const bytes = statSync(path).size;
  console.log(
    `cache size on disk: ${(bytes / 1024 / 1024).toFixed(1)} MiB (${Math.round(bytes / orderCount)} bytes per order)`,
  );
} finally {
  await cache.stop();
  if (!keepDir) rmSync(tempDir, { recursive: true, force: true });
}

async function timeSearches(kind: SearchKind, random: SeededRandom) {
  for (let i = 0; i < WARMUP_QUERIES; i += 1) await cache.search({ text: kind.text(random), limit: 50 });
  const durations: number[] = [];
  let hits = 0;
  for (let i = 0; i < queriesPerKind; i += 1) {
    const text = kind.text(random);
    const startedAt = performance.now();
    const page = await cache.search({ text, limit: 50 });
    durations.push(performance.now() - startedAt);
    hits += page.items.length;
  }
  durations.sort((a, b) => a - b);
  return { ...percentiles(durations), averageHits: hits / queriesPerKind };
}

/** The newest orders change once each (a status update), as after an outage. */
async function timeCatchUp(orders: readonly Order[]): Promise<{ ms: number; cpuMs: number }> {
  const events: OrderEvent[] = orders.map((order, offset) => ({
    seq: offset + 1,
    at: order.updatedAt,
    kind: 'order.updated',
    orderId: order.id,
    version: order.version + 1,
    cause: { source: 'simulator' },
    order: { ...order, status: 'closed', version: order.version + 1 },
  }));
  const startedAt = performance.now();
  // The worker thread is in this process and the main thread only waits: CPU is the write's.
  const cpuAtStart = process.cpuUsage();
  for (let start = 0; start < events.length; start += EVENT_BATCH) {
    await cache.applyEvents(events.slice(start, start + EVENT_BATCH));
  }
  const cpu = process.cpuUsage(cpuAtStart);
  return { ms: performance.now() - startedAt, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function toSample(order: Order): Sample {
  return {
    displayNumber: order.displayNumber,
    phone: order.customer.phone,
    name: order.customer.name,
    title: order.items[0]?.title ?? '',
  };
}

function substring(text: string, length: number, random: SeededRandom): string {
  const chars = [...text];
  if (chars.length <= length) return text;
  const start = random.int(0, chars.length - length);
  return chars.slice(start, start + length).join('');
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function positiveInteger(flag: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${flag} must be a positive integer`);
  return parsed;
}
