/**
 * Order search benchmark: seeds a gateway store with demo orders, then times `OrderStore.search`
 * (in process, no websocket) for the kinds of text agents type, with and without status filters.
 *
 *   npx tsx test/bench/search.bench.ts [--orders 200000] [--queries 2000] [--db PATH] [--seed 1]
 *
 * Without --db the store is a temporary file removed at the end; with --db an existing store of
 * the right size is reused, which saves the seeding time on reruns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type SqliteDatabase } from '../../src/server/db/open-database';
import { CATALOG } from '../../src/server/demo/catalog';
import { SeededRandom } from '../../src/server/demo/random';
import { seedDemoOrders } from '../../src/server/demo/seed';
import { SqliteOrderStore } from '../../src/server/orders/sqlite-order-store';
import { OrderSearchQuery } from '../../src/shared/protocol';
import type { FieldAccess } from '../../src/shared/visibility';

interface SearchKind {
  name: string;
  /** The text typed, drawn from real data so that most searches match something. */
  text: (random: SeededRandom) => string;
  /** How the asking role sees contact data (default full): masked roles match names and phones whole. */
  contact?: FieldAccess;
}

interface Sample {
  displayNumber: string;
  phone: string;
  name: string;
  createdAt: string;
}

/** Filters added to each kind of text: a common status, rare statuses, a platform, a date range. */
interface SearchFilter {
  name: string;
  criteria: (random: SeededRandom) => Partial<OrderSearchQuery>;
}

const WARMUP_QUERIES = 200;
const SAMPLE_SIZE = 5_000;
const DAY_MS = 86_400_000;
const HAN = /^\p{Script=Han}{2}/u;

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '200000' },
    queries: { type: 'string', default: '2000' },
    db: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const orderCount = positiveInteger('--orders', values.orders);
const queriesPerKind = positiveInteger('--queries', values.queries);
const seed = positiveInteger('--seed', values.seed);

const tempDir = values.db ? null : mkdtempSync(join(tmpdir(), 'agent-desk-bench-'));
const dbPath = values.db ?? join(tempDir!, 'bench.db');
const db = openDatabase(dbPath);
try {
  const store = new SqliteOrderStore(db);
  const existing = await store.count();
  if (existing === 0) {
    const startedAt = performance.now();
    await seedDemoOrders(store, { orders: orderCount, seed, nowMs: Date.parse('2026-11-23T00:00:00Z') });
    console.log(`seeded ${orderCount} orders in ${seconds(performance.now() - startedAt)} s`);
  } else if (existing !== orderCount) {
    throw new Error(`${dbPath} holds ${existing} orders, not ${orderCount}: use another --db`);
  }

  const random = new SeededRandom(seed);
  const samples = sampleOrders(db, random, orderCount);
  const chineseNames = samples.map((sample) => HAN.exec(sample.name)?.[0]).filter(isDefined);
  const productWords = catalogWords();
  const kinds: SearchKind[] = [
    { name: 'display number, 6-char substring', text: (r) => substring(r.pick(samples).displayNumber, 6, r) },
    { name: 'phone, last 4 digits', text: (r) => r.pick(samples).phone.replace(/\D/g, '').slice(-4) },
    { name: 'Chinese name, 2-char prefix', text: (r) => r.pick(chineseNames) },
    { name: 'product word', text: (r) => r.pick(productWords) },
    { name: 'newest (no text)', text: () => '' },
    {
      name: 'masked role: phone, last 4 digits',
      text: (r) => r.pick(samples).phone.replace(/\D/g, '').slice(-4),
      contact: 'masked',
    },
    { name: 'masked role: phone, whole number', text: (r) => r.pick(samples).phone, contact: 'masked' },
    {
      name: 'masked role: national number',
      text: (r) => r.pick(samples).phone.replace(/\D/g, '').slice(2),
      contact: 'masked',
    },
    { name: 'masked role: whole name', text: (r) => r.pick(samples).name, contact: 'masked' },
    { name: 'masked role: product word', text: (r) => r.pick(productWords), contact: 'masked' },
  ];

  console.log(
    `\n${orderCount} orders, ${queriesPerKind} searches per row, limit 50, ` +
      `${cpus().length} cores, Node ${process.version}\n`,
  );
  const filters: SearchFilter[] = [
    { name: 'none', criteria: () => ({}) },
    { name: 'completed', criteria: () => ({ statuses: ['completed'] }) },
    { name: 'refunding, refunded', criteria: () => ({ statuses: ['refunding', 'refunded'] }) },
    { name: 'platform woocommerce', criteria: () => ({ platforms: ['woocommerce'] }) },
    {
      // Any 30 days of the store's history, not only the newest.
      name: '30-day range',
      criteria: (r) => {
        const to = Date.parse(r.pick(samples).createdAt);
        return {
          createdFrom: new Date(to - 30 * DAY_MS).toISOString(),
          createdTo: new Date(to).toISOString(),
        };
      },
    },
  ];

  console.log(row(['kind', 'filter', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'avg hits']));
  console.log(row(['---', '---', '---:', '---:', '---:', '---:', '---:']));
  for (const kind of kinds) {
    for (const filter of filters) {
      const result = await timeSearches(store, kind, filter, random);
      console.log(
        row([
          kind.name,
          filter.name,
          ...[result.p50, result.p95, result.p99, result.max].map((ms) => ms.toFixed(2)),
          result.averageHits.toFixed(1),
        ]),
      );
    }
  }
} finally {
  db.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

async function timeSearches(
  store: SqliteOrderStore,
  kind: SearchKind,
  filter: SearchFilter,
  random: SeededRandom,
): Promise<{ p50: number; p95: number; p99: number; max: number; averageHits: number }> {
  const criteria = (text: string) => OrderSearchQuery.parse({ text, limit: 50, ...filter.criteria(random) });
  for (let i = 0; i < WARMUP_QUERIES; i += 1) await store.search(criteria(kind.text(random)), kind.contact);

  const durations: number[] = [];
  let hits = 0;
  for (let i = 0; i < queriesPerKind; i += 1) {
    const query = criteria(kind.text(random));
    const startedAt = performance.now();
    const result = await store.search(query, kind.contact);
    durations.push(performance.now() - startedAt);
    hits += result.items.length;
  }
  durations.sort((a, b) => a - b);
  return {
    p50: percentile(durations, 0.5),
    p95: percentile(durations, 0.95),
    p99: percentile(durations, 0.99),
    max: durations.at(-1)!,
    averageHits: hits / queriesPerKind,
  };
}

/** Random orders spread over the whole store, read by seq (an index lookup each). */
function sampleOrders(database: SqliteDatabase, random: SeededRandom, count: number): Sample[] {
  const select = database.prepare<[number], Sample>(
    `SELECT display_number AS displayNumber, customer_phone AS phone, customer_name AS name,
       created_at AS createdAt FROM orders WHERE seq = ?`,
  );
  const samples: Sample[] = [];
  for (let i = 0; i < Math.min(SAMPLE_SIZE, count); i += 1) {
    const sample = select.get(random.int(1, count));
    if (sample) samples.push(sample);
  }
  return samples;
}

/** English words of 4+ letters and 3-character pieces of Chinese titles from the demo catalog. */
function catalogWords(): string[] {
  const words = new Set<string>();
  for (const product of CATALOG) {
    for (const word of product.titleEn.split(/[^A-Za-z]+/)) if (word.length >= 4) words.add(word);
    for (const run of product.titleZh.match(/\p{Script=Han}{3,}/gu) ?? []) words.add(run.slice(0, 3));
  }
  return [...words];
}

function substring(text: string, length: number, random: SeededRandom): string {
  if (text.length <= length) return text;
  const start = random.int(0, text.length - length);
  return text.slice(start, start + length);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function positiveInteger(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
