import type { Page } from '@playwright/test';
import type { Harness } from '../harness/host';
import { Customer } from './customer/customer';
import type { CustomerSite } from './customer/customer-site';
import { expectKeysHeard } from './customer/dtmf-heard';
import { mediaDelta } from './customer/media-flow';
import type { KamailioProcess } from './kamailio/kamailio-process';
import { AGENT_EXTENSION, agentStats, configurePhone, openAgentDesk } from './agent-desk-phone';
import { expect, test } from './fixtures';

/** A customer on an answered call with the agent. */
async function connectedCall(
  page: Page,
  desk: Harness,
  kamailio: KamailioProcess,
  site: CustomerSite,
  customer: Customer,
): Promise<void> {
  await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
  await openAgentDesk(page, desk, site);
  await customer.call(AGENT_EXTENSION);
  await page.getByTestId('incoming-answer').click();
  await customer.waitEstablished();
  await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'active');
}

test.describe('softphone in a call', () => {
  test('hold and resume re-negotiate the direction; the customer stops sending while held', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3101');
    await connectedCall(page, desk, kamailio, customerSite, customer);

    await page.getByTestId('call-hold').click();
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'held');
    const held = await mediaDelta(() => customer.stats());
    expect(held.after.remoteSdpDirection).toBe('sendonly'); // the agent's re-INVITE
    expect(held.after.direction).toBe('recvonly'); // the customer's answer
    expect(held.packetsSent).toBe(0);
    const heldAtAgent = await mediaDelta(() => agentStats(page));
    expect(heldAtAgent.packetsReceived).toBe(0);

    await page.getByTestId('call-hold').click();
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'active');
    const resumed = await mediaDelta(() => customer.stats());
    expect(resumed.after.remoteSdpDirection).toBe('sendrecv');
    expect(resumed.after.direction).toBe('sendrecv');
    expect(resumed.packetsSent).toBeGreaterThan(20);
    expect((await mediaDelta(() => agentStats(page))).packetsReceived).toBeGreaterThan(20);
    await customer.close();
  });

  test('mute silences the agent (the customer receives no audio energy) until unmuted', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3102');
    await connectedCall(page, desk, kamailio, customerSite, customer);
    expect((await mediaDelta(() => customer.stats())).energy).toBeGreaterThan(0.01);

    await page.getByTestId('call-mute').click();
    await expect(page.getByTestId('call-mute')).toHaveAttribute('aria-pressed', 'true');
    // Let the jitter buffer drain what was sent before the mute.
    await page.waitForTimeout(300);
    const muted = await mediaDelta(() => customer.stats());
    expect(muted.energy).toBeLessThan(0.0005);

    await page.getByTestId('call-mute').click();
    await expect(page.getByTestId('call-mute')).toHaveAttribute('aria-pressed', 'false');
    await page.waitForTimeout(300);
    expect((await mediaDelta(() => customer.stats())).energy).toBeGreaterThan(0.01);
    await customer.close();
  });

  test('DTMF from the dial pad and the keyboard reaches the customer as RFC 4733 tones', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3103');
    await connectedCall(page, desk, kamailio, customerSite, customer);

    // Three keys from the dial pad, then two typed while the call view has focus.
    await page.getByTestId('call-keypad').click();
    await expectKeysHeard(
      '123',
      (key) => page.getByTestId(`dial-key-${key}`).click(),
      () => customer.heardDtmf(),
    );
    await page.keyboard.press('Escape');
    await page.locator('main').click({ position: { x: 700, y: 400 } });
    await expectKeysHeard(
      '#0',
      (key) => page.keyboard.press(key),
      () => customer.heardDtmf(),
    );
    expect(await customer.heardDtmf()).toBe('123#0');
    expect(await customer.infoDtmf()).toBe('');
    await customer.close();
  });

  test('DTMF falls back to SIP INFO when the far end offers no telephone-event', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3104', 'Old gateway', {
      telephoneEvent: false,
    });
    await connectedCall(page, desk, kamailio, customerSite, customer);
    await page.getByTestId('call-keypad').click();
    await page.getByTestId('dial-key-7').click();
    await page.getByTestId('dial-key-9').click();
    await expect.poll(() => customer.infoDtmf()).toBe('79');
    await customer.close();
  });
});
