import { DEFAULT_PHONE_SETTINGS } from '../../src/shared/phone-settings';
import { Customer } from './customer/customer';
import { mediaDelta } from './customer/media-flow';
import { AGENT_EXTENSION, configurePhone, mediaPlays, openAgentDesk, snap } from './agent-desk-phone';
import { expect, test } from './fixtures';

const { hotkeys } = DEFAULT_PHONE_SETTINGS;

test.describe('softphone on the desktop', () => {
  test('the ring sounds without a click; the notification answers; global hotkeys mute and hang up', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
    await openAgentDesk(page, desk, customerSite);
    // A reload drops the page's user activation: the first ring must still sound.
    await page.reload();
    await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered');
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3701', 'Chen Jie');

    await customer.call(AGENT_EXTENSION);
    await expect(page.getByTestId('incoming-call')).toBeVisible();
    await expect
      .poll(async () => (await mediaPlays(page)).filter((play) => play.src.includes('ringtone')))
      .toEqual([expect.objectContaining({ started: true, error: null })]);
    await expect.poll(() => desk.desktop.shown.length).toBe(1);
    expect(desk.desktop.shown[0]).toMatchObject({ title: '来电', answerLabel: '接听', declineLabel: '拒接' });

    desk.desktop.choose(desk.desktop.shown[0]!.id, 'answer');
    await customer.waitEstablished();
    expect(desk.desktop.focusRequests).toBe(1);
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'active');

    desk.desktop.press(hotkeys.mute);
    await expect(page.getByTestId('call-mute')).toHaveAttribute('aria-pressed', 'true');
    await page.waitForTimeout(300);
    expect((await mediaDelta(() => customer.stats())).energy).toBeLessThan(0.0005);
    desk.desktop.press(hotkeys.mute);
    await expect(page.getByTestId('call-mute')).toHaveAttribute('aria-pressed', 'false');

    desk.desktop.press(hotkeys.hangUp);
    await expect.poll(() => customer.state()).toBe('ended');
    await expect(page.getByTestId('call-controls')).toHaveCount(0);
    await expect.poll(() => desk.desktop.trayStates.at(-1)?.indicator).toBe('available');
    await customer.close();
  });

  test('the settings screen sets up the phone, which then registers and rings', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }, testInfo) => {
    await page.goto(desk.url);
    await page.getByTestId('login-demo').click();
    await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'unconfigured');

    await page.getByTestId('rail-settings').click();
    await page.getByTestId('settings-server-url').fill('https://pbx.example.com');
    await page.getByTestId('settings-save').click();
    await expect(page.getByText('请输入 wss:// 开头的地址')).toBeVisible();
    await snap(page, testInfo, 'settings-invalid-zh-CN');

    await page.getByTestId('settings-server-url').fill(kamailio.wsUrl);
    await page.getByTestId('settings-extension').fill(AGENT_EXTENSION);
    await page.getByTestId('settings-domain').fill(kamailio.domain);
    await page.getByTestId('settings-password').fill('not-needed-by-this-kamailio');
    await page.getByTestId('settings-acw-seconds').fill('15');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered');
    expect(desk.services.telephony.view()).toMatchObject({
      hasPassword: true,
      sip: { serverUrl: kamailio.wsUrl, extension: AGENT_EXTENSION },
      callHandling: { acwSeconds: 15 },
    });
    await snap(page, testInfo, 'settings-zh-CN');
    await page.getByTestId('lang-en').click();
    await snap(page, testInfo, 'settings-en');

    const customer = await Customer.open(callerContext, customerSite, kamailio, '3702');
    await customer.call(AGENT_EXTENSION);
    await expect(page.getByTestId('incoming-call')).toBeVisible();
    await customer.hangUp();
    await expect(page.getByTestId('incoming-call')).toHaveCount(0);
    await expect.poll(() => desk.services.callHistory.recent(1)[0]?.outcome).toBe('missed');
    await customer.close();
  });

  test('saving new phone settings during a call keeps the call; the phone registers again after it', async ({
    page,
    callerContext,
    desk,
    kamailio,
    customerSite,
  }) => {
    await configurePhone(desk, kamailio, { callHandling: { acwSeconds: 0 } });
    await openAgentDesk(page, desk, customerSite);
    const customer = await Customer.open(callerContext, customerSite, kamailio, '3703');
    await customer.call(AGENT_EXTENSION);
    await page.getByTestId('incoming-answer').click();
    await customer.waitEstablished();
    const connectionsBefore = await page.evaluate(() =>
      (globalThis as unknown as { peerConnectionProbe: { count(): number } }).peerConnectionProbe.count(),
    );

    await page.getByTestId('rail-settings').click();
    await page.getByTestId('settings-ice-servers').fill('stun:127.0.0.1:3478');
    await page.getByTestId('settings-save').click();
    await expect(page.getByText('设置已保存')).toBeVisible();
    await page.waitForTimeout(1000);
    expect(await customer.state()).toBe('established');
    await expect(page.getByTestId('call-controls')).toHaveAttribute('data-call-status', 'active');
    expect((await mediaDelta(() => customer.stats())).bytesReceived).toBeGreaterThan(1000);

    await page.getByTestId('call-hangup').click();
    await expect.poll(() => customer.state()).toBe('ended');
    await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered');
    expect(desk.services.telephony.view().sip.iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }]);
    // The next call uses the new settings.
    await customer.call(AGENT_EXTENSION);
    await page.getByTestId('incoming-answer').click();
    await customer.waitEstablished();
    await expect
      .poll(() =>
        page.evaluate(() =>
          (globalThis as unknown as { peerConnectionProbe: { count(): number } }).peerConnectionProbe.count(),
        ),
      )
      .toBe(connectionsBefore + 1);
    // …configured with the ICE servers saved during the previous call.
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { peerConnectionProbe: { iceServerUrls(): string[] } }
        ).peerConnectionProbe.iceServerUrls(),
      ),
    ).toEqual(['stun:127.0.0.1:3478']);
    await customer.hangUp();
    await customer.close();
  });
});
