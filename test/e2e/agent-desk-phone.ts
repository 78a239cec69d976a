import { expect, type Page, type TestInfo } from '@playwright/test';
import type { Harness } from '../harness/host';
import type { MediaStats } from './customer/media-stats';
import type { CustomerSite } from './customer/customer-site';
import type { KamailioProcess } from './kamailio/kamailio-process';
import type { PhoneSettingsPatch } from '../../src/shared/phone-settings';
import type { ShownNotification } from '../../src/shared/desktop';

/** The agent's extension in every softphone test. */
export const AGENT_EXTENSION = '1001';

/** Points the desk's phone at the test Kamailio, through the same validated path as the settings screen. */
export async function configurePhone(
  desk: Harness,
  kamailio: KamailioProcess,
  patch: PhoneSettingsPatch = {},
): Promise<void> {
  const envelope = await desk.services.dispatch('phone.configure', {
    ...patch,
    sip: {
      serverUrl: kamailio.wsUrl,
      domain: kamailio.domain,
      extension: AGENT_EXTENSION,
      displayName: 'Agent 1001',
      ...patch.sip,
    },
  });
  if (!envelope.ok) throw new Error(`phone.configure failed: ${envelope.error.message}`);
}

/**
 * Opens the desk, signs in with the demo user and waits until the phone is registered. The
 * peer-connection probe goes in first, so tests can read the agent's real media stats, and the
 * page records the `notification.shown` events main sends.
 */
export async function openAgentDesk(page: Page, desk: Harness, site: CustomerSite): Promise<void> {
  await page.addInitScript({ content: site.probeScript });
  await page.goto(desk.url);
  await page.getByTestId('login-demo').click();
  await expect(page.getByTestId('phone-status')).toHaveAttribute('data-status', 'registered');
  await page.evaluate(() => {
    const scope = globalThis as unknown as {
      agentDesk: { on(event: string, listener: (payload: unknown) => void): () => void };
      shownNotifications: unknown[];
    };
    scope.shownNotifications = [];
    scope.agentDesk.on('notification.shown', (payload) => scope.shownNotifications.push(payload));
  });
}

export function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(
    () => (globalThis as unknown as { shownNotifications: ShownNotification[] }).shownNotifications,
  );
}

/** Stats of the agent's newest open peer connection. */
export function agentStats(page: Page): Promise<MediaStats | null> {
  return page.evaluate(() =>
    (
      globalThis as unknown as { peerConnectionProbe: { stats(): Promise<MediaStats | null> } }
    ).peerConnectionProbe.stats(),
  );
}

/** The outcomes of media play() calls in the agent's page (see browser/agent-page-probe.ts). */
export function mediaPlays(
  page: Page,
): Promise<Array<{ src: string; started: boolean; error: string | null }>> {
  return page.evaluate(() =>
    (
      globalThis as unknown as {
        peerConnectionProbe: { plays(): Array<{ src: string; started: boolean; error: string | null }> };
      }
    ).peerConnectionProbe.plays(),
  );
}

export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
