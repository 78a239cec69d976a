import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { openDatabase } from '../../src/server/db/open-database';
import { defaultKeyFilePath } from '../../src/server/keys/key-source';
import { SqliteOrderStore } from '../../src/server/orders/sqlite-order-store';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway';
import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import { DEMO_LOGIN } from '../../src/shared/demo';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { ChildClient } from './child-client';
import { FaultClient, type ClientHooks, type FaultClientOptions } from './fault-client';
import { FaultProxy } from './fault-proxy';
import { Prng } from './prng';

const quiet = pino({ level: 'silent' });
const TOKEN_TTL_SECONDS = 24 * 3600;

/**
 * A seeded gateway database (demo users and orders, one event in the log), a token for it, and
 * a desk cache that holds every order and the log's seq: copied for every run.
 */
export interface Template {
  dir: string;
  dbPath: string;
  token: string;
  orderIds: string[];
  cachePath: string;
  /** The key provider's key the template cache was sealed with (the OS keychain's stand-in). */
  key: Buffer;
  /** The seq the template cache holds. */
  baseSeq: number;
}

export async function prepareTemplate(root: string, workerScript?: URL, orders = 12): Promise<Template> {
  const dir = join(root, 'template');
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'gateway.db');
  const gateway = await startGateway({
    port: 0,
    dbPath,
    logger: quiet,
    demo: { orders, seed: 7 },
    tokenTtlSeconds: TOKEN_TTL_SECONDS,
  });
  const url = `${gateway.url}${AGENT_WS_PATH}`;
  const client = new GatewayClient({ url, client: { name: 'faults', version: '0' } });
  try {
    client.start();
    await client.waitOnline(5000);
    const { token } = await client.request('auth.login', { ...DEMO_LOGIN });
    const { items } = await client.request('orders.search', { text: '', limit: orders });
    const orderIds = items.map((item) => item.id);
    await gateway.changes.update(
      orderIds[0]!,
      null,
      (order) => ({
        ...order,
        notes: [...order.notes, { at: new Date().toISOString(), author: 'system', text: 'template' }],
      }),
      { source: 'system' },
    );
    // A desk that has seen every order: the cache each run starts from.
    const cachePath = join(dir, 'cache', 'orders.db');
    const key = randomBytes(32);
    const noop = () => undefined;
    const desk = await FaultClient.open(
      {
        cachePath,
        key,
        url,
        token,
        checkIntervalMs: 1000,
        requestTimeoutMs: 5000,
        ...(workerScript ? { workerScript } : {}),
      },
      { onStarted: noop, onApplied: noop, onResynced: noop, onError: noop },
    );
    await waitFor(() => desk.sync.storedSeq !== null, 5000, 'template subscription');
    await desk.prefetch(orderIds);
    const baseSeq = await desk.cache.lastSeq();
    await desk.close();
    return { dir, dbPath, token, orderIds, cachePath, key, baseSeq };
  } finally {
    await client.stop();
    await gateway.close();
  }
}

function copyDatabase(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '.key']) {
    if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
  }
}

export interface ScenarioOptions {
  seed: number;
  template: Template;
  /** Where run directories go (each removed after a passing run). */
  root: string;
  /** Steps of work and faults before catch-up. */
  steps: number;
  /** Run the client in a child process and kill it with SIGKILL (slower). */
  sigkill: boolean;
  /** A prebuilt cache worker (see build-worker.ts); default: the .ts one through tsx. */
  workerScript?: URL;
  catchUpTimeoutMs?: number;
}

export interface ScenarioStats {
  eventsInRange: number;
  eventsApplied: number;
  eventsCoveredByResync: number;
  eventsRecoveredAfterKill: number;
  lostEvents: number;
  duplicateEvents: number;
  staleOrders: number;
  outboxDone: number;
  outboxConflictOrRejected: number;
  lostEffects: number;
  duplicateEffects: number;
  faults: Record<string, number>;
}

export interface ScenarioResult {
  seed: number;
  ok: boolean;
  problems: string[];
  stats: ScenarioStats;
}

/** The client side of a run: in this process (torn down abruptly) or a child (SIGKILL). */
interface ClientHandle {
  enqueueNote(orderId: string, text: string): Promise<void>;
  kill(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One seeded run: a real gateway on a copy of the template database, the desk's sync stack
 * behind a fault-injecting proxy, random work and faults, then catch-up without faults and the
 * invariants: no event lost or reported twice, every cached order at the gateway's version,
 * every outbox note applied exactly once if done and never if refused, nothing left pending.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { seed, template } = options;
  const rng = new Prng(seed);
  const runDir = mkdtempSync(join(options.root, `run-${seed}-`));
  const dbPath = join(runDir, 'gateway.db');
  copyDatabase(template.dbPath, dbPath);
  // The template's token was signed with the keys beside its database: the run keeps them.
  copyFileSync(defaultKeyFilePath(template.dbPath), defaultKeyFilePath(dbPath));
  const cachePath = join(runDir, 'cache', 'orders.db');
  copyDatabase(template.cachePath, cachePath);
  const resyncMode = rng.weighted({ none: 6, slowConsumer: 2, truncatedLog: 2 });
  const gatewayOptions: GatewayOptions = {
    port: 0,
    dbPath,
    logger: quiet,
    tokenTtlSeconds: TOKEN_TTL_SECONDS,
    ...(resyncMode === 'truncatedLog' ? { retainEvents: rng.int(3, 12) } : {}),
    ...(resyncMode === 'slowConsumer'
      ? { eventStreamLimits: { maxBufferedBytes: 0, replayPageSize: 4 } }
      : {}),
  };
  const faults: Record<string, number> = {};
  const count = (name: string) => (faults[name] = (faults[name] ?? 0) + 1);
  const problems: string[] = [];

  let gateway: Gateway = await startGateway(gatewayOptions);
  const proxy = await FaultProxy.start(`${gateway.url}${AGENT_WS_PATH}`, rng.fork());
  const clientOptions: FaultClientOptions = {
    cachePath,
    key: template.key,
    url: proxy.url,
    token: template.token,
    checkIntervalMs: 60,
    requestTimeoutMs: 1000,
    ...(options.workerScript ? { workerScript: options.workerScript } : {}),
  };

  // Decisions taken in callbacks, whose timing varies: their own stream keeps the schedule's.
  const timingRng = rng.fork();
  const baseSeq = template.baseSeq;

  // ---- what the client reported, across incarnations
  const applied = new Map<number, number>();
  const covered: Array<[number, number]> = [];
  const recovered = new Set<number>();
  const isCovered = (seq: number) => covered.some(([from, to]) => seq > from && seq <= to);
  const hooks: ClientHooks = {
    onStarted(storedSeq) {
      // Committed by the incarnation that died before it reported them; this one resumes after.
      for (let seq = baseSeq + 1; seq <= storedSeq; seq += 1) {
        if (!applied.has(seq) && !isCovered(seq)) recovered.add(seq);
      }
    },
    onApplied(seq) {
      applied.set(seq, (applied.get(seq) ?? 0) + 1);
      if (killOnApply && timingRng.chance(0.5)) {
        killOnApply = false;
        count('client-teardown-after-commit');
        void killClient();
      }
    },
    onResynced(fromSeq, toSeq) {
      covered.push([fromSeq, toSeq]);
      count('resync');
    },
    onError(err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!/not running|stopped|closed|lost/i.test(message)) problems.push(`client error: ${message}`);
    },
  };

  let client: ClientHandle | null = null;
  /** The live incarnation when it runs in this process (it then also does the catch-up). */
  let live: FaultClient | null = null;
  let killOnApply = false;
  const openClient = async (): Promise<ClientHandle> => {
    if (!options.sigkill) {
      const inProcess = await FaultClient.open(clientOptions, hooks);
      live = inProcess;
      return { enqueueNote: (id, text) => inProcess.enqueueNote(id, text), kill: () => inProcess.kill() };
    }
    return ChildClient.spawn(clientOptions, hooks);
  };
  const killClient = async () => {
    const victim = client;
    client = null;
    live = null;
    await victim?.kill();
  };
  proxy.onKill = () => {
    void killClient();
  };

  proxy.faults = { drop: rng.pick([0, 0, 0.01, 0.03, 0.08]), duplicate: rng.pick([0, 0.03, 0.1]) };
  const notes: string[] = [];
  const gatewayNotes: string[] = [];
  try {
    client = await openClient();
    for (let step = 0; step < options.steps; step += 1) {
      const kind = rng.weighted({
        gatewayWrite: 5,
        clientNote: client ? 3 : 0,
        clientKill: client ? 1 : 0,
        clientRestart: client ? 0 : 3,
        gatewayRestart: 0.6,
        reconnectStorm: 0.8,
        pause: 1.5,
      });
      if (kind === 'gatewayWrite') {
        for (let i = rng.int(1, 4); i > 0; i -= 1) {
          const text = `g-${seed}-${gatewayNotes.length}`;
          gatewayNotes.push(text);
          await gateway.changes.update(
            rng.pick(template.orderIds),
            null,
            (order) => ({
              ...order,
              notes: [...order.notes, { at: new Date().toISOString(), author: 'system', text }],
            }),
            { source: 'system' },
          );
        }
      } else if (kind === 'clientNote' && client) {
        const text = `n-${seed}-${notes.length}`;
        notes.push(text);
        await client.enqueueNote(rng.pick(template.orderIds), text).catch(() => undefined);
      } else if (kind === 'clientKill' && client) {
        const when = rng.weighted({ now: 1, afterCommit: 1, beforeSettle: 1 });
        if (when === 'now') {
          count(options.sigkill ? 'client-sigkill' : 'client-teardown');
          await killClient();
        } else if (when === 'afterCommit') {
          if (options.sigkill) armSigkillOnEvent(proxy, count);
          else killOnApply = true;
        } else {
          armKillOnActionAnswer(proxy, count, options.sigkill);
        }
      } else if (kind === 'clientRestart' && !client) {
        client = await openClient();
      } else if (kind === 'gatewayRestart') {
        count('gateway-restart');
        await gateway.close();
        gateway = await startGateway(gatewayOptions);
        proxy.retarget(`${gateway.url}${AGENT_WS_PATH}`);
      } else if (kind === 'reconnectStorm') {
        count('reconnect-storm');
        for (let i = rng.int(2, 5); i > 0; i -= 1) {
          proxy.cutAll();
          await sleep(rng.int(0, 12));
        }
      } else {
        await sleep(rng.int(1, 25));
      }
    }

    // ---- catch-up: faults off; the live in-process incarnation, else a new one (same files, key)
    proxy.faults = { drop: 0, duplicate: 0 };
    proxy.onServerFrame = null;
    killOnApply = false;
    let final: FaultClient;
    if (live && client) {
      final = live;
      client = null;
      live = null;
    } else {
      await killClient();
      final = await FaultClient.open(clientOptions, hooks);
    }
    try {
      const deadline = Date.now() + (options.catchUpTimeoutMs ?? 15_000);
      let caughtUp = false;
      while (!caughtUp && Date.now() < deadline) {
        caughtUp = await final.caughtUp().catch(() => false);
        if (!caughtUp) await sleep(15);
      }
      if (!caughtUp) problems.push('the client did not catch up with the gateway in time');

      // ---- invariants
      const { headSeq } = await retry(() => final.gateway.request('events.head', {}));
      let lostEvents = 0;
      let duplicateEvents = 0;
      let coveredCount = 0;
      for (let seq = baseSeq + 1; seq <= headSeq; seq += 1) {
        const times = applied.get(seq) ?? 0;
        if (times > 1) duplicateEvents += 1;
        if (times === 0 && !recovered.has(seq)) {
          if (isCovered(seq)) coveredCount += 1;
          else lostEvents += 1;
        }
      }
      if (lostEvents > 0) problems.push(`${lostEvents} events lost`);
      if (duplicateEvents > 0) problems.push(`${duplicateEvents} events reported more than once`);

      const onGateway = new Map<string, number>();
      let staleOrders = 0;
      // The gateway's own record (its database), not what this agent's role is shown.
      const store = openDatabase(dbPath);
      const orders = new SqliteOrderStore(store);
      for (const id of template.orderIds) {
        const order = await orders.get(id);
        if (!order) throw new Error(`order ${id} is gone from the gateway`);
        for (const note of order.notes) onGateway.set(note.text, (onGateway.get(note.text) ?? 0) + 1);
        const cached = await final.cache.get(id);
        if (!cached || cached.order.version !== order.version) {
          staleOrders += 1;
          problems.push(`order ${id}: cached v${cached?.order.version ?? '-'}, gateway v${order.version}`);
        }
      }
      store.close();
      if (staleOrders > 0) problems.push(`${staleOrders} cached orders behind the gateway`);

      for (const text of gatewayNotes) {
        if (onGateway.get(text) !== 1)
          problems.push(`gateway note ${text} present ${onGateway.get(text) ?? 0} times`);
      }
      const entries = await final.outbox.list();
      const queuedTexts = new Set<string>();
      let lostEffects = 0;
      let duplicateEffects = 0;
      let done = 0;
      let refused = 0;
      for (const entry of entries) {
        if (entry.request.action.type !== 'note') continue;
        const text = entry.request.action.text;
        queuedTexts.add(text);
        const times = onGateway.get(text) ?? 0;
        if (entry.status === 'pending') lostEffects += 1;
        else if (entry.status === 'done') {
          done += 1;
          if (times === 0) lostEffects += 1;
          if (times > 1) duplicateEffects += 1;
        } else {
          refused += 1;
          if (times > 0) duplicateEffects += 1;
        }
      }
      // A note on the gateway that the outbox does not hold was applied behind its back.
      for (const text of notes) if (!queuedTexts.has(text) && onGateway.has(text)) duplicateEffects += 1;
      if (lostEffects > 0) problems.push(`${lostEffects} outbox effects lost`);
      if (duplicateEffects > 0) problems.push(`${duplicateEffects} outbox effects duplicated`);

      faults['frames-dropped'] = proxy.counts.dropped;
      faults['frames-duplicated'] = proxy.counts.duplicated;
      faults['connections-cut'] = proxy.counts.connectionsCut;
      return {
        seed,
        ok: problems.length === 0,
        problems,
        stats: {
          eventsInRange: headSeq - baseSeq,
          eventsApplied: [...applied.values()].reduce((sum, n) => sum + n, 0),
          eventsCoveredByResync: coveredCount,
          eventsRecoveredAfterKill: recovered.size,
          lostEvents,
          duplicateEvents,
          staleOrders,
          outboxDone: done,
          outboxConflictOrRejected: refused,
          lostEffects,
          duplicateEffects,
          faults,
        },
      };
    } finally {
      await final.close();
    }
  } finally {
    await killClient();
    await proxy.close();
    await gateway.close();
    if (problems.length === 0) rmSync(runDir, { recursive: true, force: true });
  }
}

/** SIGKILL the child just after an event frame is handed to it: it dies mid-apply or just after. */
function armSigkillOnEvent(proxy: FaultProxy, count: (name: string) => void): void {
  proxy.onServerFrame = (frame) => {
    if (frame.type !== 'event') return;
    proxy.onServerFrame = null;
    count('client-sigkill-while-applying');
    setImmediate(() => proxy.onKill?.());
  };
}

/** The gateway applied an outbox action; the client dies before it hears so (never settles it). */
function armKillOnActionAnswer(proxy: FaultProxy, count: (name: string) => void, sigkill: boolean): void {
  proxy.onServerFrame = (frame) => {
    const result = frame.result as { outcome?: string } | undefined;
    if (frame.type !== 'res' || !result?.outcome) return;
    proxy.onServerFrame = null;
    count(sigkill ? 'client-sigkill-before-settle' : 'client-teardown-before-settle');
    return 'kill';
  };
}

/** A loaded machine can time a request out; the verification itself must not flake. */
async function retry<T>(request: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await sleep(50);
    }
  }
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}
