/**
 * Catch-up after an outage, end to end: a real gateway (SQLite file) and the desk's sync stack
 * (GatewayClient, worker-thread OrderCacheClient, Outbox, OrderSync). The desk caches the
 * gateway's orders and goes offline; the gateway writes N events; the desk reconnects. Prints
 * the time from reconnecting until the cache's stored seq equals the gateway's head.
 *
 *   npx tsx test/bench/sync-catchup.bench.ts [--events 10000] [--orders 2000] [--seed 1]
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
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { createTestKeyProvider } from '../harness/test-key-provider';
import { Prng } from '../faults/prng';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    orders: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
  },
});
const eventCount = Number(values.events);
const orderCount = Number(values.orders);
const rng = new Prng(Number(values.seed));
const PAGE = 100;

const dir = mkdtempSync(join(tmpdir(), 'agent-desk-sync-bench-'));
const gateway = await startGateway({
  port: 0,
  dbPath: join(dir, 'gateway.db'),
  logger: pino({ level: 'silent' }),
  demo: { orders: orderCount, seed: 3 },
});
const url = `${gateway.url}${AGENT_WS_PATH}`;
const cache = new OrderCacheClient({
  path: join(dir, 'cache', 'orders.db'),
  keys: createTestKeyProvider(),
  policy: { maxOrders: orderCount * 2 },
  requestTimeoutMs: 120_000,
});

// Where the catch-up time goes: the cache's share (each call is one transaction in the worker).
const applyTime = { ms: 0, calls: 0 };
const applyEvents = cache.applyEvents.bind(cache);
cache.applyEvents = async (events) => {
  const startedAt = performance.now();
  try {
    return await applyEvents(events);
  } finally {
    applyTime.ms += performance.now() - startedAt;
    applyTime.calls += 1;
  }
};

function desk(token: string | null) {
  const changed = { count: 0 };
  const client = new GatewayClient({
    url,
    client: { name: 'bench', version: '0' },
    requestTimeoutMs: 60_000,
  });
  if (token) client.setToken(token);
  const sync = new OrderSync({
    gateway: client,
    cache,
    outbox: new Outbox(cache),
    onOrderChanged: () => {
      changed.count += 1;
    },
    onOutboxSettled: () => undefined,
    onError: (err) => console.error('sync error', err),
  });
  return { client, sync, changed };
}

try {
  await cache.start();
  // Online: sign in, cache every order (as if the agent had opened them), subscribe.
  const first = desk(null);
  first.client.start();
  await first.client.waitOnline(10_000);
  const { token } = await first.client.request('auth.login', { ...DEMO_LOGIN });
  first.client.setToken(token);
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await first.client.request('orders.search', {
      text: '',
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    // As the agent's role sees them (what a desk caches), in one batch read per page.
    ids.push(...page.items.map((item) => item.id));
    const { orders } = await first.client.request('orders.getMany', {
      ids: page.items.map((item) => item.id),
    });
    await cache.put(orders);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ids.length < orderCount);
  // One event first: a desk that starts on an empty log has no seq to resume from (it refetches).
  await addNote(ids[0]!, 'before the desk subscribed');
  await first.sync.start();
  await waitUntil(() => first.sync.storedSeq !== null, 10_000);
  const seqBefore = first.sync.storedSeq!;
  console.log(`cached ${ids.length} orders; stored seq ${seqBefore}`);

  // Offline: the desk is gone while the gateway writes.
  first.sync.stop();
  await first.client.stop();
  const writeStartedAt = performance.now();
  for (let i = 0; i < eventCount; i += 1) {
    await addNote(ids[rng.int(0, ids.length - 1)]!, `bench ${i}`);
  }
  const writeMs = performance.now() - writeStartedAt;
  const headSeq = seqBefore + eventCount;
  console.log(
    `gateway wrote ${eventCount} events in ${(writeMs / 1000).toFixed(1)} s while the desk was offline`,
  );

  // Back online: time until the cache holds the head.
  const second = desk(token);
  const startedAt = performance.now();
  // CPU of the whole process (gateway, desk, cache worker): less sensitive to a loaded machine.
  const cpuAtStart = process.cpuUsage();
  await second.sync.start();
  second.client.start();
  await waitUntil(() => second.sync.storedSeq === headSeq, 600_000);
  if (second.changed.count !== eventCount)
    throw new Error(`replayed ${second.changed.count} events, not ${eventCount}`);
  const catchUpMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuAtStart);
  console.log(
    `  of which in cache.applyEvents: ${applyTime.ms.toFixed(0)} ms over ${applyTime.calls} transactions`,
  );
  const stored = await cache.lastSeq();
  second.sync.stop();
  await second.client.stop();
  console.log(
    `\ncatch-up: ${eventCount} missed events, reconnect to stored seq = head (${stored} = ${headSeq}) in ` +
      `${catchUpMs.toFixed(0)} ms (${Math.round(eventCount / (catchUpMs / 1000))} events/s); ` +
      `process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; ` +
      `${ids.length} cached orders, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}, Node ${process.version}`,
  );
} finally {
  await cache.stop();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
}

async function addNote(orderId: string, text: string): Promise<void> {
  await gateway.changes.update(
    orderId,
    null,
    (order) => ({
      ...order,
      notes: [...order.notes, { at: new Date().toISOString(), author: 'system', text }],
    }),
    { source: 'system' },
  );
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
