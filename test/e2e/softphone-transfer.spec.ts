import type { Page } from '@playwright/test';
import type { Harness } from '../harness/host';
import { Customer } from './customer/customer';
import type { CustomerSite } from './customer/customer-site';
import { mediaDelta } from './customer/media-flow';
import type { KamailioProcess } from './kamailio/kamailio-process';
import { AGENT_EXTENSION, agentStats, configurePhone, openAgentDesk } from './agent-desk-phone';
import { expect, test } from './fixtures';

async function answeredCall(
  page: Page,
  desk: Harness,
  kamailio: KamailioProcess,
  site: CustomerSite,
  customer: Customer,
) {
  await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
  await openAgentDesk(page, desk, site);
  await customer.call(AGENT_EXTENSION);
  await page.getByTestId('incoming-answer').click();
  await customer.waitEstablished();
}

/** Both parties hear each other: bytes flow both ways at both ends. */
async function expectTalking(a: Customer, b: Customer) {
  const atA = await mediaDelta(() => a.stats());
  const atB = await mediaDelta(() => b.stats());
  expect(atA.bytesReceived).toBeGreaterThan(1000);
  expect(atA.bytesSent).toBeGreaterThan(1000);
  expect(atB.bytesReceived).toBeGreaterThan(1000);
  expect(atB.bytesSent).toBeGreaterThan(1000);
}

test.describe('transfers and call waiting', () => {
  test('blind transfer: the customer is REFERred to a colleague and the agent leaves', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3301', 'Zhao Lei');
    const colleague = await Customer.open(callerContext, customerSite, kamailio, '3302', 'Returns desk');
    await answeredCall(page, desk, kamailio, customerSite, customer);

    await page.getByTestId('call-transfer').click();
    await page.getByTestId('transfer-target').fill('3302');
    await page.getByTestId('transfer-blind').click();
    await expect.poll(() => colleague.state()).toBe('ringing');
    expect((await colleague.incoming()).from).toBe('3301');
    await colleague.answer();
    await customer.waitEstablished();
    await colleague.waitEstablished();
    await expect(page.getByTestId('call-controls')).toHaveCount(0);
    await expectTalking(customer, colleague);
    await expect.poll(() => desk.services.callHistory.recent(1)[0]?.outcome).toBe('transferred');
    await customer.hangUp();
    await expect.poll(() => colleague.state()).toBe('ended');
    await customer.close();
    await colleague.close();
  });

  test('attended transfer: consult a colleague, then join the customer to them (REFER with Replaces)', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3401', 'Sun Mei');
    const colleague = await Customer.open(callerContext, customerSite, kamailio, '3402', 'Supervisor');
    await answeredCall(page, desk, kamailio, customerSite, customer);

    await page.getByTestId('call-transfer').click();
    await page.getByTestId('transfer-target').fill('3402');
    await page.getByTestId('transfer-consult').click();
    await expect.poll(() => colleague.state()).toBe('ringing');
    expect((await colleague.incoming()).from).toBe(AGENT_EXTENSION);
    // The customer is on hold while the agent consults.
    expect((await mediaDelta(() => customer.stats())).packetsSent).toBe(0);
    await colleague.answer();
    await expect(page.getByTestId('transfer-complete')).toBeEnabled();
    expect((await mediaDelta(() => agentStats(page))).bytesReceived).toBeGreaterThan(1000);

    await page.getByTestId('transfer-complete').click();
    await expect(page.getByTestId('call-controls')).toHaveCount(0);
    await customer.waitEstablished();
    await colleague.waitEstablished();
    await expectTalking(customer, colleague);
    await customer.hangUp();
    await expect.poll(() => colleague.state()).toBe('ended');
    await customer.close();
    await colleague.close();
  });

  test('call waiting: a second call rings during the first; answering it holds the first', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    const first = await Customer.open(callerContext, customerSite, kamailio, '3501', 'First caller');
    const second = await Customer.open(callerContext, customerSite, kamailio, '3502', 'Second caller');
    await answeredCall(page, desk, kamailio, customerSite, first);

    await second.call(AGENT_EXTENSION);
    await expect(page.getByTestId('incoming-call')).toBeVisible();
    await expect(page.getByTestId('incoming-caller-name')).toHaveText('Second caller');
    await expect(page.getByTestId('incoming-answer')).toContainText('保持并接听');
    await page.getByTestId('incoming-answer').click();
    await second.waitEstablished();

    const held = await mediaDelta(() => first.stats());
    expect(held.after.remoteSdpDirection).toBe('sendonly');
    expect(held.packetsSent).toBe(0);
    await expect(page.getByTestId('call-caller')).toHaveText('Second caller');
    expect((await mediaDelta(() => second.stats())).bytesReceived).toBeGreaterThan(1000);

    await page.getByTestId('call-hangup').click();
    await expect.poll(() => second.state()).toBe('ended');
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'held');
    await expect(page.getByTestId('call-caller')).toHaveText('First caller');
    await page.getByTestId('call-hold').click();
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'active');
    const resumed = await mediaDelta(() => first.stats());
    expect(resumed.packetsSent).toBeGreaterThan(20);
    await first.hangUp();
    await first.close();
    await second.close();
  });
});
