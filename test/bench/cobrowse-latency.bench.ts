/**
 * Co-browse: a DOM change on the customer's page until it is visible in the agent's replay.
 * Every real part: the gateway (in process, its own SQLite file) serving the demo shop with the
 * built snippet, the desk through the harness, Chromium for both (the customer in a context of
 * their own). The customer changes a line of text `--changes` times; the agent's page watches
 * its replay with a MutationObserver and stamps when each change appears. Both stamps are
 * `performance.timeOrigin + performance.now()` on one machine. Also prints the bytes the gateway
 * relayed per change.
 *
 *   npm run build && npx tsx test/bench/cobrowse-latency.bench.ts [--changes 200] [--gap-ms 100]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { pino } from 'pino';
import config from '../../playwright.config';
import { startGateway } from '../../src/server/gateway';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { startHarness } from '../harness/host';
import { KEEP_SNIPPET_ROOT, snippet, snippetButton } from './cobrowse-driver';
import { percentiles } from './percentiles';

const { values } = parseArgs({
  options: { changes: { type: 'string', default: '200' }, 'gap-ms': { type: 'string', default: '100' } },
});
const changes = Number(values.changes);
const gapMs = Number(values['gap-ms']);
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'agent-desk-bench-cobrowse-'));

let relayedBytes = 0;
const gateway = await startGateway({
  port: 0,
  dbPath: join(dir, 'gateway.db'),
  logger: pino({ level: 'silent' }),
  demo: { orders: 50 },
  cobrowse: {
    onRelay: (frame) => {
      if (frame.direction === 'to_agent') relayedBytes += Buffer.byteLength(frame.text);
    },
  },
});
const desk = await startHarness({
  rendererDir: join(root, 'out', 'renderer'),
  dataDir: join(dir, 'desk'),
  defaultGatewayUrl: `${gateway.url}${AGENT_WS_PATH}`,
  demoGatewayUrl: `${gateway.url}${AGENT_WS_PATH}`,
});
const browser = await chromium.launch(config.use?.launchOptions);

try {
  const agent = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const customerContext = await browser.newContext({ viewport: { width: 1024, height: 680 } });
  await customerContext.addInitScript(KEEP_SNIPPET_ROOT);
  const customer = await customerContext.newPage();
  await customer.goto(`${gateway.httpUrl}/demo/shop/index.html`);

  await snippetButton(customer, 'help').click();
  await snippet(customer, '.code').waitFor();
  const code = String(
    await customer.evaluate(`window.__agentDeskSnippetRoot.querySelector('.code').textContent`),
  );
  await agent.goto(desk.url);
  await agent.getByTestId('login-demo').click();
  await agent.getByTestId('order-search-input').waitFor();
  await agent.keyboard.press('Control+Shift+L');
  await agent.getByTestId('cobrowse-code').fill(code);
  await agent.getByTestId('cobrowse-code').press('Enter');
  await snippetButton(customer, 'allow').click();
  const replay = agent.frameLocator('[data-testid="cobrowse-replay-host"] iframe');
  await replay.locator('h1').waitFor();

  await watchReplay(agent);
  const latencies: number[] = [];
  const bytesBefore = relayedBytes;
  for (let i = 1; i <= changes; i += 1) {
    const sentAt = (await customer.evaluate(`(() => {
      document.querySelector('h1 .en').textContent = 'change ${i}';
      return performance.timeOrigin + performance.now();
    })()`)) as number;
    // A function, not a string: the desk's CSP refuses eval.
    const seenAt = (await (
      await agent.waitForFunction(
        (text) => (globalThis as unknown as { __seen?: Record<string, number> }).__seen?.[text],
        `change ${i}`,
        { timeout: 10_000 },
      )
    ).jsonValue()) as number;
    latencies.push(seenAt - sentAt);
    await new Promise((done) => setTimeout(done, gapMs));
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const { p50, p95, p99, max } = percentiles(sorted);
  console.log(
    `\nco-browse DOM change -> visible in the agent's replay, ${changes} changes ${gapMs} ms apart ` +
      `(${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}, Node ${process.version})`,
  );
  console.log(
    `p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${max.toFixed(1)} ms`,
  );
  console.log(
    `relayed to the agent: ${((relayedBytes - bytesBefore) / changes).toFixed(0)} bytes per change`,
  );
} finally {
  await browser.close();
  await desk.close();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * On the agent's page: stamps the frame at which each "change N" text appears in the replay's heading
 * (the replay's iframe is same-origin with the desk; rrweb rebuilds the page into it).
 */
async function watchReplay(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__seen = {};
    const frame = document.querySelector('[data-testid="cobrowse-replay-host"] iframe');
    const doc = frame.contentDocument;
    const stamp = () => {
      const text = doc.querySelector('h1 .en')?.textContent ?? '';
      if (text.startsWith('change ') && window.__seen[text] === undefined) {
        window.__seen[text] = performance.timeOrigin + performance.now();
      }
    };
    // Stamped at the next frame after the change: when it can first be seen.
    new MutationObserver(() => requestAnimationFrame(stamp)).observe(doc, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  })()`);
}
