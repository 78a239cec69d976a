import type { VisibleOrder } from '../../src/shared/visibility';
import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import { DEMO_LOGIN } from '../../src/shared/demo';
import { AGENT_EXTENSION, configurePhone, openAgentDesk, snap } from './agent-desk-phone';
import { Customer } from './customer/customer';
import { expect, test } from './fixtures';
import { GatewayProbe } from './gateway-probe';

/** A delivered order whose first item comes in sizes or colours, with the exchange allowed. */
async function exchangeableOrder(probe: GatewayProbe, wsUrl: string): Promise<VisibleOrder> {
  const client = new GatewayClient({ url: wsUrl, client: { name: 'e2e-wrap-up', version: '0' } });
  client.start();
  try {
    await client.waitOnline(5000);
    await client.request('auth.login', DEMO_LOGIN);
    const { items } = await client.request('orders.search', {
      text: '',
      statuses: ['delivered'],
      limit: 100,
    });
    for (const summary of items) {
      const order = await probe.order(summary.id);
      if (!/^(AP|EL|SP)-/.test(order.items[0]?.sku ?? '')) continue;
      const { actions } = await client.request('orders.allowedActions', { orderId: order.id });
      if (actions.some((action) => action.action === 'exchange' && action.allowed)) return order;
    }
    throw new Error('No delivered order with variants can be exchanged');
  } finally {
    await client.stop();
  }
}

/**
 * Wrap-up through a real SIP call (Kamailio) against the real seeded gateway: the actions taken
 * during the call are linked to it on the gateway and in the desk's call record, the wrap-up is
 * prefilled from the call and saved with it, and the exchange offers the catalogue's variants.
 */
test('a call: open the order, add a note, exchange for a variant, wrap up, see it in the history', async ({
  page,
  callerContext,
  desk,
  gw,
  kamailio,
  customerSite,
}, testInfo) => {
  test.setTimeout(180_000);
  const probe = await GatewayProbe.open(gw.wsUrl);
  // A delivered order with a sized or coloured item, so the exchange has variants to offer.
  const order = await exchangeableOrder(probe, gw.wsUrl);
  await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 300 } });
  await openAgentDesk(page, desk, customerSite);
  const customer = await Customer.open(callerContext, customerSite, kamailio, '3005', 'Li Lei');

  await customer.call(AGENT_EXTENSION, { 'X-Order-Id': order.displayNumber });
  // Generous: the first screen pop of a fresh desk loads the renderer's lazy paths on a busy CI box.
  await expect(page.getByTestId('incoming-pop-order')).toHaveAttribute('data-order-id', order.id, {
    timeout: 30_000,
  });
  await page.getByTestId('incoming-answer').click();
  await expect(page.getByTestId('call-controls')).toBeVisible();
  await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', order.id);
  await expect(page.getByTestId('action-bar')).toHaveAttribute('data-state', 'ready');

  // A note during the call.
  await page.getByTestId('action-note').click();
  await page.getByTestId('action-note-text').fill('客户会补发照片');
  await page.getByTestId('action-confirm').click();
  await expect(page.getByTestId('action-dialog')).toHaveCount(0);

  // The exchange: the replacement is picked from the item's variants, not typed.
  await page.getByTestId('action-exchange').click();
  const dialog = page.getByTestId('action-dialog');
  const replacement = dialog.locator('.item-picker-replacement').first();
  await expect(replacement).toContainText('同款');
  await snap(page, testInfo, 'exchange-dialog-zh-CN');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.getByTestId('lang-en').click();
  await page.getByTestId('action-exchange').click();
  await expect(replacement).toContainText('Same item');
  await replacement.click();
  const variant = page.locator('.ant-select-dropdown:visible .ant-select-item-option').nth(1);
  const variantTitle = (await variant.getAttribute('title'))!;
  await variant.click();
  await expect(replacement).toContainText(variantTitle);
  await dialog.getByTestId('action-reason').fill('Wrong size');
  await snap(page, testInfo, 'exchange-dialog-en');
  await page.getByTestId('action-confirm').click();
  await expect(dialog).toHaveCount(0);

  // The customer hangs up: after-call work with the summary prefilled from the call.
  await customer.hangUp();
  const bar = page.getByTestId('acw-bar');
  await expect(bar).toBeVisible();
  await expect(bar.getByTestId('acw-summary-orders')).toContainText(order.displayNumber);
  const actions = bar.getByTestId('acw-summary-actions');
  await expect(actions).toContainText(`Add note · ${order.displayNumber} · done`);
  await expect(actions).toContainText(`Exchange · ${order.displayNumber} · done`);
  await snap(page, testInfo, 'wrapup-en');
  await page.getByTestId('lang-zh-CN').click();
  await expect(actions).toContainText(`添加备注 · ${order.displayNumber} · 已完成`);
  await snap(page, testInfo, 'wrapup-zh-CN');

  // Disposition by keyboard, a short note, Enter saves.
  await bar.locator('.ant-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="已解决"]').click();
  await bar.getByTestId('acw-note').fill('照片到后安排换货');
  await bar.getByTestId('acw-note').press('Enter');
  await expect(bar).toHaveCount(0);

  // The call history shows the summary.
  await page.getByTestId('rail-call-history').click();
  const summary = page.getByTestId('call-summary').first();
  await expect(summary.getByTestId('call-summary-orders')).toContainText(order.displayNumber);
  await expect(summary.getByTestId('call-summary-actions')).toContainText('添加备注');
  await expect(summary.getByTestId('call-summary-note')).toHaveText('照片到后安排换货');

  // On the gateway the note carries the call's id, and the order's history says so.
  const stored = await probe.order(order.id);
  const note = stored.notes?.at(-1);
  expect(note).toMatchObject({ text: '客户会补发照片' });
  expect(note?.interactionId).toBeTruthy();
  const exchangeEntry = stored.timeline.at(-1);
  expect(exchangeEntry?.interactionId).toBe(note?.interactionId);
  await probe.close();
  await page.getByTestId('rail-workspace').click();
  await page.getByRole('tab', { name: '记录' }).click();
  const during = page.getByTestId('during-call').first();
  await expect(during).toHaveAttribute('data-interaction-id', note!.interactionId!);
  await expect(during).toContainText('3005');
  await customer.close();
});

/**
 * After-call work that runs out without a save: the wrap-up as it stood (the order, the note
 * action, the note typed so far) is saved with the call, once, and marked as auto-saved.
 */
test('after-call work runs out without a save: the wrap-up so far is saved, marked auto-saved', async ({
  page,
  callerContext,
  desk,
  gw,
  kamailio,
  customerSite,
}, testInfo) => {
  test.setTimeout(180_000);
  const probe = await GatewayProbe.open(gw.wsUrl);
  const order = await exchangeableOrder(probe, gw.wsUrl);
  await probe.close();
  // Short enough to run out while the test waits for it, long enough to type a note first.
  await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 8 } });
  await openAgentDesk(page, desk, customerSite);
  const customer = await Customer.open(callerContext, customerSite, kamailio, '3006', 'Han Mei');

  await customer.call(AGENT_EXTENSION, { 'X-Order-Id': order.displayNumber });
  await expect(page.getByTestId('incoming-pop-order')).toHaveAttribute('data-order-id', order.id, {
    timeout: 30_000,
  });
  await page.getByTestId('incoming-answer').click();
  await expect(page.getByTestId('action-bar')).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('action-note').click();
  await page.getByTestId('action-note-text').fill('客户询问发票');
  await page.getByTestId('action-confirm').click();
  await expect(page.getByTestId('action-dialog')).toHaveCount(0);

  await customer.hangUp();
  const bar = page.getByTestId('acw-bar');
  await expect(bar).toBeVisible();
  await bar.getByTestId('acw-note').fill('发票稍后邮件发送');
  // No save: the timer ends after-call work.
  await expect(bar).toHaveCount(0, { timeout: 20_000 });

  await page.getByTestId('rail-call-history').click();
  const summary = page.getByTestId('call-summary').first();
  await expect(summary.getByTestId('call-summary-auto-saved')).toHaveText('自动保存');
  await expect(summary.getByTestId('call-summary-orders')).toContainText(order.displayNumber);
  await expect(summary.getByTestId('call-summary-actions')).toContainText('添加备注');
  await expect(summary.getByTestId('call-summary-note')).toHaveText('发票稍后邮件发送');
  await expect(page.getByTestId('call-summary-auto-saved')).toHaveCount(1);
  const [record] = desk.services.callHistory.recent(1);
  expect(record).toMatchObject({ autoSaved: true, note: '发票稍后邮件发送', disposition: null });
  // The rail's tooltip from the click would cover the table.
  await page.mouse.move(640, 600);
  await snap(page, testInfo, 'wrapup-auto-saved-zh-CN');
  await page.getByTestId('lang-en').click();
  await expect(summary.getByTestId('call-summary-auto-saved')).toHaveText('Auto-saved');
  await snap(page, testInfo, 'wrapup-auto-saved-en');
  await customer.close();
});
