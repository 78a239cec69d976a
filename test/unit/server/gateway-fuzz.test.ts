import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { SeededRandom } from '../../../src/server/demo/random';
import type { Gateway } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import {
  AGENT_WS_PATH,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  ServerFrame,
  gatewayMethods,
} from '../../../src/shared/protocol';
import { AgentClient } from './support/agent-client';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';

/**
 * 10,000 random and malformed frames against a live gateway, over many connections. Each frame
 * must get an answer (a response or an error frame, as valid server frames) or a clean close,
 * while a well-formed client on its own connection keeps getting answers.
 *
 * FUZZ_SEED=<n> replays a run; the seed is printed when the test fails.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TOTAL_FRAMES = 10_000;
const WORKERS = 25;
/** Under the gateway's 50 frames/s per connection, so most frames reach the parser and handlers. */
const FRAME_INTERVAL_MS = 22;
const ANSWER_TIMEOUT_MS = 5_000;
/** Close codes a misbehaving client may get: protocol error, invalid UTF-8, too big, bad token, no hello. */
const CLEAN_CLOSE_CODES = new Set([1002, 1007, 1009, 4401, 4408]);

const tempDir = makeTempDir();
let gateway: Gateway;
let validToken: string;

beforeAll(async () => {
  gateway = await startTestGateway({
    dbPath: join(tempDir.path, 'gateway.db'),
    demo: { orders: 300, seed: 11 },
    // The well-formed client searches names 20 times a second: robustness, not the per-agent
    // search limit (test/security/search-under-masking.test.ts), is what this file tests.
    personalSearchLimits: { burst: 1_000_000, perMinute: 1_000_000, perHour: 1_000_000 },
  });
  const { client } = await AgentClient.ready(gateway.url);
  validToken = (await client.call('auth.login', DEMO_LOGIN)).token;
  await client.close();
});

afterAll(async () => {
  await gateway?.close();
  tempDir.remove();
});

describe('fuzz', () => {
  it(`answers ${TOTAL_FRAMES} random and malformed frames, and keeps serving a well-formed client`, async () => {
    onTestFailed(() => console.error(`gateway fuzz failed with FUZZ_SEED=${SEED}`));
    const failures: string[] = [];
    const tally = { answered: 0, closed: 0, reconnects: 0 };

    // Its own sign-in: a fuzzed auth.logout ends the sign-in whose token the fuzzers share.
    const { client: monitorClient } = await AgentClient.ready(gateway.url);
    await monitorClient.call('auth.login', DEMO_LOGIN);
    const monitor = startWellFormedClient(monitorClient, failures);
    const perWorker = Math.ceil(TOTAL_FRAMES / WORKERS);
    let remaining = TOTAL_FRAMES;
    const workers = Array.from({ length: WORKERS }, (_, index) => {
      const frames = Math.min(perWorker, remaining);
      remaining -= frames;
      return runWorker(new SeededRandom(SEED + index), frames, tally, failures);
    });
    await Promise.all(workers);
    const monitorReport = await monitor.stop();

    expect(failures.slice(0, 20), `seed ${SEED}`).toEqual([]);
    expect(tally.answered + tally.closed, `seed ${SEED}`).toBe(TOTAL_FRAMES);
    expect(monitorReport.requests).toBeGreaterThan(20);
    expect((await fetch(`${gateway.httpUrl}/healthz`)).status).toBe(200);
    // A new agent can still sign in and search after the storm: from another machine, since
    // the fuzzers' wrong passwords for this user got their own address throttled.
    const client = await AgentClient.connect(gateway.url, AGENT_WS_PATH, { localAddress: '127.0.0.2' });
    await client.hello();
    await client.call('auth.login', DEMO_LOGIN);
    expect((await client.call('orders.search', { limit: 5 })).items).toHaveLength(5);
    await client.close();
    console.log(
      `fuzz seed ${SEED}: ${tally.answered} answered, ${tally.closed} closed cleanly, ` +
        `${tally.reconnects} reconnects; well-formed client: ${monitorReport.requests} requests, ` +
        `slowest ${monitorReport.slowestMs.toFixed(1)} ms`,
    );
  }, 60_000);
});

interface Tally {
  answered: number;
  closed: number;
  reconnects: number;
}

/** One fuzzing connection at a time: sends a frame, waits for its answer or a close, reconnects after one. */
async function runWorker(
  random: SeededRandom,
  frames: number,
  tally: Tally,
  failures: string[],
): Promise<void> {
  let connection = await FuzzConnection.open(gateway.url);
  await maybeGreet(connection, random);
  for (let sent = 0; sent < frames; sent += 1) {
    if (connection.isClosed) {
      await connection.close();
      connection = await FuzzConnection.open(gateway.url);
      tally.reconnects += 1;
      await maybeGreet(connection, random);
    }
    const frame = randomFrame(random);
    const startedAt = performance.now();
    const outcome = await connection.exchange(frame.data);
    if (outcome.kind === 'answer') tally.answered += 1;
    else if (outcome.kind === 'closed' && CLEAN_CLOSE_CODES.has(outcome.code)) tally.closed += 1;
    else failures.push(`${frame.kind}: ${describeOutcome(outcome)} for ${preview(frame.data)}`);
    for (const invalid of connection.takeInvalidFrames())
      failures.push(`${frame.kind}: invalid server frame ${invalid}`);
    const wait = FRAME_INTERVAL_MS - (performance.now() - startedAt);
    if (wait > 0) await sleep(wait);
  }
  await connection.close();
}

/** Most connections start with a hello, half of those signed in, so frames reach the handlers. */
async function maybeGreet(connection: FuzzConnection, random: SeededRandom): Promise<void> {
  if (random.chance(0.15)) return;
  const hello = {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    client: { name: 'fuzz', version: '1.0.0' },
    ...(random.chance(0.5) ? { token: validToken } : {}),
  };
  const outcome = await connection.exchange(JSON.stringify(hello));
  if (outcome.kind !== 'answer') throw new Error(`hello not answered: ${describeOutcome(outcome)}`);
}

type Outcome =
  { kind: 'answer'; frame: ServerFrame } | { kind: 'closed'; code: number } | { kind: 'timeout' };

class FuzzConnection {
  private readonly queue: ServerFrame[] = [];
  private readonly invalid: string[] = [];
  private waiter: (() => void) | null = null;
  private closeCode: number | null = null;
  private readonly closed: Promise<void>;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const text = String(data);
      const parsed = isBinary ? null : ServerFrame.safeParse(safeJson(text));
      if (!parsed?.success) this.invalid.push(text.slice(0, 200));
      // Events and resyncs are streamed, not answers to a frame.
      else if (parsed.data.type !== 'event' && parsed.data.type !== 'resync') this.queue.push(parsed.data);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => {
        this.closeCode = code;
        this.wake();
        resolve();
      }),
    );
    socket.on('error', () => undefined);
  }

  static async open(baseUrl: string): Promise<FuzzConnection> {
    const socket = new WebSocket(`${baseUrl}${AGENT_WS_PATH}`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new FuzzConnection(socket);
  }

  get isClosed(): boolean {
    return this.closeCode !== null || this.socket.readyState !== WebSocket.OPEN;
  }

  /** Sends one frame and waits for the first answer, or the close it caused. */
  async exchange(data: string | Buffer): Promise<Outcome> {
    this.queue.length = 0;
    this.socket.send(data, { binary: typeof data !== 'string' });
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const frame = this.queue.shift();
      if (frame) return { kind: 'answer', frame };
      if (this.closeCode !== null) return { kind: 'closed', code: this.closeCode };
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, deadline - Date.now());
      });
    }
    return { kind: 'timeout' };
  }

  takeInvalidFrames(): string[] {
    return this.invalid.splice(0);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close();
    await this.closed;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}

/** A signed-in agent searching and reading orders every 50 ms on its own connection. */
function startWellFormedClient(
  client: AgentClient,
  failures: string[],
): { stop(): Promise<{ requests: number; slowestMs: number }> } {
  let running = true;
  const report = { requests: 0, slowestMs: 0 };
  const done = (async () => {
    const texts = ['王', 'Smith', 'SH-1', '138', 'Cable', ''];
    while (running) {
      const startedAt = performance.now();
      try {
        const { items } = await client.call('orders.search', {
          text: texts[report.requests % texts.length]!,
          limit: 5,
        });
        if (items[0]) await client.call('orders.get', { id: items[0].id });
      } catch (err) {
        failures.push(`well-formed client: ${(err as Error).message}`);
      }
      report.requests += 1;
      report.slowestMs = Math.max(report.slowestMs, performance.now() - startedAt);
      await sleep(50);
    }
    await client.close();
  })();
  return {
    async stop() {
      running = false;
      await done;
      return report;
    },
  };
}

// ---- frame generators -------------------------------------------------------

interface FuzzFrame {
  kind: string;
  data: string | Buffer;
}

const METHODS = Object.keys(gatewayMethods);
/** Text that has meant trouble elsewhere: FTS5 syntax, SQL, prototype keys, odd Unicode. */
const NASTY_STRINGS = [
  '"',
  '""',
  '*',
  'NEAR(a b)',
  'a OR b',
  '^SH',
  'display_number : 1',
  "' OR 1=1 --",
  '%_',
  '\\',
  '__proto__',
  'constructor',
  'toString',
  '\u0000',
  '\u202e',
  '\ud83d\ude00',
  '\ufeff',
  'null',
  '-1',
  '1e309',
  ' ',
  '王'.repeat(60),
];

const GENERATORS: readonly (readonly [string, number, (random: SeededRandom) => string | Buffer])[] = [
  ['random bytes (binary)', 6, (random) => randomBytes(random, random.int(0, 300))],
  ['random text', 6, (random) => randomString(random, random.int(0, 300))],
  [
    'truncated JSON',
    12,
    (random) => {
      const text = JSON.stringify(validLookingRequest(random));
      return text.slice(0, random.int(0, text.length - 1));
    },
  ],
  ['wrong types', 12, (random) => JSON.stringify(wrongTypes(random))],
  ['huge ids', 8, (random) => JSON.stringify(hugeIds(random))],
  [
    'unknown method',
    8,
    (random) =>
      JSON.stringify({
        type: 'req',
        id: `u${random.int(0, 1e6)}`,
        method: random.chance(0.5) ? random.pick(NASTY_STRINGS) : randomString(random, random.int(1, 40)),
        params: junkValue(random, 2),
      }),
  ],
  ['junk params', 30, (random) => JSON.stringify(validLookingRequest(random))],
  ['hello variants', 6, (random) => JSON.stringify(helloVariant(random))],
  [
    'JSON scalars and arrays',
    4,
    (random) => JSON.stringify(random.pick([null, 0, -1, true, 'req', [], [1, 2], [{ type: 'req' }]])),
  ],
  [
    'deep nesting',
    2,
    (random) => {
      const depth = random.int(100, 20_000);
      return `${'['.repeat(depth)}${']'.repeat(random.chance(0.5) ? depth : 0)}`;
    },
  ],
  [
    'prototype keys',
    4,
    (random) =>
      random.pick([
        '{"__proto__": {"type": "req"}, "type": "req", "id": "p1", "method": "orders.get", "params": {"id": "x"}}',
        '{"type": "req", "id": "p2", "method": "__proto__", "params": {}}',
        '{"type": "req", "id": "p3", "method": "orders.search", "params": {"__proto__": {"limit": 1}}}',
        '{"type": "req", "id": "p4", "method": "constructor", "params": {"constructor": {"prototype": {"x": 1}}}}',
        '{"type": "hello", "protocol": 1, "client": {"name": "x", "version": "1", "__proto__": {"admin": true}}}',
      ]),
  ],
  [
    'oversize frame',
    1,
    (random) =>
      JSON.stringify({
        type: 'req',
        id: 'big',
        method: 'orders.search',
        params: { text: 'x'.repeat(MAX_FRAME_BYTES + random.int(1, 1000)) },
      }),
  ],
];

function randomFrame(random: SeededRandom): FuzzFrame {
  const [kind, , generate] = random.weighted(GENERATORS.map((entry) => [entry, entry[1]] as const));
  return { kind, data: generate(random) };
}

/** A request for a real method with params that are mostly wrong, sometimes right. */
function validLookingRequest(random: SeededRandom): Record<string, unknown> {
  const method = random.pick(METHODS);
  const params = random.weighted<unknown>([
    [junkValue(random, 3), 4],
    [mutatedParams(method, random), 5],
    [undefined, 1],
  ]);
  return { type: 'req', id: `r${random.int(0, 1e9)}`, method, ...(params === undefined ? {} : { params }) };
}

/** Plausible params with one field changed to junk or a nasty value. */
function mutatedParams(method: string, random: SeededRandom): Record<string, unknown> {
  const plausible: Record<string, Record<string, unknown>> = {
    'auth.login': { username: 'frontline', password: random.pick(['demo', 'wrong', '']) },
    'auth.refresh': { refreshToken: randomString(random, 43) },
    'orders.search': { text: random.pick(NASTY_STRINGS), limit: random.int(-5, 200), statuses: ['paid'] },
    'orders.get': { id: random.pick(['ord_sh_1', '', random.pick(NASTY_STRINGS)]) },
    'orders.find': { displayNumber: random.pick(NASTY_STRINGS) },
    'orders.byCustomer': { customerId: random.pick(NASTY_STRINGS), limit: random.int(0, 101) },
    'orders.action': {
      orderId: 'ord_x',
      expectedVersion: random.int(-1, 3),
      idempotencyKey: randomString(random, random.int(0, 70)),
      action: { type: random.pick(['refund', 'note', 'cancel', 'explode']), reason: 'fuzz' },
    },
    'orders.quote': {
      orderId: 'ord_x',
      type: random.pick(['refund', 'return', 'x']),
      items: [{ sku: 'a', qty: -1 }],
    },
    'events.subscribe': { fromSeq: random.pick([-1, 0, 1.5, 2 ** 60, '0']) },
  };
  const params = { ...(plausible[method] ?? {}) };
  const keys = Object.keys(params);
  const key =
    keys.length > 0 && random.chance(0.7) ? random.pick(keys) : randomString(random, random.int(1, 12));
  if (random.chance(0.6)) params[key] = junkValue(random, 2);
  return params;
}

function wrongTypes(random: SeededRandom): unknown {
  return random.pick<unknown>([
    { type: random.int(0, 10), id: 'w1', method: 'orders.search' },
    { type: 'req', id: random.int(0, 100), method: 'orders.search', params: {} },
    { type: 'req', id: 'w2', method: [], params: 'string params' },
    { type: 'req', id: 'w3', method: 'orders.search', params: [1, 2, 3] },
    { type: 'req', id: '', method: 'orders.search' },
    { type: 'req', id: null, method: null, params: null },
    { type: ['req'], id: 'w4' },
    { type: 'hello', protocol: '1', client: 'me' },
    { type: 'hello', protocol: PROTOCOL_VERSION, client: { name: 7, version: [] } },
    { type: 'res', id: 'w5', ok: true, result: {} },
    { type: 'event', event: {} },
    { type: 'req', id: 'w6', method: 'orders.search', params: { text: 12, limit: '50' } },
    junkValue(random, 3),
  ]);
}

function hugeIds(random: SeededRandom): unknown {
  return random.pick<unknown>([
    { type: 'req', id: 'x'.repeat(random.int(65, 20_000)), method: 'orders.search', params: {} },
    { type: 'req', id: 1e308, method: 'orders.get', params: { id: 'x' } },
    { type: 'req', id: 'h1', method: 'orders.get', params: { id: '9'.repeat(random.int(65, 5_000)) } },
    {
      type: 'req',
      id: 'h2',
      method: 'orders.find',
      params: { platform: 'shopify', platformOrderId: '9'.repeat(400) },
    },
    { type: 'req', id: 'h3', method: 'events.subscribe', params: { fromSeq: 1e300 } },
    { type: 'req', id: 'h4', method: 'orders.search', params: { cursor: 'A'.repeat(199) } },
    {
      type: 'req',
      id: 'h5',
      method: 'orders.byCustomer',
      params: { customerId: 'c'.repeat(64), cursor: '-1' },
    },
  ]);
}

function helloVariant(random: SeededRandom): unknown {
  const client = { name: 'fuzz', version: '1' };
  return random.pick<unknown>([
    { type: 'hello', protocol: PROTOCOL_VERSION, client },
    { type: 'hello', protocol: PROTOCOL_VERSION + random.int(1, 5), client },
    { type: 'hello', protocol: PROTOCOL_VERSION, client, token: randomString(random, random.int(0, 200)) },
    { type: 'hello', protocol: PROTOCOL_VERSION, client, token: `${validToken.slice(0, -3)}abc` },
    { type: 'hello', protocol: PROTOCOL_VERSION, client, extra: true },
    { type: 'hello', protocol: PROTOCOL_VERSION, client: { ...client, name: 'n'.repeat(100) } },
  ]);
}

/** Any JSON value, nested up to `depth`. */
function junkValue(random: SeededRandom, depth: number): unknown {
  const kind = random.int(0, depth > 0 ? 7 : 5);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e-308, random.int(-1e6, 1e6)]);
    case 3:
      return random.pick(NASTY_STRINGS);
    case 4:
    case 5:
      return randomString(random, random.int(0, 80));
    case 6:
      return Array.from({ length: random.int(0, 5) }, () => junkValue(random, depth - 1));
    default:
      return Object.fromEntries(
        Array.from({ length: random.int(0, 5) }, () => [
          random.chance(0.3)
            ? random.pick(['text', 'limit', 'id', 'orderId', 'cursor', 'type'])
            : randomString(random, random.int(0, 10)),
          junkValue(random, depth - 1),
        ]),
      );
  }
}

function randomString(random: SeededRandom, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) {
    const range = random.int(0, 4);
    const code =
      range === 0
        ? random.int(0, 0x1f)
        : range === 1
          ? random.int(0x4e00, 0x9fff)
          : range === 2
            ? random.int(0x80, 0x7ff)
            : random.int(0x20, 0x7e);
    text += String.fromCharCode(code);
  }
  // Lone surrogates are not valid UTF-8: add an emoji as a surrogate pair now and then instead.
  return random.chance(0.1) ? `${text}\ud83d\udcde` : text;
}

function randomBytes(random: SeededRandom, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => random.int(0, 255)));
}

function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'answer') return `answer ${JSON.stringify(outcome.frame).slice(0, 120)}`;
  if (outcome.kind === 'closed') return `closed with ${outcome.code}`;
  return `no answer within ${ANSWER_TIMEOUT_MS} ms`;
}

function preview(data: string | Buffer): string {
  return typeof data === 'string' ? JSON.stringify(data.slice(0, 100)) : `<${data.length} binary bytes>`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
