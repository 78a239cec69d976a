import type { Page } from '@playwright/test';
import type { OrderChanged } from '../../src/shared/contract';
import type { VisibleOrder } from '../../src/shared/visibility';
import { snap } from './agent-desk-phone';
import { expect, test } from './fixtures';
import { GatewayProbe } from './gateway-probe';

/** Signs in with the demo user, finds the order by its number and opens it. */
async function openOrder(page: Page, deskUrl: string, order: VisibleOrder): Promise<void> {
  await page.goto(deskUrl);
  await page.getByTestId('login-demo').click();
  const search = page.getByTestId('order-search-input');
  await search.fill(order.displayNumber);
  await search.press('Enter');
  await page.locator(`[data-testid="order-result-row"][data-order-id="${order.id}"]`).click();
  await expect(page.getByTestId('order-detail')).toHaveAttribute('data-version', String(order.version));
  await expect(page.getByTestId('action-bar')).toHaveAttribute('data-state', 'ready');
}

/** Records the page's `order.changed` events (what the event stream delivered). */
async function recordOrderChanges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const scope = globalThis as unknown as {
      agentDesk: { on(event: string, listener: (payload: unknown) => void): () => void };
      orderChanges: unknown[];
    };
    scope.orderChanges = [];
    scope.agentDesk.on('order.changed', (payload) => scope.orderChanges.push(payload));
  });
}

const orderChanges = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { orderChanges: OrderChanged[] }).orderChanges);

test.describe('order actions', () => {
  test('a refund within the limit: the quote first, then the order changes on the gateway and the event reaches the panel', async ({
    page,
    desk,
    gw,
  }, testInfo) => {
    const probe = await GatewayProbe.open(gw.wsUrl);
    const order = await probe.findOrder(
      ['delivered', 'completed'],
      (actions) => actions.get('refund')!.allowed && !actions.get('refund')!.needsApproval,
      3,
    );
    await openOrder(page, desk.url, order);
    await recordOrderChanges(page);

    await page.getByTestId('action-refund').click();
    await expect(page.getByTestId('quote-preview')).toHaveAttribute('data-state', 'ready');
    await expect(page.getByTestId('quote-total')).not.toBeEmpty();
    await snap(page, testInfo, 'refund-dialog-zh-CN');
    await page.getByTestId('action-reason').fill('商品有划痕');
    await page.getByTestId('action-confirm').click();
    await expect(page.getByTestId('action-dialog')).toHaveCount(0);

    const after = await probe.order(order.id);
    expect(after.version).toBeGreaterThan(order.version);
    expect(after.payment.status).not.toBe(order.payment.status);
    await expect
      .poll(async () => (await orderChanges(page)).map((change) => change.order.id))
      .toContain(order.id);
    await expect(page.getByTestId('order-detail')).toHaveAttribute('data-version', String(after.version));
    await probe.close();
  });

  test('a change by another desk reaches the open panel from the event stream', async ({
    page,
    desk,
    gw,
  }) => {
    const probe = await GatewayProbe.open(gw.wsUrl);
    const order = await probe.findOrder(['paid', 'fulfilling'], () => true, 2);
    await openOrder(page, desk.url, order);

    const changed = await probe.addNote(order, 'Customer will call back at 6 pm');
    await expect(page.getByTestId('order-detail')).toHaveAttribute('data-version', String(changed.version));
    await page.getByRole('tab', { name: '记录' }).click();
    await expect(page.getByTestId('order-notes')).toContainText('Customer will call back at 6 pm');
    await probe.close();
  });

  test('a disallowed action says why and what to do instead', async ({ page, desk, gw }, testInfo) => {
    const probe = await GatewayProbe.open(gw.wsUrl);
    const order = await probe.findOrder(
      ['paid', 'fulfilling'],
      (actions) => !actions.get('return')!.allowed,
      3,
    );
    await probe.close();
    await openOrder(page, desk.url, order);

    await expect(page.getByTestId('action-return')).toBeDisabled();
    await page.getByTestId('action-return-wrapper').hover();
    const why = page.getByTestId('action-why-return');
    await expect(why.locator('[data-code="NOT_DELIVERED"]')).toContainText('签收后才能退换货');
    await expect(why.locator('[data-code="CANCEL_ORDER"]')).toContainText('改为取消订单');
    await snap(page, testInfo, 'disallowed-action-zh-CN');
  });

  test('a concurrent edit produces the conflict dialog with the current data', async ({
    page,
    desk,
    gw,
  }, testInfo) => {
    const probe = await GatewayProbe.open(gw.wsUrl);
    const order = await probe.findOrder(
      ['paid', 'fulfilling'],
      (actions) => actions.get('address_change')!.allowed,
      4,
    );
    await openOrder(page, desk.url, order);

    await page.getByTestId('action-address_change').click();
    // Frontline sees the recipient and street masked, so the form starts with them empty: the
    // agent takes the new address down in full and never sends a masked value back.
    await expect(page.getByTestId('address-line1')).toHaveValue('');
    await page.getByTestId('address-name').fill('王芳');
    await page.getByTestId('address-phone').fill('+8613900001111');
    await page.getByTestId('address-line1').fill('淮海中路 999 号');
    await page.getByTestId('address-postalCode').fill('200031');
    // Another agent changes the order while this one is still typing.
    const changed = await probe.addNote(order, 'Address confirmed by phone');
    await expect(page.getByTestId('order-detail')).toHaveAttribute('data-version', String(changed.version));
    await page.getByTestId('action-confirm').click();

    const conflict = page.getByTestId('conflict-dialog');
    await expect(conflict).toHaveAttribute('data-version', String(changed.version));
    await expect(page.getByTestId('conflict-last-note')).toContainText('Address confirmed by phone');
    await snap(page, testInfo, 'conflict-dialog-zh-CN');
    await page.getByTestId('conflict-reload').click();
    await expect(conflict).toHaveCount(0);
    // Nothing was applied: the gateway still has the other agent's version.
    expect((await probe.order(order.id)).version).toBe(changed.version);
    await probe.close();
  });
});
