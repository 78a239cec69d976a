/**
 * Screen-pop benchmark (not a test): INVITE received by the desk to the ringing toast's order
 * card painted, with 1M orders in the gateway store. A customer page calls the agent's desk
 * through a real Kamailio with `X-Order-Id: <display number>` (as an IVR would send it); the desk
 * looks the order up through main and the gateway and paints the card in the toast.
 *
 *   - INVITE received: a performance mark the desk's SIP stack sets when sip.js hands it the
 *     INVITE (SipPhone.onInvite);
 *   - painted: the first frame after the toast's order card shows that order's number
 *     (MutationObserver, then requestAnimationFrame and a user-blocking task: the frame has been
 *     produced; a plain setTimeout would also wait for work the desk queued behind the paint).
 *
 * Cold: a fresh gateway process on the existing 1M-order file (SQLite page cache empty in that
 * process; the OS file cache may hold pages from earlier runs), first call after it started.
 * Warm: the second and later calls to the same process. Every call asks for another order, so
 * neither the desk's nor the gateway's caches hold the order itself.
 *
 * From cache: then the gateway is stopped and the same orders are called about again; the desk
 * answers from its encrypted order cache (the worker's SQLite file), which holds every order it
 * showed. The cache holds only what this run showed: its lookups are index seeks (order-number
 * suffix, customer key), so the cache's size changes a few B-tree levels, not the path.
 *
 * Run: `npm run bench:screen-pop` (builds the renderer). COLD=N, WARM=N and CACHED=N set the
 * sample sizes (default 10, 50 and 30); ORDERS=N another store size; the db is kept in the temp dir (see
 * million-order-db.ts) and seeded only on the first run (minutes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { startHarness } from '../harness/host';
import { AGENT_EXTENSION, configurePhone, openAgentDesk } from '../e2e/agent-desk-phone';
import { Customer } from '../e2e/customer/customer';
import { startCustomerSite } from '../e2e/customer/customer-site';
import { KamailioProcess } from '../e2e/kamailio/kamailio-process';
import { ensureOrderDb, MILLION } from './million-order-db';
import { percentiles } from './percentiles';

const COLD = Number(process.env.COLD ?? 10);
const WARM = Number(process.env.WARM ?? 50);
const CACHED = Number(process.env.CACHED ?? 30);
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 0);
const ORDERS = Number(process.env.ORDERS ?? MILLION);
const root = resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** The reference gateway as its own process (`npm run gateway`), on the benchmark's db file. */
async function startGatewayProcess(dbPath: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/server/index.ts'), '--demo', '--db', dbPath, '--port', String(port)],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    try {
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  return child;
}

async function stopGatewayProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** Orders spread over the whole store (every Nth by seq), a different one for every call. */
function pickOrders(dbPath: string, count: number): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const total = (db.prepare('SELECT max(seq) AS n FROM orders').get() as { n: number }).n;
    const step = Math.max(1, Math.floor(total / (count + 1)));
    const pick = db.prepare<[number], { display_number: string }>(
      'SELECT display_number FROM orders WHERE seq >= ? ORDER BY seq LIMIT 1',
    );
    return Array.from({ length: count }, (_, i) => pick.get(step * (i + 1))!.display_number);
  } finally {
    db.close();
  }
}

interface PaintTimes {
  /** INVITE mark to the first frame with the ringing toast (caller, no order yet). */
  toast: number;
  /** INVITE mark to the first frame with the toast's order card showing the order. */
  card: number;
}

/**
 * Arms the page: resolves with ms from the newest INVITE mark to the first frames painted after
 * the toast appeared and after its order card shows `displayNumber`.
 */
function armPaintProbe(page: Page, displayNumber: string): Promise<PaintTimes> {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  return page.evaluate(`new Promise((resolve, reject) => {
    const expected = ${JSON.stringify(displayNumber)};
    const timer = setTimeout(() => reject(new Error('no card for ' + expected)), 30000);
    let observer = null;
    let toastAt = null;
    // Runs right after the frame's rendering, ahead of ordinary tasks (timers) already queued.
    const afterFrame = (done) => requestAnimationFrame(() =>
      globalThis.scheduler?.postTask
        ? globalThis.scheduler.postTask(done, { priority: 'user-blocking' })
        : setTimeout(done, 0),
    );
    const check = () => {
      if (toastAt === null && document.querySelector('[data-testid="incoming-call"]')) {
        toastAt = -1;
        afterFrame(() => { toastAt = performance.now(); });
      }
      const card = document.querySelector('[data-testid="incoming-pop-order"] .pop-order-number');
      if (!card || card.textContent !== expected) return;
      observer.disconnect();
      afterFrame(() => {
        clearTimeout(timer);
        const invites = performance
          .getEntriesByType('mark')
          .filter((mark) => mark.name.startsWith('agentdesk:invite:'));
        const invite = invites[invites.length - 1];
        if (!invite) reject(new Error('no INVITE mark'));
        else {
          const cardAt = performance.now();
          const toast = toastAt === null || toastAt < 0 ? cardAt : toastAt;
          resolve({ toast: toast - invite.startTime, card: cardAt - invite.startTime });
        }
      });
    };
    observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    check();
  })`);
}

/**
 * Paint times mean something only while the page is drawn at the display's rate: fails when it
 * gets frames seldom (a background window in headless Chromium gets about one a second).
 */
async function expectDisplayRate(page: Page): Promise<void> {
  const medianGapMs = (await page.evaluate(`new Promise((resolve) => {
    const gaps = [];
    let last = performance.now();
    const step = () => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      if (gaps.length < 11) requestAnimationFrame(step);
      else resolve(gaps.slice(1).sort((a, b) => a - b)[5]);
    };
    requestAnimationFrame(step);
  })`)) as number;
  if (medianGapMs > 50) {
    throw new Error(
      `the agent page gets a frame every ${medianGapMs.toFixed(0)} ms: paint times would be wrong`,
    );
  }
}

const dataOnline = async (dispatch: (method: 'connection.get') => Promise<unknown>) => {
  const envelope = (await dispatch('connection.get')) as { ok: boolean; value?: { status: string } };
  return envelope.ok && envelope.value?.status === 'online';
};

const dbPath = await ensureOrderDb(ORDERS);
const targets = pickOrders(dbPath, COLD + WARM + COLD);
const dir = mkdtempSync(join(tmpdir(), 'agent-desk-bench-pop-'));
const port = await freePort();
const wsUrl = `ws://127.0.0.1:${port}${AGENT_WS_PATH}`;
const kamailio = await KamailioProcess.launch();
let gateway = await startGatewayProcess(dbPath, port);
const desk = await startHarness({
  rendererDir: join(root, 'out', 'renderer'),
  dataDir: join(dir, 'desk'),
  defaultGatewayUrl: wsUrl,
  demoGatewayUrl: wsUrl,
});
const site = await startCustomerSite();
const browser = await chromium.launch(config.use?.launchOptions);
const dispatch = (method: 'connection.get') => desk.services.dispatch(method, undefined);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
  await openAgentDesk(page, desk, site);
  // The caller is another person on another device: their page gets its own context. Opened in
  // the agent's context, it becomes headless Chromium's front window and the agent's page is
  // no longer drawn; viz then throttles that page to about one frame a second
  // (ThrottleUndrawnFrames), which delayed every toast by up to a second.
  const customerContext = await browser.newContext();
  const customer = await Customer.open(customerContext, site, kamailio, '5002', 'Bench caller');
  let next = 0;

  const popOnce = async (displayNumber = targets[next++]!): Promise<PaintTimes> => {
    const painted = armPaintProbe(page, displayNumber);
    await customer.call(AGENT_EXTENSION, { 'X-Order-Id': displayNumber });
    const ms = await painted;
    await customer.hangUp();
    await page.getByTestId('incoming-call').waitFor({ state: 'detached' });
    // PAUSE_MS: time between calls (0: call again as soon as the toast is gone).
    if (PAUSE_MS > 0) await new Promise((done) => setTimeout(done, PAUSE_MS));
    return ms;
  };

  // One unmeasured call: the page's code paths and the desk's first gateway round trips.
  await popOnce();
  await expectDisplayRate(page);

  const cold: PaintTimes[] = [];
  for (let i = 0; i < COLD; i++) {
    await stopGatewayProcess(gateway);
    gateway = await startGatewayProcess(dbPath, port);
    await until(() => dataOnline(dispatch));
    cold.push(await popOnce());
    process.stdout.write(`cold ${i + 1}/${COLD}\r`);
  }
  const warm: PaintTimes[] = [];
  for (let i = 0; i < WARM; i++) {
    warm.push(await popOnce());
    process.stdout.write(`warm ${i + 1}/${WARM}\r`);
  }
  // Gateway down: the desk answers from its encrypted cache, which holds the orders it showed.
  await stopGatewayProcess(gateway);
  await until(async () => !(await dataOnline(dispatch)));
  const fromCache: PaintTimes[] = [];
  const cachedTargets = targets.slice(COLD + 1, COLD + 1 + WARM);
  for (let i = 0; i < CACHED; i++) {
    fromCache.push(await popOnce(cachedTargets[i % cachedTargets.length]));
    process.stdout.write(`from cache ${i + 1}/${CACHED}\r`);
  }
  // Still drawn at the display's rate at the end, or the numbers above are not paint times.
  await expectDisplayRate(page);

  const line = (name: string, values: number[]) => {
    const { p50, p95, max } = percentiles([...values].sort((a, b) => a - b));
    const fmt = (value: number) => value.toFixed(0).padStart(5);
    console.log(
      `${name.padEnd(40)} n ${String(values.length).padStart(3)}   p50 ${fmt(p50)} ms   p95 ${fmt(p95)} ms   max ${fmt(max)} ms`,
    );
  };
  console.log(
    `\nscreen pop with ${ORDERS.toLocaleString('en')} orders in the gateway store (${cpus().length} cores, ${
      cpus()[0]?.model ?? 'cpu'
    })`,
  );
  line(
    'INVITE -> order card painted, cold',
    cold.map((times) => times.card),
  );
  line(
    'INVITE -> order card painted, warm',
    warm.map((times) => times.card),
  );
  line(
    'INVITE -> order card painted, from cache',
    fromCache.map((times) => times.card),
  );
  // The toast without its card: what the SIP path and the renderer cost before any lookup.
  line(
    'INVITE -> ringing toast painted, cold',
    cold.map((times) => times.toast),
  );
  line(
    'INVITE -> ringing toast painted, warm',
    warm.map((times) => times.toast),
  );
  await customer.close();
  await customerContext.close();
} finally {
  await browser.close();
  await site.close();
  await desk.close();
  await stopGatewayProcess(gateway);
  await kamailio.dispose();
  rmSync(dir, { recursive: true, force: true });
}
