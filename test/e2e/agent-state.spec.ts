import { Customer } from './customer/customer';
import { AGENT_EXTENSION, configurePhone, openAgentDesk, snap } from './agent-desk-phone';
import { expect, test } from './fixtures';

test.describe('agent state', () => {
  test('after a call the agent is in after-call work and leaves it early only with a disposition', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }, testInfo) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 120, rejectCode: 486 } });
    await openAgentDesk(page, desk, customerSite);
    await expect.poll(() => desk.services.agentState.current?.state).toBe('available');
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3201', 'Li Na');
    await customer.call(AGENT_EXTENSION, { 'X-Order-Id': 'AD-2611-000924' });
    await page.getByTestId('incoming-answer').click();
    await customer.waitEstablished();
    await expect.poll(() => desk.services.agentState.current?.state).toBe('on_call');
    await page.waitForTimeout(1100);
    await page.getByTestId('call-hangup').click();

    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'after_call_work');
    await expect(page.getByTestId('acw-bar')).toBeVisible();
    await expect(page.getByTestId('acw-countdown').first()).toHaveText(/^0[12]:[0-5]\d$/);
    await expect.poll(() => desk.services.agentState.current?.state).toBe('after_call_work');
    await snap(page, testInfo, 'acw-zh-CN');

    // Picking "available" is refused while a disposition is missing.
    await page.getByTestId('agent-state').click();
    await page.getByRole('menuitem', { name: '空闲' }).click();
    await expect(page.getByText('请选择通话结果以结束话后处理').first()).toBeVisible();
    await page.getByTestId('acw-finish').click();
    await expect(page.getByTestId('acw-error')).toBeVisible();
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'after_call_work');

    await page.getByTestId('lang-en').click();
    await snap(page, testInfo, 'acw-en');
    await page.getByTestId('acw-disposition').click();
    await page.getByTitle('Needs follow-up').click();
    await page.getByTestId('acw-note').fill('Customer sends photos of the damaged item');
    await page.getByTestId('acw-finish').click();
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'available');
    await expect(page.getByTestId('acw-bar')).toHaveCount(0);
    await expect.poll(() => desk.services.agentState.current?.state).toBe('available');

    const [row] = desk.services.callHistory.recent(1);
    expect(row).toMatchObject({
      direction: 'inbound',
      number: '3201',
      name: 'Li Na',
      outcome: 'answered',
      orderId: 'AD-2611-000924',
      disposition: 'follow_up',
      note: 'Customer sends photos of the damaged item',
    });
    expect(row!.durationSeconds).toBeGreaterThanOrEqual(1);
    await customer.close();
  });

  test('the after-call-work timer makes the agent available on its own', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 2 } });
    await openAgentDesk(page, desk, customerSite);
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3202');
    await customer.call(AGENT_EXTENSION);
    await page.getByTestId('incoming-answer').click();
    await customer.waitEstablished();
    await customer.hangUp();
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'after_call_work');
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'available', {
      timeout: 4000,
    });
    expect(desk.services.callHistory.recent(1)[0]).toMatchObject({ outcome: 'answered', disposition: null });
    await customer.close();
  });

  test('while away, calls are refused with the configured SIP code and nothing rings', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0, rejectCode: 603 } });
    await openAgentDesk(page, desk, customerSite);
    await page.getByTestId('lang-en').click();
    await page.getByTestId('agent-state').click();
    await page.getByRole('menuitem', { name: 'Away' }).hover();
    await page.getByRole('menuitem', { name: 'Lunch' }).click();
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'away');
    await expect
      .poll(() => desk.services.agentState.current)
      .toMatchObject({ state: 'away', reason: 'lunch' });

    const customer = await Customer.open(callerContext, customerSite, kamailio, '3203');
    await customer.call(AGENT_EXTENSION);
    await expect.poll(() => customer.log()).toContain('rejected 603');
    await expect(page.getByTestId('incoming-call')).toHaveCount(0);
    await expect.poll(() => desk.services.callHistory.recent(1)[0]?.outcome).toBe('rejected');

    await page.getByTestId('agent-state').click();
    await page.getByRole('menuitem', { name: 'Available' }).click();
    await expect(page.getByTestId('agent-state')).toHaveAttribute('data-state', 'available');
    await customer.call(AGENT_EXTENSION);
    await expect(page.getByTestId('incoming-call')).toBeVisible();
    await customer.hangUp();
    await customer.close();
  });
});
