/**
 * Event fan-out benchmark: a gateway on loopback, N agent connections subscribed to the event
 * stream (in a separate client process), and a writer changing orders at a steady rate through
 * OrderChanges. Measures deliveries per second and the delivery latency from just before the
 * write to the client's receipt of the frame (p50/p95/p99). Then a reconnect storm: every
 * client is dropped and reconnects at once, resubscribing from its last seq while the writer
 * goes on; reports how long until every client is back and caught up, and checks that every
 * client got every event exactly once.
 *
 *   npx tsx test/bench/fanout.bench.ts [--clients 500|2000] [--events N] [--rate R]
 *
 * The rate defaults to what gives 10,000 deliveries/s (the budget in DESIGN.md) for the client
 * count, the events to 15 s of writes at that rate. Bounded: writes, 5 s of storm, at most 10 s
 * of waiting for stragglers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import WebSocket from 'ws';
import { DEFAULT_CONNECTION_CAPS } from '../../src/server/edge/connection-limits';
import { startGateway } from '../../src/server/gateway';
import type { OrderChanges } from '../../src/server/orders/order-changes';
import { DEMO_LOGIN } from '../../src/shared/demo';
import { AGENT_WS_PATH, PROTOCOL_VERSION } from '../../src/shared/protocol';
import type { FleetCommand, FleetReport } from './fanout-clients';
import { percentiles, type Percentiles } from './percentiles';

const TARGET_DELIVERIES_PER_SECOND = 10_000;
const DEFAULT_SECONDS = 15;
const STORM_SECONDS = 5;
const STRAGGLER_WAIT_MS = 10_000;
const DEMO_ORDERS = 200;
/** Orders the writer cycles through. */
const WRITTEN_ORDERS = 50;

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    events: { type: 'string' },
    rate: { type: 'string' },
  },
});
const clientCount = positiveInteger('--clients', values.clients);
const rate =
  values.rate === undefined
    ? Math.ceil(TARGET_DELIVERIES_PER_SECOND / clientCount)
    : positiveInteger('--rate', values.rate);
const eventCount =
  values.events === undefined ? rate * DEFAULT_SECONDS : positiveInteger('--events', values.events);
const stormEventCount = rate * STORM_SECONDS;

/** Writes on a fixed schedule of `rate` per second (not "sleep after each"), so slow writes do not lower the rate. */
class SteadyWriter {
  /** When each seq was written (index seq - 1). */
  readonly writeTimesUs: number[] = [];
  /**
   * How long each write took, commit plus fan-out: live events are handed to every socket
   * synchronously after the commit, so this is the gateway's share of the last client's latency.
   */
  readonly writeDurationsMs: number[] = [];

  constructor(
    private readonly changes: OrderChanges,
    private readonly orderIds: readonly string[],
  ) {}

  async write(count: number): Promise<void> {
    const startedUs = nowUs();
    for (let index = 0; index < count; index += 1) {
      const waitMs = (startedUs + (index * 1e6) / rate - nowUs()) / 1000;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      const seq = this.writeTimesUs.length + 1;
      const writtenUs = nowUs();
      const { event } = await this.changes.update(
        this.orderIds[seq % this.orderIds.length]!,
        null,
        (order) => ({
          ...order,
          notes: [{ at: new Date().toISOString(), author: 'bench', text: `change ${seq}` }],
        }),
        { source: 'system', action: 'bench' },
      );
      if (event.seq !== seq) throw new Error(`expected seq ${seq}, the log gave ${event.seq}`);
      this.writeTimesUs.push(writtenUs);
      this.writeDurationsMs.push((nowUs() - writtenUs) / 1000);
    }
  }
}

const tempDir = mkdtempSync(join(tmpdir(), 'agent-desk-fanout-'));
const gateway = await startGateway({
  port: 0,
  host: '127.0.0.1',
  dbPath: join(tempDir, 'gateway.db'),
  demo: { orders: DEMO_ORDERS, seed: 1 },
  logger: pino({ level: 'silent' }),
  // Every client connects from loopback, and in the storm each reconnects before the gateway
  // may have seen its old socket close: room for two sockets per client, from one address.
  connectionCaps: {
    maxConnections: Math.max(DEFAULT_CONNECTION_CAPS.maxConnections, 2 * clientCount + 1),
    maxConnectionsPerAddress: 2 * clientCount + 1,
  },
});
const fleet = fork(new URL('./fanout-clients.ts', import.meta.url).pathname, [], {
  execArgv: ['--import', 'tsx'],
});
try {
  const { token, orderIds } = await signIn(gateway.url);
  console.log(
    `\n${clientCount} clients, ${eventCount} events at ${rate}/s (${clientCount * rate} deliveries/s offered); ` +
      `${cpus().length} cores shared by gateway and clients, load average ${loadavg()[0]!.toFixed(1)}, Node ${process.version}\n`,
  );

  const ready = await ask(fleet, {
    type: 'start',
    url: gateway.url,
    token,
    clients: clientCount,
    maxEvents: eventCount + stormEventCount,
  });
  console.log(`connected and subscribed ${clientCount} clients in ${reportOf(ready, 'ready').connectMs} ms`);

  const writer = new SteadyWriter(gateway.changes, orderIds);
  await writer.write(eventCount);
  const memory = process.memoryUsage();
  // The storm hits while the writer goes on: resubscribes replay, then hand over to live.
  const [back] = await Promise.all([ask(fleet, { type: 'storm' }), writer.write(stormEventCount)]);
  const result = reportOf(
    await ask(fleet, {
      type: 'finish',
      lastSeq: eventCount + stormEventCount,
      writeTimesUs: writer.writeTimesUs,
      latencyThroughSeq: eventCount,
      waitMs: STRAGGLER_WAIT_MS,
    }),
    'result',
  );

  // Deliveries of the steady-phase events, from their first write to their last receipt.
  const steadySeconds = (result.lastLatencyReceiptUs - writer.writeTimesUs[0]!) / 1e6;
  const storm = reportOf(back, 'back');
  console.log(
    `deliveries/s   ${Math.round((clientCount * eventCount) / steadySeconds)} (steady phase, ${steadySeconds.toFixed(1)} s)`,
  );
  console.log(`latency ms     ${formatPercentiles(result.latenciesMs)}  (write to receipt)`);
  const steadyWrites = writer.writeDurationsMs.slice(0, eventCount).sort((a, b) => a - b);
  console.log(
    `fan-out ms     ${formatPercentiles(percentiles(steadyWrites))}  (commit + every socket written)`,
  );
  console.log(`gateway memory rss ${mb(memory.rss)} MB, heap ${mb(memory.heapUsed)} MB`);
  console.log(
    `storm          all ${clientCount} back and caught up in ${storm.allBackMs.toFixed(0)} ms (per client: ${formatPercentiles(storm.backMs)})`,
  );
  console.log(
    `all events     ${result.deliveries} of ${result.expected} delivered, ${result.duplicates} duplicates, ` +
      `${result.outOfOrder} out of order, ${result.resyncs} resyncs`,
  );
} finally {
  fleet.kill();
  await gateway.close();
  rmSync(tempDir, { recursive: true, force: true });
}

/** A token for the fleet, and the orders to change (over a real connection, like a desk). */
async function signIn(url: string): Promise<{ token: string; orderIds: string[] }> {
  const socket = new WebSocket(`${url}${AGENT_WS_PATH}`);
  const frames: unknown[] = [];
  const waiting: ((frame: unknown) => void)[] = [];
  socket.on('message', (data) => {
    const frame: unknown = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const next = () =>
    frames.length > 0 ? Promise.resolve(frames.shift()) : new Promise((r) => waiting.push(r));
  socket.send(
    JSON.stringify({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      client: { name: 'fanout-bench', version: '1' },
    }),
  );
  await next();
  socket.send(JSON.stringify({ type: 'req', id: '1', method: 'auth.login', params: DEMO_LOGIN }));
  const login = (await next()) as { result: { token: string } };
  socket.send(
    JSON.stringify({ type: 'req', id: '2', method: 'orders.search', params: { limit: WRITTEN_ORDERS } }),
  );
  const search = (await next()) as { result: { items: { id: string }[] } };
  socket.close();
  return { token: login.result.token, orderIds: search.result.items.map((item) => item.id) };
}

function reportOf<T extends FleetReport['type']>(
  report: FleetReport,
  type: T,
): Extract<FleetReport, { type: T }> {
  if (report.type !== type) throw new Error(`client fleet: expected ${type}, got ${JSON.stringify(report)}`);
  return report as Extract<FleetReport, { type: T }>;
}

function formatPercentiles({ p50, p95, p99, max }: Percentiles): string {
  return `p50 ${p50.toFixed(1)}  p95 ${p95.toFixed(1)}  p99 ${p99.toFixed(1)}  max ${max.toFixed(1)}`;
}

function ask(child: ChildProcess, command: FleetCommand): Promise<FleetReport> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as FleetReport));
    child.once('exit', (code) => reject(new Error(`client fleet exited with ${code}`)));
    child.send(command);
  });
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got "${text}"`);
  }
  return value;
}
