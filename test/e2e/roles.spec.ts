import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../src/shared/demo';
import type { OrderStatus, Role } from '../../src/shared/domain';
import { defaultRoleView } from '../../src/shared/role-views';
import { startHarness, type Harness } from '../harness/host';
import { snap } from './agent-desk-phone';
import { expect, test, type GatewayFixture } from './fixtures';
import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import type { ActionType, AllowedAction } from '../../src/shared/rules/types';

const root = resolve(import.meta.dirname, '../..');

const USERNAMES: Record<Role, string> = {
  frontline: 'frontline',
  logistics: 'logistics',
  after_sales: 'aftersales',
  supervisor: 'supervisor',
  admin: 'admin',
};

interface Desk {
  page: Page;
  close: () => Promise<void>;
}

/** A second (third, ...) desk: its own harness and data folder, signed in as `role`. */
async function deskAs(
  browser: Browser,
  gw: GatewayFixture,
  role: Role,
  language: 'en' | 'zh-CN',
): Promise<Desk> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-desk-e2e-roles-'));
  const harness: Harness = await startHarness({
    rendererDir: join(root, 'out', 'renderer'),
    dataDir: dir,
    defaultGatewayUrl: gw.wsUrl,
    demoGatewayUrl: gw.wsUrl,
    defaultLanguage: language,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(harness.url);
  await page.getByTestId('login-username').fill(USERNAMES[role]);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('order-search-input')).toBeVisible();
  return {
    page,
    close: async () => {
      await context.close();
      await harness.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A client of the real gateway signed in as `username`, as another desk would be. */
async function clientAs(wsUrl: string, username: string): Promise<GatewayClient> {
  const client = new GatewayClient({ url: wsUrl, client: { name: 'e2e-roles', version: '0' } });
  client.start();
  await client.waitOnline(5000);
  await client.request('auth.login', { username, password: DEMO_PASSWORD });
  return client;
}

type Fits = (actions: Map<ActionType, AllowedAction>) => boolean;

/** The newest orders (of the statuses) whose frontline actions pass `fits`, skipping `skip` of them. */
async function findOrder(
  wsUrl: string,
  statuses: OrderStatus[],
  fits: Fits,
  skip: number,
): Promise<{ id: string; displayNumber: string }> {
  const client = await clientAs(wsUrl, 'frontline');
  try {
    const { items } = await client.request('orders.search', { text: '', statuses, limit: 100 });
    let skipped = 0;
    for (const summary of items) {
      const { actions } = await client.request('orders.allowedActions', { orderId: summary.id });
      if (!fits(new Map(actions.map((action) => [action.action, action])))) continue;
      if (skipped++ < skip) continue;
      return { id: summary.id, displayNumber: summary.displayNumber };
    }
    throw new Error(`No ${statuses.join('/')} order fits`);
  } finally {
    await client.stop();
  }
}

const any: Fits = () => true;
const overCeiling: Fits = (actions) =>
  !!actions.get('refund')?.allowed && !!actions.get('refund')?.needsApproval;

async function openOrder(
  page: Page,
  order: { id: string; displayNumber: string },
  role: Role,
): Promise<void> {
  // The first (empty) search lists the newest orders; type once it has answered.
  await expect(page.getByTestId('order-result-row').first()).toBeVisible();
  if (defaultRoleView(role).layout.defaultFilters.statuses) {
    // The role's default statuses pre-fill the first search; this order may have another one.
    await page.getByTestId('search-filters-clear').click();
  }
  const search = page.getByTestId('order-search-input');
  await search.fill(order.displayNumber);
  await search.press('Enter');
  await page.locator(`[data-testid="order-result-row"][data-order-id="${order.id}"]`).click();
  await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', order.id);
}

const tabIds = (page: Page) =>
  page
    .locator('.order-detail-tabs [data-testid^="panel-tab-"]')
    .evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-testid')!.replace('panel-tab-', '')));

test.describe('roles, views and approvals', () => {
  test("each role's workspace shows its layout for the same order", async ({ browser, gw }, testInfo) => {
    test.setTimeout(180_000); // seven desks, one after the other
    const order = await findOrder(gw.wsUrl, ['shipped'], any, 5);
    const runs: Array<[Role, 'en' | 'zh-CN']> = [
      ['frontline', 'en'],
      ['frontline', 'zh-CN'],
      ['logistics', 'en'],
      ['after_sales', 'en'],
      ['supervisor', 'en'],
      ['admin', 'en'],
      ['admin', 'zh-CN'],
    ];
    for (const [role, language] of runs) {
      const desk = await deskAs(browser, gw, role, language);
      await openOrder(desk.page, order, role);
      const expectedFirst = defaultRoleView(role).layout.panels.find((panel) => panel.visible)!.id;
      expect((await tabIds(desk.page))[0]).toBe(expectedFirst);
      await expect(desk.page.locator('.ant-tabs-tab-active [data-testid^="panel-tab-"]')).toHaveAttribute(
        'data-testid',
        `panel-tab-${defaultRoleView(role).layout.defaultPanel}`,
      );
      if (defaultRoleView(role).layout.defaultPanel === 'overview') {
        // Nobody receives a full phone number by default.
        await expect(desk.page.getByTestId('field-customer.phone')).toHaveAttribute('data-state', 'masked');
      }
      await desk.page.mouse.move(0, 0);
      await snap(desk.page, testInfo, `role-${role}-${language}`);
      await desk.close();
    }
  });

  test('the admin changes the logistics view and a logistics agent sees it live', async ({
    browser,
    gw,
  }, testInfo) => {
    const order = await findOrder(gw.wsUrl, ['shipped'], any, 6);
    const logistics = await deskAs(browser, gw, 'logistics', 'zh-CN');
    const admin = await deskAs(browser, gw, 'admin', 'en');
    try {
      await openOrder(logistics.page, order, 'logistics');
      expect(await tabIds(logistics.page)).toEqual([
        'logistics',
        'overview',
        'items',
        'history',
        'otherOrders',
      ]);

      await admin.page.getByTestId('rail-view-editor').click();
      await expect(admin.page.getByTestId('editor-panels')).toBeVisible();
      // Keyboard: tick off "items" and move "history" to the top with the arrow buttons.
      await admin.page.getByTestId('editor-panels-items-visible').focus();
      await admin.page.keyboard.press('Space');
      for (let step = 0; step < 3; step += 1) {
        await admin.page.getByTestId('editor-panels-history-up').focus();
        await admin.page.keyboard.press('Enter');
      }
      await expect(
        admin.page.getByTestId('editor-preview').locator('[data-testid^="panel-tab-"]').first(),
      ).toHaveAttribute('data-testid', 'panel-tab-history');
      await admin.page.mouse.move(640, 790);
      await expect(admin.page.locator('.ant-tooltip:visible')).toHaveCount(0);
      await snap(admin.page, testInfo, 'view-editor-en');
      await admin.page.getByTestId('editor-save').click();
      await expect(admin.page.getByTestId('view-editor')).toContainText('Version 1');

      await expect
        .poll(() => tabIds(logistics.page))
        .toEqual(['history', 'logistics', 'overview', 'otherOrders']);
      await snap(logistics.page, testInfo, 'role-logistics-after-change-zh-CN');
    } finally {
      // Put the default back for the other tests on this worker's gateway.
      const adminClient = await clientAs(gw.wsUrl, 'admin');
      const current = await adminClient.request('views.get', { role: 'logistics' });
      await adminClient.request('views.save', {
        role: 'logistics',
        expectedVersion: current.version,
        layout: defaultRoleView('logistics').layout,
      });
      await adminClient.stop();
      await logistics.close();
      await admin.close();
    }
  });

  test('a frontline agent reveals a masked phone with a reason', async ({ browser, gw }, testInfo) => {
    const order = await findOrder(gw.wsUrl, ['delivered', 'shipped'], any, 7);
    const frontline = await deskAs(browser, gw, 'frontline', 'en');
    try {
      await openOrder(frontline.page, order, 'frontline');
      const phone = frontline.page.getByTestId('field-customer.phone');
      await expect(phone).toHaveAttribute('data-state', 'masked');
      await expect(phone).toContainText('*');
      await phone.getByTestId('reveal-customer.phone').click();
      await frontline.page.getByTestId('reveal-reason').fill('Customer asks to be called back');
      await snap(frontline.page, testInfo, 'reveal-dialog-en');
      await frontline.page.getByTestId('reveal-confirm').click();
      await expect(phone).toHaveAttribute('data-state', 'revealed');
      await expect(phone).not.toContainText('*');
      await expect(phone).toContainText(/\d{4}/);
    } finally {
      await frontline.close();
    }
  });

  test('refunds over the ceiling go to the supervisor; approval completes one, rejection tells the reason', async ({
    browser,
    gw,
  }, testInfo) => {
    const first = await findOrder(gw.wsUrl, ['delivered', 'completed'], overCeiling, 0);
    const second = await findOrder(gw.wsUrl, ['delivered', 'completed'], overCeiling, 1);
    const frontline = await deskAs(browser, gw, 'frontline', 'en');
    const supervisor = await deskAs(browser, gw, 'supervisor', 'en');
    try {
      for (const order of [first, second]) {
        await openOrder(frontline.page, order, 'frontline');
        await expect(frontline.page.getByTestId('action-bar')).toHaveAttribute('data-state', 'ready');
        await frontline.page.getByTestId('action-refund').click();
        await expect(frontline.page.getByTestId('quote-preview')).toHaveAttribute('data-state', 'ready');
        await frontline.page.getByTestId('action-reason').fill('Arrived broken');
        await frontline.page.getByTestId('action-confirm').click();
        await expect(frontline.page.getByTestId('action-dialog')).toHaveCount(0);
      }

      await supervisor.page.getByTestId('rail-approvals').click();
      const firstRow = supervisor.page.locator('[data-status="pending"]', { hasText: first.displayNumber });
      const secondRow = supervisor.page.locator('[data-status="pending"]', { hasText: second.displayNumber });
      await expect(firstRow).toBeVisible();
      await expect(secondRow).toBeVisible();
      await expect(firstRow).toContainText('Lin Xiaoyu');
      await supervisor.page.mouse.move(640, 790);
      await snap(supervisor.page, testInfo, 'approval-queue-en');

      // Approve the first: the agent is told and the open order follows the event stream.
      await openOrder(frontline.page, first, 'frontline');
      const versionBefore = Number(
        await frontline.page.getByTestId('order-detail').getAttribute('data-version'),
      );
      await firstRow.getByRole('button', { name: 'Approve' }).click();
      await expect(
        frontline.page.getByText(new RegExp(`on order ${first.displayNumber} approved by`)),
      ).toBeVisible();
      await expect
        .poll(async () =>
          Number(await frontline.page.getByTestId('order-detail').getAttribute('data-version')),
        )
        .toBeGreaterThan(versionBefore);

      // Reject the second with a reason: the agent reads the reason.
      await secondRow.getByRole('button', { name: 'Reject' }).click();
      await supervisor.page.getByTestId('reject-reason').fill('Ask the customer for photos first');
      await supervisor.page.getByTestId('reject-confirm').click();
      await expect(
        supervisor.page.locator('[data-status="rejected"]', { hasText: second.displayNumber }),
      ).toBeVisible();
      await expect(frontline.page.getByText('Ask the customer for photos first')).toBeVisible();
      const notice = frontline.page.locator('.ant-notification-notice', {
        hasText: 'Ask the customer for photos first',
      });
      await expect
        .poll(() =>
          notice.evaluate((element) => {
            // The toast fades in on a wrapper: wait until nothing above it is still transparent.
            interface Node {
              parentElement: Node | null;
            }
            const view = globalThis as unknown as { getComputedStyle(node: Node): { opacity: string } };
            let opacity = 1;
            for (let node: Node | null = element as unknown as Node; node; node = node.parentElement) {
              opacity *= Number(view.getComputedStyle(node).opacity);
            }
            return opacity;
          }),
        )
        .toBe(1);
      await frontline.page.mouse.move(640, 790);
      await snap(frontline.page, testInfo, 'approval-outcome-en');
      await snap(supervisor.page, testInfo, 'approval-queue-decided-en');
    } finally {
      await frontline.close();
      await supervisor.close();
    }
  });

  test('the supervisor sees the team with states', async ({ browser, gw }, testInfo) => {
    const frontline = await deskAs(browser, gw, 'frontline', 'en');
    const supervisor = await deskAs(browser, gw, 'supervisor', 'zh-CN');
    try {
      await supervisor.page.getByTestId('rail-team').click();
      const row = supervisor.page.locator('[data-testid^="team-member-"]', { hasText: '林小雨' });
      await expect(row).toBeVisible();
      await expect(row).toContainText('林小雨');
      await supervisor.page.mouse.move(640, 790);
      await snap(supervisor.page, testInfo, 'team-view-zh-CN');
    } finally {
      await frontline.close();
      await supervisor.close();
    }
  });
});
