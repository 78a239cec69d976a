import { contentSecurityPolicy } from '../../src/main/content-security-policy';
import type { Harness } from '../harness/host';
import { configurePhone, snap } from './agent-desk-phone';
import { withDeskHarness } from './desk-harness';
import { expect, test } from './fixtures';

const INSECURE_GATEWAY = 'ws://gateway.example.com/v1/agent';
const INSECURE_PBX = 'ws://pbx.example.com:8088/ws';

test.describe('desk transport and page policy', () => {
  test('sign-in refuses ws:// to another computer, in both languages', async ({ page, desk }, testInfo) => {
    await page.goto(desk.url);
    await page.getByTestId('login-gateway-url').fill(INSECURE_GATEWAY);
    await page.getByTestId('login-username').fill('frontline');
    await page.getByTestId('login-password').fill('demo');
    await page.getByTestId('login-submit').click();
    await expect(
      page.getByText('未加密的 ws:// 只能连接本机（localhost），请使用 wss:// 地址'),
    ).toBeVisible();
    await snap(page, testInfo, 'login-insecure-zh-CN');
    await page.getByTestId('lang-en').click();
    await page.getByTestId('login-submit').click();
    await expect(
      page.getByText('Unencrypted ws:// is only allowed to this computer (localhost): use a wss:// address'),
    ).toBeVisible();
    await snap(page, testInfo, 'login-insecure-en');
    expect(desk.services.session.session.user).toBeNull();
  });

  test('phone settings refuse ws:// to another computer, in both languages', async ({
    page,
    desk,
  }, testInfo) => {
    await page.goto(desk.url);
    await page.getByTestId('login-demo').click();
    await page.getByTestId('rail-settings').click();
    await page.getByTestId('settings-server-url').fill(INSECURE_PBX);
    await page.getByTestId('settings-extension').fill('1001');
    await page.getByTestId('settings-domain').fill('pbx.example.com');
    await page.getByTestId('settings-save').click();
    await expect(
      page.getByText('未加密的 ws:// 只能连接本机（localhost），请使用 wss:// 地址'),
    ).toBeVisible();
    await snap(page, testInfo, 'settings-insecure-zh-CN');
    await page.getByTestId('lang-en').click();
    await page.getByTestId('settings-save').click();
    await expect(
      page.getByText('Unencrypted ws:// is only allowed to this computer (localhost): use a wss:// address'),
    ).toBeVisible();
    await snap(page, testInfo, 'settings-insecure-en');
    expect(desk.services.phoneSettings.get().sip.serverUrl).toBe('');
  });

  test('under the app header policy the page reaches only its PBX, and reloads for a new one', async ({
    page,
    gw,
    kamailio,
  }) => {
    const policyOf = (services: Harness['services']) =>
      contentSecurityPolicy([services.phoneSettings.get().sip.serverUrl]);
    await withDeskHarness(
      gw.wsUrl,
      'en',
      async (desk) => {
        await configurePhone(desk, kamailio);
        const first = await page.goto(desk.url);
        expect(first?.headers()['content-security-policy']).toContain(`connect-src 'self' ${kamailio.wsUrl}`);
        await page.getByTestId('login-demo').click();
        await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered');

        // A script in the page cannot open a websocket anywhere else (the gateway, here).
        const refused = await page.evaluate((url) => {
          // This project's types have no DOM: the page's globals, as much as is used here.
          const page = globalThis as unknown as {
            document: {
              addEventListener(type: string, listener: (event: { blockedURI: string }) => void): void;
            };
            WebSocket: new (url: string) => unknown;
          };
          return new Promise<string>((resolve) => {
            page.document.addEventListener('securitypolicyviolation', (event) => resolve(event.blockedURI));
            new page.WebSocket(url);
          });
        }, gw.wsUrl);
        expect(refused).toContain(new URL(gw.wsUrl).host);

        // The same PBX under another origin: the loaded policy refuses it until the page reloads.
        const [port] = kamailio.wsUrl.split(':').slice(-1);
        const moved = `ws://localhost:${port}`;
        await page.evaluate(() => {
          (globalThis as unknown as { beforeReload: boolean }).beforeReload = true;
        });
        await page.getByTestId('rail-settings').click();
        await page.getByTestId('settings-server-url').fill(moved);
        const reloaded = page.waitForResponse(
          (response) =>
            response.url().startsWith(desk.origin) && response.request().resourceType() === 'document',
        );
        await page.getByTestId('settings-save').click();
        const reloadedDocument = await reloaded;
        expect(reloadedDocument.headers()['content-security-policy']).toContain(
          `connect-src 'self' ${moved}`,
        );
        await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered');
        expect(
          await page.evaluate(() => (globalThis as unknown as { beforeReload?: boolean }).beforeReload),
        ).toBeUndefined();
        expect(desk.services.phoneSettings.get().sip.serverUrl).toBe(moved);
      },
      { documentPolicy: policyOf },
    );
  });

  test('a phone server the page policy cannot name is reloaded for once, then explained', async ({
    page,
    gw,
    kamailio,
  }, testInfo) => {
    await withDeskHarness(
      gw.wsUrl,
      'zh-CN',
      async (desk) => {
        // Loopback, so the transport rule allows it; CSP host sources cannot carry an IPv6 literal.
        await configurePhone(desk, kamailio, {
          sip: { serverUrl: `ws://[::1]:${new URL(kamailio.wsUrl).port}` },
        });
        await page.goto(desk.url);
        const reloaded = page.waitForEvent('load');
        await page.getByTestId('login-demo').click();
        await reloaded;
        await expect(page.getByTestId('phone-offline-banner')).toContainText(
          '应用的安全策略无法放行此电话服务器地址',
        );
        await snap(page, testInfo, 'phone-policy-blocked-zh-CN');
        await page.getByTestId('lang-en').click();
        await expect(page.getByTestId('phone-offline-banner')).toContainText(
          "the app's security policy cannot allow this address",
        );
        await snap(page, testInfo, 'phone-policy-blocked-en');
      },
      { documentPolicy: (services) => contentSecurityPolicy([services.phoneSettings.get().sip.serverUrl]) },
    );
  });
});
