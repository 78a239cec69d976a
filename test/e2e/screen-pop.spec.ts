import { maskName } from '../../src/shared/visibility';
import { AGENT_EXTENSION, configurePhone, openAgentDesk, snap } from './agent-desk-phone';
import { Customer } from './customer/customer';
import { expect, test } from './fixtures';
import { GatewayProbe } from './gateway-probe';

/** Screen pop through real SIP calls (Kamailio) against the real seeded gateway. */
test.describe('screen pop', () => {
  test('a call carrying X-Order-Id pops that order while ringing', async ({
    page,
    callerContext,
    desk,
    gw,
    kamailio,
    customerSite,
  }, testInfo) => {
    const probe = await GatewayProbe.open(gw.wsUrl);
    const named = await probe.findOrder(['shipped', 'delivered'], () => true, 2);
    await probe.close();
    await configurePhone(desk, kamailio);
    await openAgentDesk(page, desk, customerSite);
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3001', 'Wang Fang');

    await customer.call(AGENT_EXTENSION, { 'X-Order-Id': named.displayNumber });
    const card = page.getByTestId('incoming-pop-order');
    await expect(card).toHaveAttribute('data-order-id', named.id);
    await expect(card.locator('[data-code="ORDER_NUMBER_FROM_IVR"]')).toContainText(named.displayNumber);
    await expect(page.getByTestId('incoming-customer-name')).toHaveText(maskName(named.customer.name));
    // The workspace behind the toast is already on the order, and the call still rings.
    await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', named.id);
    await expect(page.getByTestId('incoming-call')).toBeVisible();
    await snap(page, testInfo, 'ringing-toast-pop-zh-CN');
    await page.getByTestId('lang-en').click();
    await expect(card.locator('[data-code="ORDER_NUMBER_FROM_IVR"]')).toContainText('given in the IVR');
    await snap(page, testInfo, 'ringing-toast-pop-en');

    await page.getByTestId('incoming-decline').click();
    await expect(page.getByTestId('incoming-call')).toHaveCount(0);
    await customer.close();
  });

  test('a known number whose customer has an open return ranks that order first, with the reason', async ({
    page,
    callerContext,
    desk,
    gw,
    kamailio,
    customerSite,
  }, testInfo) => {
    const probe = await GatewayProbe.open(gw.wsUrl);
    const delivered = await probe.findOrder(['delivered'], (actions) => actions.get('return')!.allowed, 0);
    const returning = await probe.startReturn(delivered);
    await probe.close();
    await configurePhone(desk, kamailio);
    await openAgentDesk(page, desk, customerSite);
    // The caller's phone sends its national number; the desk normalises it to E.164.
    // startReturn answers the order as the probe's role sees it (masked): dial the revealed number.
    const nationalNumber = delivered.customer.phone.replace(/^\+86/, '');
    const customer = await Customer.open(callerContext, customerSite, kamailio, nationalNumber, '');

    await customer.call(AGENT_EXTENSION);
    const card = page.getByTestId('incoming-pop-order');
    await expect(card).toHaveAttribute('data-order-id', returning.id);
    await expect(card.locator('[data-code="OPEN_AFTER_SALES_CASE"]')).toContainText('退货');
    await expect(page.getByTestId('caller-card')).toHaveAttribute('data-state', 'known');
    // The desk shows the caller's name as the frontline role receives it (masked).
    await expect(page.getByTestId('caller-name')).toHaveText(maskName(delivered.customer.name));
    await expect(page.getByTestId('caller-order').first()).toHaveAttribute('data-order-id', returning.id);
    await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', returning.id);

    await page.getByTestId('incoming-decline').click();
    await expect(page.getByTestId('incoming-call')).toHaveCount(0);
    await snap(page, testInfo, 'workspace-zh-CN');
    await page.getByTestId('lang-en').click();
    await expect(
      page.getByTestId('caller-order').first().locator('[data-code="OPEN_AFTER_SALES_CASE"]'),
    ).toContainText('Open return case');
    await snap(page, testInfo, 'workspace-en');
    await customer.close();
  });

  test('an unknown number gets the search pre-filled with it, never a made-up contact', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    await configurePhone(desk, kamailio);
    await openAgentDesk(page, desk, customerSite);
    const customer = await Customer.open(callerContext, customerSite, kamailio, '13900000000', '');

    await customer.call(AGENT_EXTENSION);
    await expect(page.getByTestId('incoming-pop-unknown')).toBeVisible();
    await expect(page.getByTestId('incoming-pop-order')).toHaveCount(0);
    await expect(page.getByTestId('order-search-input')).toHaveValue('+8613900000000');
    await expect(page.getByTestId('caller-card')).toHaveAttribute('data-state', 'unknown');
    await expect(page.getByTestId('caller-name')).toHaveCount(0);

    await page.getByTestId('incoming-decline').click();
    await customer.close();
  });
});
