import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import type { RelayedFrame } from '../../src/server/cobrowse/cobrowse-room';
import { startGateway, type Gateway } from '../../src/server/gateway';
import type { Language } from '../../src/shared/contract';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { KEEP_SNIPPET_ROOT, snippet, snippetButton } from '../bench/cobrowse-driver';
import { snap } from './agent-desk-phone';
import { withDeskHarness } from './desk-harness';
import { expect, test } from './fixtures';

/**
 * Co-browse end to end with every real part: the customer on the demo shop with the built snippet
 * in their own browser context, the gateway's rooms, and the agent's desk through the harness.
 * The gateway's tap records every frame it relays, in both directions, so the test can search
 * them for what the customer typed into personal fields: masking must happen before anything
 * leaves the customer's browser.
 */

/** What the customer types into tagged fields; none of it may ever reach the gateway. */
const SECRETS = {
  phone: '+86 139 2222 3333',
  street: '淮海中路 999 号 17 楼',
  card: '4111 1111 1111 1111',
};
const SECRET_FORMS = [
  SECRETS.phone,
  '13922223333',
  '2222 3333',
  SECRETS.street,
  '淮海中路',
  SECRETS.card,
  '4111111111111111',
];

interface CobrowseGateway {
  gateway: Gateway;
  dbPath: string;
  relayed: RelayedFrame[];
}

/** A gateway of the spec's own: demo data and shop, and the relay tap. */
async function withCobrowseGateway(use: (target: CobrowseGateway) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-desk-e2e-cobrowse-'));
  const dbPath = join(dir, 'gateway.db');
  const relayed: RelayedFrame[] = [];
  const gateway = await startGateway({
    port: 0,
    dbPath,
    logger: pino({ level: 'silent' }),
    demo: { orders: 60 },
    cobrowse: { onRelay: (frame) => relayed.push(frame) },
  });
  try {
    await use({ gateway, dbPath, relayed });
  } finally {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The customer's browser: its own context, in its language, small enough that pages scroll. */
async function customerOn(browser: Browser, url: string, language: Language): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 900, height: 520 },
    locale: language === 'zh-CN' ? 'zh-CN' : 'en-US',
  });
  // The snippet's shadow root stays closed, as on a shop; the test keeps a handle to press buttons.
  await context.addInitScript(KEEP_SNIPPET_ROOT);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** The 6-digit code the snippet shows after "Get help". */
async function askForHelp(customer: Page): Promise<string> {
  await snippetButton(customer, 'help').click();
  await snippet(customer, '.code').waitFor();
  const code = String(
    await customer.evaluate(`window.__agentDeskSnippetRoot.querySelector('.code').textContent`),
  );
  expect(code).toMatch(/^\d{6}$/);
  return code;
}

/** The agent signs in to the demo, opens an order and joins the session with the code. */
async function agentJoins(page: Page, deskUrl: string, code: string): Promise<void> {
  await page.goto(deskUrl);
  await page.getByTestId('login-demo').click();
  await page.getByTestId('order-result-row').first().click();
  await expect(page.getByTestId('order-detail')).toBeVisible();
  await page.keyboard.press('Control+Shift+L');
  await expect(page.getByTestId('cobrowse-code')).toBeFocused();
  await page.getByTestId('cobrowse-code').fill(code);
  await page.getByTestId('cobrowse-code').press('Enter');
  await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'waiting_consent');
}

const customerScrollY = (customer: Page) => customer.evaluate('window.scrollY') as Promise<number>;

const snippetVisible = (customer: Page, selector: string) =>
  customer.waitForFunction(
    `(() => { const el = window.__agentDeskSnippetRoot?.querySelector(${JSON.stringify(selector)}); return !!el && !el.hidden; })()`,
  );

function auditActions(dbPath: string): { action: string; details: Record<string, unknown> }[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare<[], { action: string; details_json: string }>(
        "SELECT action, details_json FROM audit_log WHERE action LIKE 'cobrowse.%' ORDER BY seq",
      )
      .all()
      .map((row) => ({
        action: row.action,
        details: JSON.parse(row.details_json) as Record<string, unknown>,
      }));
  } finally {
    db.close();
  }
}

test.describe('co-browse with the real snippet, rooms and desk', () => {
  test('consent, live replay, masking at the source, pointer, scroll and control by consent, reload, the customer ends', async ({
    page,
    browser,
  }, testInfo) => {
    test.setTimeout(120_000);
    await withCobrowseGateway(async ({ gateway, dbPath, relayed }) => {
      await withDeskHarness(`${gateway.url}${AGENT_WS_PATH}`, 'en', async (desk) => {
        const customer = await customerOn(browser, `${gateway.httpUrl}/demo/shop/address.html`, 'en');
        const code = await askForHelp(customer);
        await snap(customer, testInfo, 'customer-code-en');
        await agentJoins(page, desk.url, code);
        // Nothing is recorded before the customer allows it.
        expect(
          relayed.filter((frame) => frame.direction === 'from_customer' && frame.text.includes('"events"')),
        ).toEqual([]);

        await snippetButton(customer, 'allow').waitFor();
        await snap(customer, testInfo, 'customer-consent-en');
        await snippetButton(customer, 'allow').click();
        await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'live');
        const replay = page.frameLocator('[data-testid="cobrowse-replay-host"] iframe');
        await expect(replay.locator('h1')).toContainText('Delivery address');

        // A DOM change on the customer's page shows in the agent's replay.
        await customer.evaluate(
          `document.querySelector('h1 .en').textContent = 'Delivery address (checked)'`,
        );
        await expect(replay.locator('h1')).toContainText('Delivery address (checked)');

        // The customer types personal data: the replay shows masks, never the values.
        await customer.locator('input[name="phone"]').fill(SECRETS.phone);
        await customer.locator('input[name="line1"]').fill(SECRETS.street);
        // The snippet records a field's last value (rrweb's input sampling): it goes when the field is left.
        await customer.locator('input[name="line1"]').press('Tab');
        await expect(replay.locator('input[name="phone"]')).toHaveValue(/^\*+$/);
        await expect(replay.locator('input[name="line1"]')).toHaveValue(/^\*+$/);

        // The agent's pointer appears on the customer's page.
        const overlay = (await page.getByTestId('cobrowse-overlay').boundingBox())!;
        await page.mouse.move(overlay.x + 120, overlay.y + 80);
        await page.mouse.move(overlay.x + 140, overlay.y + 90);
        await snippetVisible(customer, '.pointer');

        // No scrolling before the customer allows it; after, the wheel scrolls their page.
        await page.mouse.wheel(0, 300);
        await expect(page.getByTestId('cobrowse-hint')).toHaveAttribute('data-notice', 'scrollNeedsConsent');
        expect(await customerScrollY(customer)).toBe(0);
        // Control is refused without its consent, by the desk and by the gateway alike.
        const sessionId = await page.getByTestId('cobrowse-panel').getAttribute('data-session-id');
        const refused = (await page.evaluate(
          `window.agentDesk.cobrowse.send({ sessionId: ${JSON.stringify(sessionId)}, message: { type: 'click', nodeId: 1 } })`,
        )) as { ok: boolean; error?: { code: string } };
        expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        await page.getByTestId('cobrowse-ask-scroll').click();
        await snippetButton(customer, 'allow').click();
        await expect(page.getByTestId('cobrowse-consent-scroll')).toHaveAttribute('data-status', 'granted');
        await page.mouse.move(overlay.x + 140, overlay.y + 90);
        await page.mouse.wheel(0, 200);
        await expect.poll(() => customerScrollY(customer)).toBeGreaterThan(0);

        // Control: asked and allowed, a click and typing on the replay reach the customer's field.
        await page.getByTestId('cobrowse-request-control').click();
        await snippetButton(customer, 'allow').click();
        await expect(page.getByTestId('cobrowse-consent-control')).toHaveAttribute('data-status', 'granted');
        const city = (await replay.locator('input[name="city"]').boundingBox())!;
        await page.mouse.click(city.x + city.width / 2, city.y + city.height / 2);
        await expect(page.getByTestId('cobrowse-typing')).toBeFocused();
        await page.keyboard.type('Pudong');
        await snap(page, testInfo, 'agent-control-en');
        await page.keyboard.press('Enter');
        await expect(customer.locator('input[name="city"]')).toHaveValue('Pudong');
        await snap(customer, testInfo, 'customer-control-en');

        // The customer's tab is hidden: control goes back to them at once.
        await customer.evaluate(`(() => {
          Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
          document.dispatchEvent(new Event('visibilitychange'));
        })()`);
        await expect(page.getByTestId('cobrowse-consent-control')).not.toHaveAttribute(
          'data-status',
          'granted',
        );
        expect(
          relayed.some(
            (frame) =>
              frame.direction === 'to_agent' && /"control-released","reason":"hidden"/.test(frame.text),
          ),
        ).toBe(true);
        await customer.evaluate(`(() => {
          Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
          document.dispatchEvent(new Event('visibilitychange'));
        })()`);

        // The customer goes to the payment page: the session follows, the agent resyncs.
        await customer.locator('a[href="payment.html"]').first().click();
        await expect(replay.locator('h1')).toContainText('Payment');
        await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'live');
        await customer.locator('input[name="cardNumber"]').fill(SECRETS.card);
        await expect(replay.locator('input[name="cardNumber"]')).toHaveCount(0);
        await customer.evaluate(`document.querySelector('h1 .en').textContent = 'Payment (retry)'`);
        await expect(replay.locator('h1')).toContainText('Payment (retry)');
        await snap(page, testInfo, 'agent-live-en');

        // A reload: reconnecting, then live again with the page resynced.
        await customer.reload();
        await expect(replay.locator('h1')).toContainText('Payment');
        await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'live');

        // The customer stops: the desk says so.
        await snippetButton(customer, 'stop').click();
        await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'ended');
        await snap(page, testInfo, 'agent-ended-by-customer-en');

        // No frame the gateway relayed, in any direction, holds what the customer typed.
        expect(relayed.length).toBeGreaterThan(10);
        for (const frame of relayed) {
          for (const secret of SECRET_FORMS) expect(frame.text, frame.direction).not.toContain(secret);
        }

        // Audited: the start, each consent, control given back and why, the end.
        const audit = auditActions(dbPath);
        expect(audit.map((row) => row.action)).toEqual(
          expect.arrayContaining([
            'cobrowse.start',
            'cobrowse.consent',
            'cobrowse.control_released',
            'cobrowse.end',
          ]),
        );
        expect(
          audit.filter((row) => row.action === 'cobrowse.consent').map((row) => row.details.level),
        ).toEqual(expect.arrayContaining(['view', 'scroll', 'control']));
        expect(audit.find((row) => row.action === 'cobrowse.control_released')?.details).toMatchObject({
          reason: 'hidden',
        });
        await customer.context().close();
      });
    });
  });

  test('zh-CN: the agent ends the session from the desk; the customer sees it end', async ({
    page,
    browser,
  }, testInfo) => {
    test.setTimeout(90_000);
    await withCobrowseGateway(async ({ gateway, dbPath }) => {
      await withDeskHarness(`${gateway.url}${AGENT_WS_PATH}`, 'zh-CN', async (desk) => {
        const customer = await customerOn(browser, `${gateway.httpUrl}/demo/shop/index.html`, 'zh-CN');
        const code = await askForHelp(customer);
        await snap(customer, testInfo, 'customer-code-zh-CN');
        await agentJoins(page, desk.url, code);
        await snap(page, testInfo, 'agent-waiting-zh-CN');
        await snippetButton(customer, 'allow').waitFor();
        await snap(customer, testInfo, 'customer-consent-zh-CN');
        await snippetButton(customer, 'allow').click();
        const replay = page.frameLocator('[data-testid="cobrowse-replay-host"] iframe');
        await expect(replay.locator('h1')).toContainText('订单状态');
        await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'live');
        await snap(page, testInfo, 'agent-live-zh-CN');
        await snap(customer, testInfo, 'customer-live-zh-CN');

        await page.getByTestId('cobrowse-end').click();
        await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'ended');
        // The live bar is gone from the shop page: it records no more.
        await snippetButton(customer, 'help').waitFor();
        await snap(customer, testInfo, 'customer-ended-zh-CN');
        await snap(page, testInfo, 'agent-ended-zh-CN');
        expect(auditActions(dbPath).find((row) => row.action === 'cobrowse.end')?.details).toMatchObject({
          by: 'agent',
        });
        await customer.context().close();
      });
    });
  });
});
