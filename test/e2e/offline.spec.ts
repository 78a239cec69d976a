import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { pino } from 'pino';
import type { Language } from '../../src/shared/contract';
import { DEMO_PASSWORD } from '../../src/shared/demo';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import type { VisibleOrder } from '../../src/shared/visibility';
import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import { startGateway, type Gateway } from '../../src/server/gateway';
import type { Harness } from '../harness/host';
import { snap } from './agent-desk-phone';
import { withDeskHarness } from './desk-harness';
import { SearchHoldingProxy } from './search-holding-proxy';

const quiet = pino({ level: 'warn' });

/** A gateway this test owns: stopped and started again on the same port and database file. */
class RestartableGateway {
  private gateway: Gateway | null = null;
  private port = 0;

  constructor(readonly dbPath: string) {}

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}${AGENT_WS_PATH}`;
  }

  async start(): Promise<void> {
    this.gateway = await startGateway({
      logger: quiet,
      port: this.port,
      dbPath: this.dbPath,
      demo: { orders: 400, seed: 13 },
    });
    this.port = this.gateway.port;
  }

  async stop(): Promise<void> {
    await this.gateway?.close();
    this.gateway = null;
  }

  /** While stopped: the same data served elsewhere, for another desk to change orders meanwhile. */
  async elsewhere<T>(work: (wsUrl: string) => Promise<T>): Promise<T> {
    const other = await startGateway({ logger: quiet, port: 0, dbPath: this.dbPath });
    try {
      return await work(`${other.url}${AGENT_WS_PATH}`);
    } finally {
      await other.close();
    }
  }
}

const test = base.extend<{
  language: Language;
  rgw: RestartableGateway;
  offlineDesk: Harness;
  searchProxy: SearchHoldingProxy;
  proxiedDesk: Harness;
}>({
  language: ['zh-CN', { option: true }],
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  rgw: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-desk-e2e-offline-gw-'));
    const gateway = new RestartableGateway(join(dir, 'gateway.db'));
    await gateway.start();
    await use(gateway);
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  },
  offlineDesk: async ({ rgw, language }, use) => {
    await withDeskHarness(rgw.wsUrl, language, use);
  },
  searchProxy: async ({ rgw }, use) => {
    const proxy = await SearchHoldingProxy.start(rgw.wsUrl);
    await use(proxy);
    await proxy.close();
  },
  /** A desk that reaches the gateway through the proxy, so a test decides when searches arrive. */
  proxiedDesk: async ({ searchProxy, language }, use) => {
    await withDeskHarness(searchProxy.wsUrl, language, use);
  },
});

const SUPERVISOR = { username: 'supervisor', password: DEMO_PASSWORD };

/** The newest open orders on the gateway (notes are allowed on every one of them). */
/** Another agent (a supervisor) on the gateway at `wsUrl`, for as long as `work` runs. */
async function asOtherAgent<T>(wsUrl: string, work: (client: GatewayClient) => Promise<T>): Promise<T> {
  const client = new GatewayClient({ url: wsUrl, client: { name: 'e2e-offline', version: '0' } });
  client.start();
  try {
    await client.waitOnline(5000);
    await client.request('auth.login', SUPERVISOR);
    return await work(client);
  } finally {
    await client.stop();
  }
}

/** Two of the newest open orders (notes are allowed on all of them). */
async function pickTwoOrders(wsUrl: string): Promise<[VisibleOrder, VisibleOrder]> {
  return asOtherAgent(wsUrl, async (client) => {
    const { items } = await client.request('orders.search', {
      text: '',
      statuses: ['paid', 'fulfilling', 'shipped'],
      limit: 2,
    });
    const [first, second] = await Promise.all(
      items.map(async (item) => (await client.request('orders.get', { id: item.id })).order),
    );
    if (!first || !second) throw new Error('The demo data has fewer than two open orders');
    return [first, second];
  });
}

const getOrder = (client: GatewayClient, id: string) =>
  client.request('orders.get', { id }).then(({ order }) => order);

async function openFromSearch(page: Page, order: Pick<VisibleOrder, 'id' | 'displayNumber'>): Promise<void> {
  const search = page.getByTestId('order-search-input');
  await search.fill(order.displayNumber);
  await search.press('Enter');
  await page.locator(`[data-testid="order-result-row"][data-order-id="${order.id}"]`).click();
  await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', order.id);
  await expect(page.getByTestId('action-bar')).toHaveAttribute('data-state', 'ready');
}

async function addNote(page: Page, text: string): Promise<void> {
  await page.getByTestId('action-note').click();
  await page.getByTestId('action-note-text').fill(text);
  await page.getByTestId('action-confirm').click();
  await expect(page.getByTestId('action-dialog')).toHaveCount(0);
}

for (const language of ['zh-CN', 'en'] as const) {
  test.describe(`offline work (${language})`, () => {
    test.use({ language });
    // The desk reconnects with backoff (up to 15 s between tries) after the gateway was away.
    test.setTimeout(150_000);

    test('gateway stopped: banner, cached orders with their age, notes queued and sent once, a conflict comes back as a task', async ({
      page,
      offlineDesk,
      rgw,
    }, testInfo) => {
      const [noted, conflicted] = await pickTwoOrders(rgw.wsUrl);

      await page.goto(offlineDesk.url);
      await page.getByTestId('login-demo').click();
      // Seen while online: both orders are now in the desk's cache.
      await openFromSearch(page, conflicted);
      await openFromSearch(page, noted);
      await expect(page.getByTestId('order-cache-age')).toHaveCount(0);

      await rgw.stop();
      await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 15_000 });

      // Read from the cache, its age in view; a note goes to the outbox.
      await openFromSearch(page, conflicted);
      await expect(page.getByTestId('order-cache-age')).toBeVisible();
      await addNote(page, 'Offline: customer asked to hold the parcel');
      await openFromSearch(page, noted);
      await expect(page.getByTestId('order-cache-age')).toBeVisible();
      const text = `Offline note ${crypto.randomUUID().slice(0, 8)}`;
      await addNote(page, text);
      await expect(page.getByTestId('offline-queued')).toContainText('2');
      // The "queued" toasts fade after a few seconds; the picture is of the screen as it stays.
      await expect(page.locator('.ant-message-notice')).toHaveCount(0);
      await snap(page, testInfo, `offline-banner-${language}`);

      // Meanwhile another desk changes the first order: its queued note is now stale.
      await rgw.elsewhere((url) =>
        asOtherAgent(url, (client) =>
          client.request('orders.action', {
            orderId: conflicted.id,
            expectedVersion: conflicted.version,
            idempotencyKey: crypto.randomUUID(),
            action: { type: 'note', text: 'Changed by a colleague meanwhile' },
          }),
        ),
      );

      await rgw.start();
      await expect(page.getByTestId('offline-banner')).toHaveCount(0, { timeout: 40_000 });
      await expect(page.getByTestId('offline-tasks-button')).toBeVisible({ timeout: 20_000 });

      const [after, stale] = await asOtherAgent(rgw.wsUrl, (client) =>
        Promise.all([getOrder(client, noted.id), getOrder(client, conflicted.id)]),
      );
      // The supervisor sees notes (internal fields): exactly one copy of the offline note.
      expect(after.notes?.filter((note) => note.text === text)).toHaveLength(1);
      expect(after.version).toBe(noted.version + 1);
      expect(stale.notes?.filter((note) => note.text.startsWith('Offline: customer'))).toHaveLength(0);
      expect(stale.version).toBe(conflicted.version + 1);

      await page.getByTestId('offline-tasks-button').click();
      const task = page.getByTestId('offline-task');
      await expect(task).toHaveCount(1);
      await expect(task).toHaveAttribute('data-task-status', 'conflict');
      await expect(page.getByTestId('offline-task-number')).toHaveText(conflicted.displayNumber);
      await snap(page, testInfo, `offline-task-${language}`);

      await page.getByTestId('offline-task-open').click();
      await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', conflicted.id);
      await expect(page.getByTestId('order-detail')).toHaveAttribute('data-version', String(stale.version));
      await expect(page.getByTestId('order-cache-age')).toHaveCount(0);
    });

    test('online: cached matches show before the gateway answers, then its rows replace them', async ({
      page,
      proxiedDesk,
      searchProxy,
    }, testInfo) => {
      await page.goto(proxiedDesk.url);
      await page.getByTestId('login-demo').click();
      const rows = page.getByTestId('order-result-row');
      await expect(rows.first()).toBeVisible();
      // Orders the agent opened are in this desk's cache.
      const opened: string[] = [];
      for (const index of [0, 1, 2, 3]) {
        const row = rows.nth(index);
        opened.push((await row.getAttribute('data-order-id'))!);
        await row.click();
        await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', opened.at(-1)!);
      }
      const search = page.getByTestId('order-search-input');
      await search.fill('no order has this text');
      await search.press('Enter');
      await expect(page.getByTestId('order-search-empty')).toBeVisible();

      // The gateway is slow now: its answer waits in the proxy until the test lets it through.
      searchProxy.hold();
      await search.fill('');
      await search.press('Enter');
      await expect(page.getByTestId('order-search-source')).toHaveAttribute('data-state', 'checking');
      await expect(rows).toHaveCount(opened.length);
      expect(await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-order-id')))).toEqual(
        expect.arrayContaining(opened),
      );
      await expect(page.locator('[data-testid="order-result-row"][data-cached="true"]')).toHaveCount(
        opened.length,
      );
      // Each says how old this computer's copy is: opened seconds ago.
      await expect(page.getByTestId('order-row-cached').first()).toContainText(
        language === 'en' ? 'Cached now' : '刚缓存',
      );
      expect(searchProxy.heldCount).toBeGreaterThan(0);
      await snap(page, testInfo, `search-cached-${language}`);

      searchProxy.release();
      await expect(page.getByTestId('order-search-source')).toHaveCount(0);
      await expect(page.locator('[data-testid="order-result-row"][data-cached="true"]')).toHaveCount(0);
      await expect(rows.first()).toHaveAttribute('data-cached', 'false');
      expect(await rows.count()).toBeGreaterThan(opened.length);
    });
  });
}
