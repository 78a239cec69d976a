import type { Browser, Page } from '@playwright/test';
import { contentSecurityPolicy } from '../../src/main/content-security-policy';
import type { AgentCobrowseMessage } from '../../src/shared/cobrowse-protocol';
import type { Language } from '../../src/shared/contract';
import { snap } from './agent-desk-phone';
import { CobrowseRoomProxy } from './cobrowse/room-proxy';
import { startShopSite, type ShopSite } from './cobrowse/shop-site';
import { withDeskHarness } from './desk-harness';
import { expect, test } from './fixtures';

/**
 * The desk's side of co-browse, through the real main process, IPC and renderer, signed in to the
 * real gateway through a proxy that answers `cobrowse.*` as a room would (the gateway's rooms and
 * the snippet are other branches). The customer's page is a shop page in its own browser context,
 * recorded by rrweb's recorder with the snippet's masking; its batches reach the desk as the
 * room's `cobrowse` frames. The desk runs under the Electron app's Content-Security-Policy.
 */

const PAGE_TITLE = 'Order AD-26-001042 · Demo Shop';

let shop: ShopSite;
test.beforeAll(async () => {
  shop = await startShopSite();
});
test.afterAll(async () => {
  await shop.close();
});

const is =
  <T extends AgentCobrowseMessage['type']>(type: T) =>
  (message: AgentCobrowseMessage): message is Extract<AgentCobrowseMessage, { type: T }> =>
    message.type === type;

/** The shop page's globals the spec uses (this project's typings have no DOM). */
interface ShopWindow {
  __recorder: { start(): void; idOf(selector: string): number; snapshot(): void };
  scrollX: number;
  scrollY: number;
  scrollTo(x: number, y: number): void;
  document: { getElementById(id: string): { textContent: string | null } | null };
}

/** How far the replayed page is scrolled (rrweb scrolls it smoothly after the customer's page). */
const replayScrollY = (page: Page) =>
  page.evaluate(() => {
    const agent = globalThis as unknown as {
      document: { querySelector(selector: string): { contentWindow: { scrollY: number } } };
    };
    return agent.document.querySelector('[data-testid="cobrowse-replay-host"] iframe').contentWindow.scrollY;
  });

/** Sets the order status text on the shop page. */
const setStatus = (customer: Page, text: string) =>
  customer.evaluate((status) => {
    (globalThis as unknown as ShopWindow).document.getElementById('status')!.textContent = status;
  }, text);

/** Signs in to the desk; `violations` collects what the page's Content-Security-Policy blocked. */
async function signIn(browser: Browser, url: string, violations: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(url);
  await page.getByTestId('login-demo').click();
  await expect(page.getByTestId('order-result-row').first()).toBeVisible();
  return page;
}

/** The customer's shop page in its own context, recording once asked, its batches to the room. */
async function customerPage(browser: Browser, room: CobrowseRoomProxy): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 680 } });
  const page = await context.newPage();
  await page.exposeBinding('__emitEvents', (_source, events: unknown[]) => room.events(events));
  await page.goto(shop.url);
  return page;
}

for (const language of ['en', 'zh-CN'] as const satisfies readonly Language[]) {
  test(`co-browse panel: join by code, live replay, pointer, scroll and control within consent (${language})`, async ({
    gw,
    browser,
  }, testInfo) => {
    const room = await CobrowseRoomProxy.start(gw.wsUrl, { url: shop.url, title: PAGE_TITLE });
    try {
      await withDeskHarness(
        room.wsUrl,
        language,
        async (harness) => {
          const violations: string[] = [];
          const page = await signIn(browser, harness.url, violations);
          // An order on screen: the session is linked to it.
          await page.getByTestId('order-result-row').first().click();
          await expect(page.getByTestId('order-detail')).toBeVisible();

          // Keyboard first: the shortcut opens the dialog, a pasted code with a space, Enter joins.
          await page.keyboard.press('Control+Shift+L');
          const code = page.getByTestId('cobrowse-code');
          await expect(code).toBeFocused();
          await code.fill('111 111');
          await code.press('Enter');
          await expect(page.getByTestId('cobrowse-join-error')).toHaveAttribute('data-problem', 'notFound');
          await snap(page, testInfo, `cobrowse-join-wrong-code-${language}`);
          await code.fill(`${room.code.slice(0, 3)} ${room.code.slice(3)}`);
          await expect(code).toHaveValue(room.code);
          await code.press('Enter');
          await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'waiting_consent');
          expect(room.joins.at(-1)).toMatchObject({ code: room.code, orderId: expect.any(String) });
          await snap(page, testInfo, `cobrowse-waiting-${language}`);

          // The customer allows viewing: the page records and the desk replays it.
          const customer = await customerPage(browser, room);
          room.toDesk({
            type: 'state',
            state: 'live',
            consent: ['view'],
            page: { url: shop.url, title: PAGE_TITLE },
          });
          await customer.evaluate(() => (globalThis as unknown as ShopWindow).__recorder.start());
          const replay = page.frameLocator('[data-testid="cobrowse-replay-host"] iframe');
          await expect(replay.locator('#status')).toHaveText('Shipped');
          await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'live');
          await expect(page.getByTestId('cobrowse-consent-view')).toHaveAttribute('data-status', 'granted');

          // A change on the customer's page shows in the replay.
          await setStatus(customer, 'Out for delivery');
          await expect(replay.locator('#status')).toHaveText('Out for delivery');

          // Masked at the source: the payment form is an empty, marked box; typed values are stars.
          await expect(replay.locator('.agent-desk-blocked')).toHaveCount(1);
          await expect(replay.locator('#card')).toHaveCount(0);
          await customer.locator('#phone').fill('+86 139 2222 3333');
          await expect(replay.locator('#phone')).toHaveValue(/^\*+$/);
          expect(await replay.locator('body').innerText()).not.toMatch(/4111|139 2222/);

          // The pointer goes to the customer's page in its own coordinates.
          const scale = Number(await page.getByTestId('cobrowse-replay-host').getAttribute('data-scale'));
          expect(scale).toBeLessThan(1);
          const overlay = (await page.getByTestId('cobrowse-overlay').boundingBox())!;
          // (Filling the phone field scrolled the customer's page: the replay shows it scrolled too.)
          const button = (await customer.locator('#send-return').boundingBox())!;
          const scrolled = await customer.evaluate(() => {
            const shopWindow = globalThis as unknown as ShopWindow;
            return { x: shopWindow.scrollX, y: shopWindow.scrollY };
          });
          await expect.poll(() => replayScrollY(page)).toBe(scrolled.y);
          const mark = room.sent.length;
          await page.mouse.move(overlay.x + (button.x + 20) * scale, overlay.y + (button.y + 10) * scale);
          const pointer = await room.waitForSent(is('pointer'), mark);
          expect(Math.abs(pointer.x - (scrolled.x + button.x + 20))).toBeLessThanOrEqual(2);
          expect(Math.abs(pointer.y - (scrolled.y + button.y + 10))).toBeLessThanOrEqual(2);

          // Highlight: the element clicked, by rrweb's id on the customer's page.
          await page.getByTestId('cobrowse-tool').locator('label').nth(1).click();
          const status = (await replay.locator('#status').boundingBox())!;
          await page.mouse.click(status.x + status.width / 2, status.y + status.height / 2);
          const highlight = await room.waitForSent(is('highlight'), mark);
          expect(highlight.nodeId).toBe(
            await customer.evaluate(() => (globalThis as unknown as ShopWindow).__recorder.idOf('#status')),
          );
          await expect(page.getByTestId('cobrowse-highlight')).toBeVisible();

          // No scrolling without the customer's consent; after it, the wheel scrolls their page.
          const beforeWheel = room.sent.length;
          await page.mouse.move(overlay.x + 100, overlay.y + 100);
          await page.mouse.wheel(0, 300);
          await expect(page.getByTestId('cobrowse-hint')).toHaveAttribute(
            'data-notice',
            'scrollNeedsConsent',
          );
          expect(room.sent.slice(beforeWheel).some(is('scroll'))).toBe(false);
          await expect(page.getByTestId('cobrowse-request-control')).toBeDisabled();
          await page.getByTestId('cobrowse-ask-scroll').click();
          await room.waitForSent(
            (message): message is AgentCobrowseMessage =>
              message.type === 'consent-request' && message.level === 'scroll',
            beforeWheel,
          );
          await expect(page.getByTestId('cobrowse-consent-scroll')).toHaveAttribute('data-status', 'asked');
          room.toDesk({ type: 'consent', level: 'scroll', granted: true });
          await expect(page.getByTestId('cobrowse-consent-scroll')).toHaveAttribute('data-status', 'granted');
          const beforeScroll = room.sent.length;
          await page.mouse.move(overlay.x + 100, overlay.y + 100);
          await page.mouse.wheel(0, 300);
          const scroll = await room.waitForSent(is('scroll'), beforeScroll);
          expect(scroll).toEqual({ type: 'scroll', x: 0, y: scrolled.y + 300 });
          // The snippet scrolls the page; the replay follows it there.
          await customer.evaluate(({ x, y }) => (globalThis as unknown as ShopWindow).scrollTo(x, y), scroll);
          await expect.poll(() => replayScrollY(page)).toBe(scroll.y);
          await snap(page, testInfo, `cobrowse-live-${language}`);

          // Control: asked, granted, then a click and typing on the replay reach the same field.
          await page.getByTestId('cobrowse-request-control').click();
          room.toDesk({ type: 'consent', level: 'control', granted: true });
          await expect(page.getByTestId('cobrowse-consent-control')).toHaveAttribute(
            'data-status',
            'granted',
          );
          await expect(page.getByTestId('cobrowse-overlay')).toHaveClass(/cobrowse-overlay-control/);
          const details = (await replay.locator('#details').boundingBox())!;
          const beforeClick = room.sent.length;
          await page.mouse.click(details.x + details.width / 2, details.y + details.height / 2);
          const click = await room.waitForSent(is('click'), beforeClick);
          const detailsId = await customer.evaluate(() =>
            (globalThis as unknown as ShopWindow).__recorder.idOf('#details'),
          );
          expect(click.nodeId).toBe(detailsId);
          await expect(page.getByTestId('cobrowse-typing')).toBeFocused();
          await page.keyboard.type('Too small');
          await snap(page, testInfo, `cobrowse-control-${language}`);
          await page.keyboard.press('Enter');
          const typed = await room.waitForSent(
            (message): message is Extract<AgentCobrowseMessage, { type: 'input' }> =>
              message.type === 'input' && message.value === 'Too small',
            beforeClick,
          );
          expect(typed.nodeId).toBe(detailsId);
          await expect(page.getByTestId('cobrowse-typing')).toHaveCount(0);
          await page.getByTestId('cobrowse-release-control').click();
          await room.waitForSent(is('release-control'), beforeClick);
          room.toDesk({ type: 'control-released', reason: 'agent' });
          await expect(page.getByTestId('cobrowse-consent-control')).toHaveAttribute('data-status', 'none');
          await expect(page.getByTestId('cobrowse-overlay')).not.toHaveClass(/cobrowse-overlay-control/);

          // A lost batch: the desk asks for a snapshot, and the large one comes back in chunks.
          room.loseBatch();
          const beforeGap = room.sent.length;
          await setStatus(customer, 'Delivered');
          await room.waitForSent(is('resync'), beforeGap);
          room.chunkChars = 4_000;
          await customer.evaluate(() => (globalThis as unknown as ShopWindow).__recorder.snapshot());
          await expect(replay.locator('#status')).toHaveText('Delivered');
          room.chunkChars = Number.POSITIVE_INFINITY;

          // The customer's page reloads: reconnecting, then live again on the new page.
          room.toDesk({ type: 'state', state: 'reconnecting', consent: ['view', 'scroll'], page: null });
          await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'reconnecting');
          await expect(page.getByTestId('cobrowse-cover')).toBeVisible();
          await customer.reload();
          room.toDesk({
            type: 'state',
            state: 'live',
            consent: ['view', 'scroll'],
            page: { url: shop.url, title: PAGE_TITLE },
          });
          await customer.evaluate(() => (globalThis as unknown as ShopWindow).__recorder.start());
          await expect(replay.locator('#status')).toHaveText('Shipped');
          await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'live');

          // The order search is a click away while the page goes on behind it.
          await page.getByTestId('cobrowse-show-search').click();
          await expect(page.getByTestId('cobrowse-chip')).toBeVisible();
          await expect(page.getByTestId('order-search-input')).toBeVisible();
          await page.getByTestId('cobrowse-show-replay').click();
          await expect(page.getByTestId('cobrowse-panel')).toBeVisible();

          // The agent ends it: the room is told, the page is gone, the panel closes.
          await page.getByTestId('cobrowse-end').click();
          await expect(page.getByTestId('cobrowse-state')).toHaveAttribute('data-state', 'ended');
          expect(room.leaves).toEqual([room.sessionId]);
          await expect(page.getByTestId('cobrowse-replay-host')).toBeHidden();
          // The pointer off the header, so no tooltip covers what the screenshot is for.
          await page.mouse.move(400, 500);
          await expect(page.locator('.ant-tooltip:visible')).toHaveCount(0);
          await snap(page, testInfo, `cobrowse-ended-${language}`);
          await page.getByTestId('cobrowse-close').click();
          await expect(page.getByTestId('cobrowse-panel')).toHaveCount(0);
          await expect(page.getByTestId('order-search-input')).toBeVisible();
          await customer.context().close();
          // The replay (rrweb's iframe, its styles, the shop's inlined images) needed nothing the
          // app's policy forbids.
          expect(violations).toEqual([]);
        },
        { documentPolicy: () => contentSecurityPolicy([]) },
      );
    } finally {
      await room.close();
    }
  });
}
