/**
 * Call setup benchmark (not a test): a customer page calls the agent's desk through a real
 * Kamailio, the desk answers (by the global hotkey) as soon as it rings, and we time
 *   - INVITE sent -> the desk shows the ringing call (toast painted),
 *   - INVITE sent -> two-way media (RTP packets received at both ends).
 * Prints p50/p95 over N calls (default 50; CALLS=N to change). Run: `npm run bench:calls`
 * (builds the renderer first). Budget (DESIGN.md): INVITE to two-way media p95 <= 1 s on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { pino } from 'pino';
import config from '../../playwright.config';
import { startGateway } from '../../src/server/gateway';
import { DEFAULT_PHONE_SETTINGS } from '../../src/shared/phone-settings';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { startHarness } from '../harness/host';
import { AGENT_EXTENSION, agentStats, configurePhone, openAgentDesk } from '../e2e/agent-desk-phone';
import { Customer } from '../e2e/customer/customer';
import { startCustomerSite } from '../e2e/customer/customer-site';
import { KamailioProcess } from '../e2e/kamailio/kamailio-process';

const CALLS = Number(process.env.CALLS ?? 50);
const root = resolve(import.meta.dirname, '../..');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function receiving(read: () => Promise<{ packetsReceived: number } | null>): Promise<boolean> {
  return ((await read())?.packetsReceived ?? 0) > 0;
}

const dir = mkdtempSync(join(tmpdir(), 'agent-desk-bench-calls-'));
const kamailio = await KamailioProcess.launch();
const gateway = await startGateway({
  logger: pino({ level: 'warn' }),
  port: 0,
  dbPath: join(dir, 'gateway.db'),
  demo: { orders: 200, seed: 1 },
});
const wsUrl = `${gateway.url}${AGENT_WS_PATH}`;
const desk = await startHarness({
  rendererDir: join(root, 'out', 'renderer'),
  dataDir: join(dir, 'desk'),
  defaultGatewayUrl: wsUrl,
  demoGatewayUrl: wsUrl,
});
const site = await startCustomerSite();
const browser = await chromium.launch(config.use?.launchOptions);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page: Page = await context.newPage();
  await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
  await openAgentDesk(page, desk, site);
  const customer = await Customer.open(context, site, kamailio, '5001', 'Bench caller');

  const toRinging: number[] = [];
  const toMedia: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const sent = Date.now();
    await customer.call(AGENT_EXTENSION);
    await page.getByTestId('incoming-answer').waitFor({ state: 'visible' });
    toRinging.push(Date.now() - sent);
    // The answer hotkey, as an agent in a hurry presses it (a Playwright click adds its own
    // actionability waits, which are not the desk's latency).
    desk.desktop.press(DEFAULT_PHONE_SETTINGS.hotkeys.answer);
    await until(
      async () => (await receiving(() => agentStats(page))) && (await receiving(() => customer.stats())),
    );
    toMedia.push(Date.now() - sent);
    await customer.hangUp();
    await page.getByTestId('call-controls').waitFor({ state: 'detached' });
  }

  const report = (name: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `${name.padEnd(34)} p50 ${String(percentile(sorted, 50)).padStart(5)} ms   p95 ${String(
        percentile(sorted, 95),
      ).padStart(5)} ms   max ${String(sorted.at(-1)).padStart(5)} ms`,
    );
  };
  console.log(`\ncall setup over ${CALLS} calls (loopback, Kamailio, Chromium fake devices)`);
  report('INVITE -> ringing toast painted', toRinging);
  report('INVITE -> two-way media (RTP)', toMedia);
  await customer.close();
} finally {
  await browser.close();
  await site.close();
  await desk.close();
  await gateway.close();
  await kamailio.dispose();
  rmSync(dir, { recursive: true, force: true });
}
