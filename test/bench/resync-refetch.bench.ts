/**
 * A resync's refetch, end to end: a real gateway (SQLite file, a short event log) and the desk's
 * sync stack (GatewayClient, worker-thread OrderCacheClient, OrderSync). The desk caches N
 * orders and goes away; more changes happen than the log keeps; the desk comes back, gets a
 * log_truncated resync and refetches its cached orders through orders.getMany. Prints the time
 * from reconnecting until the cache's stored seq equals the gateway's head, and the latency of
 * one getMany of 100 orders.
 *
 *   npx tsx test/bench/resync-refetch.bench.ts [--cached 10000] [--orders 12000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { OrderCacheClient } from '../../src/main/services/cache/OrderCacheClient';
import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import { Outbox } from '../../src/main/services/outbox/Outbox';
import { OrderSync } from '../../src/main/services/sync/OrderSync';
import { startGateway } from '../../src/server/gateway';
import { DEMO_LOGIN } from '../../src/shared/demo';
import { AGENT_WS_PATH, GET_MANY_MAX } from '../../src/shared/protocol';
import { createTestKeyProvider } from '../harness/test-key-provider';
import { percentiles } from './percentiles';

const { values } = parseArgs({
  options: {
    cached: { type: 'string', default: '10000' },
    orders: { type: 'string', default: '12000' },
  },
});
const cachedCount = Number(values.cached);
const orderCount = Number(values.orders);

const dir = mkdtempSync(join(tmpdir(), 'agent-desk-resync-bench-'));
const gateway = await startGateway({
  port: 0,
  dbPath: join(dir, 'gateway.db'),
  logger: pino({ level: 'silent' }),
  demo: { orders: orderCount, seed: 3 },
  retainEvents: 10,
});
const cache = new OrderCacheClient({
  path: join(dir, 'cache', 'orders.db'),
  keys: createTestKeyProvider(),
  policy: { maxOrders: cachedCount * 2 },
  requestTimeoutMs: 120_000,
});
await cache.start();

async function signedInClient(): Promise<GatewayClient> {
  const client = new GatewayClient({
    url: `${gateway.url}${AGENT_WS_PATH}`,
    client: { name: 'bench', version: '0' },
  });
  client.start();
  await client.waitOnline(10_000);
  const { token } = await client.request('auth.login', { ...DEMO_LOGIN });
  client.setToken(token);
  return client;
}

function newSync(client: GatewayClient, onOrdersRefetched?: (orders: readonly unknown[]) => void): OrderSync {
  return new OrderSync({
    gateway: client,
    cache,
    outbox: new Outbox(cache),
    onOrderChanged: () => undefined,
    onOutboxSettled: () => undefined,
    onError: (err) => console.error('sync error', err),
    ...(onOrdersRefetched ? { onOrdersRefetched } : {}),
  });
}

// The desk caches the newest N orders (as an agent's working set would be), then syncs once.
const first = await signedInClient();
const ids: string[] = [];
let cursor: string | undefined;
while (ids.length < cachedCount) {
  const page = await first.request('orders.search', { text: '', limit: 100, cursor });
  ids.push(...page.items.map((item) => item.id));
  if (!page.nextCursor) break;
  cursor = page.nextCursor;
}
const latencies: number[] = [];
for (let start = 0; start < ids.length; start += GET_MANY_MAX) {
  const startedAt = performance.now();
  const page = await first.request('orders.getMany', { ids: ids.slice(start, start + GET_MANY_MAX) });
  latencies.push(performance.now() - startedAt);
  await cache.put(page.orders);
  // Under the gateway's 50 frames/s per connection.
  await new Promise((resolve) => setTimeout(resolve, 25));
}
const firstSync = newSync(first);
await firstSync.start();
firstSync.stop();
await first.stop();

// Away: more changes than the log keeps.
for (let i = 0; i < 50; i += 1) {
  await gateway.changes.update(
    ids[i]!,
    null,
    (order) => ({
      ...order,
      notes: [...order.notes, { at: new Date().toISOString(), author: 'system', text: `n${i}` }],
    }),
    { source: 'system' },
  );
}

const load = loadavg()[0]!.toFixed(2);
const second = await signedInClient();
let refetched = 0;
const sync = newSync(second, (orders) => {
  refetched += orders.length;
});
const startedAt = performance.now();
await sync.start();
const { headSeq } = await second.request('events.head', {});
while ((await cache.lastSeq()) < headSeq) await new Promise((resolve) => setTimeout(resolve, 10));
const seconds = (performance.now() - startedAt) / 1000;
sync.stop();
await second.stop();

const sorted = latencies.sort((a, b) => a - b);
const p = percentiles(sorted);
console.log(
  `resync refetch: ${ids.length} cached orders, ${refetched} refetched (incl. customers' newest) in ` +
    `${seconds.toFixed(2)} s (${(refetched / seconds).toFixed(0)} orders/s); ` +
    `getMany of ${GET_MANY_MAX}: p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms ` +
    `(${cpus().length} cores, load ${load})`,
);
await cache.stop();
await gateway.close();
rmSync(dir, { recursive: true, force: true });
