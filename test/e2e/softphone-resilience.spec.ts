import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { startGateway } from '../../src/server/gateway';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { startHarness } from '../harness/host';
import { Customer } from './customer/customer';
import { mediaDelta } from './customer/media-flow';
import { AGENT_EXTENSION, agentStats, configurePhone, openAgentDesk, snap } from './agent-desk-phone';
import { expect, test } from './fixtures';

test.describe('softphone resilience', () => {
  test('Kamailio restarts while the agent is idle: the phone says so, re-registers within 5 s and takes a call', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }, testInfo) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
    await openAgentDesk(page, desk, customerSite);

    await kamailio.stop();
    await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', /offline|connecting/);
    await expect(page.getByTestId('phone-offline-banner')).toBeVisible();
    await snap(page, testInfo, 'phone-offline-zh-CN');
    // Leave it down long enough for the backoff to reach its cap.
    await page.waitForTimeout(3000);

    await kamailio.start();
    const restartedAt = Date.now();
    await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered', {
      timeout: 5000,
    });
    const reRegisterMs = Date.now() - restartedAt;
    testInfo.annotations.push({ type: 're-register-ms', description: String(reRegisterMs) });
    console.log(`re-registered ${reRegisterMs} ms after Kamailio accepted connections again`);
    expect(reRegisterMs).toBeLessThanOrEqual(5000);
    await expect(page.getByTestId('phone-offline-banner')).toHaveCount(0);

    const customer = await Customer.open(callerContext, customerSite, kamailio, '3601');
    await customer.call(AGENT_EXTENSION);
    await page.getByTestId('incoming-answer').click();
    await customer.waitEstablished();
    expect((await mediaDelta(() => customer.stats())).bytesReceived).toBeGreaterThan(1000);
    await customer.hangUp();
    await customer.close();
  });

  test('the data gateway stops during a call: the call and its audio go on, and the desk shows the outage', async ({
    page,
    callerContext,
    kamailio,
    customerSite,
  }) => {
    // A gateway of its own: stopping the shared one would break the tests after this one.
    const dir = mkdtempSync(join(tmpdir(), 'agent-desk-e2e-outage-'));
    const gateway = await startGateway({
      logger: pino({ level: 'warn' }),
      port: 0,
      dbPath: join(dir, 'gateway.db'),
      demo: { orders: 200, seed: 3 },
    });
    const wsUrl = `${gateway.url}${AGENT_WS_PATH}`;
    const desk = await startHarness({
      rendererDir: resolve(import.meta.dirname, '../../out/renderer'),
      dataDir: join(dir, 'desk'),
      defaultGatewayUrl: wsUrl,
      demoGatewayUrl: wsUrl,
    });
    try {
      await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
      await openAgentDesk(page, desk, customerSite);
      const customer = await Customer.open(callerContext, customerSite, kamailio, '3602');
      await customer.call(AGENT_EXTENSION);
      await page.getByTestId('incoming-answer').click();
      await customer.waitEstablished();

      await gateway.close();
      await expect(page.getByTestId('connection-status')).toHaveAttribute(
        'data-status',
        /offline|connecting/,
      );
      await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'active');
      const atAgent = await mediaDelta(() => agentStats(page), 2000);
      const atCustomer = await mediaDelta(() => customer.stats(), 2000);
      expect(atAgent.bytesReceived).toBeGreaterThan(1000);
      expect(atAgent.bytesSent).toBeGreaterThan(1000);
      expect(atCustomer.bytesReceived).toBeGreaterThan(1000);
      expect(atCustomer.energy).toBeGreaterThan(0);
      await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered');

      await page.getByTestId('call-hangup').click();
      await expect.poll(() => customer.state()).toBe('ended');
      // History is local: written during the outage.
      await expect.poll(() => desk.services.callHistory.recent(1)[0]?.outcome).toBe('answered');
      await customer.close();
    } finally {
      await desk.close();
      await gateway.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
