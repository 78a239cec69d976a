import type { Page } from '@playwright/test';
import { ABNORMAL_TYPES, type AbnormalType } from '../../src/shared/abnormal';
import { snap } from './agent-desk-phone';
import { expect, test } from './fixtures';

async function signIn(page: Page, deskUrl: string): Promise<void> {
  await page.goto(deskUrl);
  await page.getByTestId('login-demo').click();
  await expect(page.getByTestId('order-result-row').first()).toBeVisible();
}

/** The type with the most orders in the queue now (the demo data moves with the clock). */
async function busiestType(page: Page): Promise<AbnormalType> {
  let best: { type: AbnormalType; count: number } | null = null;
  for (const type of ABNORMAL_TYPES) {
    const text = await page.getByTestId(`abnormal-type-${type}`).textContent();
    const count = Number(/(\d+)\s*$/.exec(text ?? '')?.[1] ?? 0);
    if (!best || count > best.count) best = { type, count };
  }
  expect(best!.count).toBeGreaterThan(0);
  return best!.type;
}

test.describe('abnormal orders and search filters', () => {
  test('the queue: filter by a type, read its handling steps, open an order', async ({
    page,
    desk,
  }, testInfo) => {
    await signIn(page, desk.url);
    await page.getByTestId('rail-abnormal-orders').click();
    const rows = page.getByTestId('abnormal-row');
    await expect(rows.first()).toBeVisible();
    // Every type has orders in the demo data.
    for (const type of ABNORMAL_TYPES) {
      await expect(page.getByTestId(`abnormal-type-${type}`)).not.toHaveText(/\D0$/);
    }

    const type = await busiestType(page);
    await page.getByTestId(`abnormal-type-${type}`).click();
    await expect(page.getByTestId(`abnormal-type-${type}`)).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('abnormal-steps')).toContainText('处理规范');
    await expect(rows.first()).toHaveAttribute('data-abnormal-type', type);
    const typesShown = await rows.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-abnormal-type')),
    );
    expect(new Set(typesShown)).toEqual(new Set([type]));
    await snap(page, testInfo, 'abnormal-queue-zh-CN');

    await page.getByTestId('lang-en').click();
    await expect(page.getByTestId('abnormal-steps')).toContainText('How to handle');
    await expect(page.getByTestId('abnormal-steps')).toContainText('Escalate when');
    await snap(page, testInfo, 'abnormal-queue-en');

    const orderId = await rows.first().getAttribute('data-order-id');
    // Keyboard: into the table, down to the first row, Enter opens it.
    await page.getByTestId('abnormal-rows').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', orderId!);
    await expect(page.getByTestId('abnormal-view')).toHaveCount(0);
  });

  test('search: a status filter narrows the results', async ({ page, desk }, testInfo) => {
    await signIn(page, desk.url);
    const rows = page.getByTestId('order-result-row');
    const statusesBefore = await rows.evaluateAll((elements) =>
      elements.map((element) => element.querySelector('[data-status]')?.getAttribute('data-status')),
    );
    expect(new Set(statusesBefore).size).toBeGreaterThan(1);

    await page.getByTestId('search-filter-status').click();
    await page.getByTitle('待付款').click();
    await page.getByTitle('已退款').click();
    await page.keyboard.press('Escape');
    await expect
      .poll(
        async () =>
          new Set(
            await rows.evaluateAll((elements) =>
              elements.map((element) => element.querySelector('[data-status]')?.getAttribute('data-status')),
            ),
          ),
      )
      .toEqual(new Set(['pending_payment', 'refunded']));
    await expect(page.getByTestId('search-filters-clear')).toBeVisible();
    await snap(page, testInfo, 'search-filters-zh-CN');

    await page.getByTestId('lang-en').click();
    await expect(page.getByTestId('search-filters-clear')).toHaveText('Clear filters');
    await snap(page, testInfo, 'search-filters-en');

    await page.getByTestId('search-filters-clear').click();
    await expect
      .poll(
        async () =>
          new Set(
            await rows.evaluateAll((els) =>
              els.map((el) => el.querySelector('[data-status]')?.getAttribute('data-status')),
            ),
          ).size,
      )
      .toBeGreaterThan(2);
  });
});
