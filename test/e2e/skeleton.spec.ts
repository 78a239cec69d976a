import type { Page, TestInfo } from '@playwright/test';
import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import type { AgentDeskBridge } from '../../src/shared/contract';
import type { VisibleOrderSummary } from '../../src/shared/visibility';
import { DEMO_LOGIN } from '../../src/shared/demo';
import { expect, test } from './fixtures';

/** A real order from the seeded gateway, fetched over the real protocol. */
async function pickOrder(wsUrl: string, index: number): Promise<VisibleOrderSummary> {
  const probe = new GatewayClient({ url: wsUrl, client: { name: 'e2e-probe', version: '0' } });
  probe.start();
  try {
    await probe.waitOnline(5000);
    await probe.request('auth.login', DEMO_LOGIN);
    const { items } = await probe.request('orders.search', { text: '', limit: 20 });
    return items[index]!;
  } finally {
    await probe.stop();
  }
}

async function snap(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function signIn(page: Page, username: string, password: string) {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

test('an agent signs in, finds an order by number and by phone digits, and opens it', async ({
  page,
  desk,
  gw,
}, testInfo) => {
  const target = await pickOrder(gw.wsUrl, 3);

  await page.goto(desk.url);
  await expect(page.getByTestId('login-gateway-url')).toHaveValue(gw.wsUrl);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await snap(page, testInfo, 'login-zh-CN');

  await signIn(page, DEMO_LOGIN.username, DEMO_LOGIN.password);
  await expect(page.getByTestId('topbar-agent-name')).toContainText('林小雨');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');

  // A 5-character substring from inside the order number.
  const numberPart = target.displayNumber.slice(-6, -1);
  const search = page.getByTestId('order-search-input');
  await search.fill(numberPart);
  await search.press('Enter');
  const byNumber = page.locator(`[data-testid="order-result-row"][data-order-id="${target.id}"]`);
  await expect(byNumber).toBeVisible();
  for (const text of await page.getByTestId('order-result-row').allInnerTexts()) {
    expect(text).toContain(numberPart);
  }
  await byNumber.click();
  await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', target.id);
  await expect(page.getByTestId('order-detail-number')).toHaveText(target.displayNumber);
  await snap(page, testInfo, 'workspace-zh-CN');

  // The last four digits of the customer's phone (the masked phone frontline receives keeps them).
  const phoneTail = target.customerPhone!.replace(/\D/g, '').slice(-4);
  await search.fill(phoneTail);
  await search.press('Enter');
  const byPhone = page.locator(`[data-testid="order-result-row"][data-order-id="${target.id}"]`);
  await expect(byPhone).toBeVisible();
  await byPhone.click();
  await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', target.id);

  await page.getByTestId('lang-en').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('logout')).toContainText(/sign out/i);
  await snap(page, testInfo, 'workspace-en');

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-submit')).toBeVisible();
  await snap(page, testInfo, 'login-en');
});

test('a wrong password is refused with a translated message and nothing is lost', async ({ page, desk }) => {
  await page.goto(desk.url);
  await page.getByTestId('lang-en').click();
  await signIn(page, 'frontline', 'not-the-password');
  await expect(page.getByTestId('login-error')).toContainText(/user name or password/i);
  await expect(page.getByTestId('login-username')).toHaveValue('frontline');
});

test('the demo sign-in opens the workspace, and Ctrl+K focuses search', async ({ page, desk }) => {
  await page.goto(desk.url);
  await page.getByTestId('login-demo').click();
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online');
  await page.locator('body').click();
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('order-search-input')).toBeFocused();
});

test('the harness refuses a bridge connection without the launch token', async ({ page, desk }) => {
  await page.goto(desk.origin + '/');
  const refused = await page.evaluate(async () => {
    const { agentDesk } = globalThis as unknown as { agentDesk: AgentDeskBridge };
    const envelope = await agentDesk.settings.get();
    return envelope.ok ? null : envelope.error.code;
  });
  expect(refused).toBe('INTERNAL');
});
