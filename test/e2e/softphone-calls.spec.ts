import { Customer } from './customer/customer';
import { mediaDelta } from './customer/media-flow';
import {
  AGENT_EXTENSION,
  agentStats,
  configurePhone,
  openAgentDesk,
  shownNotifications,
  snap,
} from './agent-desk-phone';
import { expect, test } from './fixtures';
import { DIGEST_PASSWORD } from './kamailio/kamailio-process';

test.describe('softphone calls', () => {
  test('a customer calls; the agent rings, answers, talks both ways, and the customer hangs up', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }, testInfo) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
    await openAgentDesk(page, desk, customerSite);
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3001', 'Wang Fang');

    await customer.call(AGENT_EXTENSION, { 'X-Order-Id': 'DM-100234', 'X-IVR-Choice': 'returns' });
    const toast = page.getByTestId('incoming-call');
    await expect(toast).toBeVisible();
    await expect(page.getByTestId('incoming-caller-name')).toHaveText('Wang Fang');
    await expect(page.getByTestId('incoming-caller-number')).toHaveText('3001');
    await expect(page.getByTestId('incoming-order-id')).toContainText('DM-100234');
    // The window is not in front (headless): main showed a native notification with Answer/Decline.
    await expect.poll(async () => (await shownNotifications(page)).length).toBe(1);
    const [notification] = await shownNotifications(page);
    expect(notification!.body).toContain('Wang Fang');
    expect(notification!.actions).toEqual(['接听', '拒接']);
    await expect.poll(() => desk.desktop.trayStates.at(-1)?.indicator).toBe('ringing');
    await snap(page, testInfo, 'ringing-toast-zh-CN');

    await page.getByTestId('incoming-answer').click();
    await customer.waitEstablished();
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'active');
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'on_call');
    expect(desk.desktop.closed).toContain(notification!.callId);

    // Audio both ways, measured on both ends.
    const atAgent = await mediaDelta(() => agentStats(page));
    const atCustomer = await mediaDelta(() => customer.stats());
    expect(atAgent.bytesSent).toBeGreaterThan(1000);
    expect(atAgent.bytesReceived).toBeGreaterThan(1000);
    expect(atCustomer.bytesSent).toBeGreaterThan(1000);
    expect(atCustomer.bytesReceived).toBeGreaterThan(1000);
    expect(atAgent.energy).toBeGreaterThan(0);
    expect(atCustomer.energy).toBeGreaterThan(0);
    await expect(page.getByTestId('call-timer')).toHaveText(/^00:0[1-9]$/);
    await snap(page, testInfo, 'on-call-top-bar-zh-CN');

    await customer.hangUp();
    await expect(page.getByTestId('call-controls')).toHaveCount(0);
    await expect.poll(() => customer.state()).toBe('ended');
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'available');

    await expect
      .poll(() => desk.services.callHistory.recent(5))
      .toEqual([
        expect.objectContaining({
          direction: 'inbound',
          number: '3001',
          name: 'Wang Fang',
          outcome: 'answered',
          orderId: 'DM-100234',
          durationSeconds: expect.any(Number),
        }),
      ]);
    expect(desk.services.callHistory.recent(1)[0]!.durationSeconds).toBeGreaterThanOrEqual(2);
    await customer.close();
  });

  test('the agent hangs up and both ends are cleanly ended; a declined call is refused with 486', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }, testInfo) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
    await openAgentDesk(page, desk, customerSite);
    await page.getByTestId('lang-en').click();
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3002', 'Emma Brown');

    await customer.call(AGENT_EXTENSION);
    await expect(page.getByTestId('incoming-call')).toBeVisible();
    await snap(page, testInfo, 'ringing-toast-en');
    await page.getByTestId('incoming-answer').click();
    await customer.waitEstablished();
    await expect(page.getByTestId('call-timer')).toHaveText(/^00:0[1-9]$/);
    await snap(page, testInfo, 'on-call-top-bar-en');
    await page.getByTestId('call-hangup').click();
    await expect.poll(() => customer.state()).toBe('ended');
    await expect(page.getByTestId('call-controls')).toHaveCount(0);
    expect(await customer.log()).toContain('terminated');

    await customer.call(AGENT_EXTENSION);
    await expect(page.getByTestId('incoming-call')).toBeVisible();
    await page.getByTestId('incoming-decline').click();
    await expect(page.getByTestId('incoming-call')).toHaveCount(0);
    await expect.poll(() => customer.state()).toBe('ended');
    await expect
      .poll(() => desk.services.callHistory.recent(5).map((call) => call.outcome))
      .toEqual(['rejected', 'answered']);
    await customer.close();
  });
});

test.describe('outgoing calls', () => {
  test('the agent dials a customer, they talk, and the call shows in the call history', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }, testInfo) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
    await openAgentDesk(page, desk, customerSite);
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3801', 'Zhou Xun');

    await page.getByTestId('dial-target').fill('3801');
    await page.getByTestId('dial-target').press('Enter');
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'dialing');
    await expect.poll(() => customer.state()).toBe('ringing');
    expect((await customer.incoming()).from).toBe(AGENT_EXTENSION);
    await customer.answer();
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'active');
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'on_call');
    const atAgent = await mediaDelta(() => agentStats(page));
    expect(atAgent.bytesSent).toBeGreaterThan(1000);
    expect(atAgent.bytesReceived).toBeGreaterThan(1000);
    await page.waitForTimeout(1000);
    await customer.hangUp();
    await expect(page.getByTestId('call-controls')).toHaveCount(0);

    await page.getByTestId('rail-call-history').click();
    const row = page.getByTestId('call-history-row').first();
    await expect(row).toContainText('呼出');
    await expect(row).toContainText('3801');
    await expect(row).toContainText('已接听');
    await snap(page, testInfo, 'call-history-zh-CN');
    expect(desk.services.callHistory.recent(1)[0]).toMatchObject({
      direction: 'outbound',
      number: '3801',
      outcome: 'answered',
    });
    await customer.close();
  });
});

test.describe('softphone registration', () => {
  test('registers with digest authentication, and says so plainly when the password is wrong', async ({
    page,
    desk,
    kamailio,
    customerSite,
  }, testInfo) => {
    await configurePhone(desk, kamailio, { sip: { extension: '9001' }, password: 'wrong-password' });
    await page.addInitScript({ content: customerSite.probeScript });
    await page.goto(desk.url);
    await page.getByTestId('login-demo').click();
    await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'offline');
    // Kamailio challenges again (401) when the digest does not match.
    await expect(page.getByTestId('phone-offline-banner')).toContainText(/40[13]/);
    await page.getByTestId('lang-en').click();
    await snap(page, testInfo, 'phone-rejected-en');

    await page.getByTestId('rail-settings').click();
    await page.getByTestId('settings-password').fill(DIGEST_PASSWORD);
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered');
    await expect(page.getByTestId('phone-offline-banner')).toHaveCount(0);
  });
});
