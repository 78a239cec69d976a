import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type BrowserContext } from '@playwright/test';
import { pino } from 'pino';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { startGateway, type Gateway } from '../../src/server/gateway';
import type { Harness } from '../harness/host';
import { startCustomerSite, type CustomerSite } from './customer/customer-site';
import { withDeskHarness } from './desk-harness';
import { KamailioProcess } from './kamailio/kamailio-process';

export interface GatewayFixture {
  gateway: Gateway;
  /** The websocket URL agents sign in to. */
  wsUrl: string;
}

/**
 * `gateway`: one real reference gateway per worker, on loopback, with a real SQLite file seeded
 * with demo data. `kamailio`: one real Kamailio per worker (SIP over WebSocket, free port).
 * `customerSite`: the customer phone page. `desk`: a fresh harness (real main-process services,
 * fresh data folder) per test. `callerContext`: the browser context customers call from, apart
 * from the agent's: opened in the agent's context, a customer page becomes headless Chromium's
 * front window and the agent's page is throttled to about one frame a second.
 */
export const test = base.extend<
  { desk: Harness; callerContext: BrowserContext },
  { gw: GatewayFixture; kamailio: KamailioProcess; customerSite: CustomerSite }
>({
  kamailio: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const kamailio = await KamailioProcess.launch();
      await use(kamailio);
      await kamailio.dispose();
    },
    { scope: 'worker' },
  ],
  customerSite: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const site = await startCustomerSite();
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  gw: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'agent-desk-e2e-gw-'));
      const gateway = await startGateway({
        logger: pino({ level: 'warn' }),
        port: 0,
        dbPath: join(dir, 'gateway.db'),
        demo: { orders: 6000, seed: 7 },
      });
      await use({ gateway, wsUrl: `${gateway.url}${AGENT_WS_PATH}` });
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  callerContext: async ({ browser }, use) => {
    const context = await browser.newContext();
    await use(context);
    await context.close();
  },
  desk: async ({ gw }, use) => {
    await withDeskHarness(gw.wsUrl, 'zh-CN', use);
  },
});

export { expect } from '@playwright/test';
