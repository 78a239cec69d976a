import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { runUsersCommand } from '../../src/server/auth/users-command';
import { startGateway, type Gateway } from '../../src/server/gateway';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { snap } from './agent-desk-phone';
import { withDeskHarness } from './desk-harness';
import { expect, test } from './fixtures';

/**
 * A gateway of this spec's own: throttling `frontline` here must not lock the worker's shared
 * gateway, which every other spec signs in to from the same address.
 */
async function withOwnGateway(use: (gateway: Gateway, dbPath: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-desk-e2e-sign-in-'));
  const dbPath = join(dir, 'gateway.db');
  const gateway = await startGateway({
    port: 0,
    dbPath,
    logger: pino({ level: 'silent' }),
    demo: { orders: 50 },
    // Two free tries and a long first wait: the countdown stays on screen for the screenshots.
    loginThrottle: { freePerUserAndAddress: 2, firstWaitMs: 60_000 },
  });
  try {
    await use(gateway, dbPath);
  } finally {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test.describe('sign-in security on the desk', () => {
  test('too many wrong passwords: the sign-in screen says how long to wait, in both languages', async ({
    page,
  }, testInfo) => {
    await withOwnGateway(async (gateway) => {
      await withDeskHarness(`${gateway.url}${AGENT_WS_PATH}`, 'zh-CN', async (desk) => {
        await page.goto(desk.url);
        await page.getByTestId('login-username').fill('frontline');
        await page.getByTestId('login-password').fill('not the password');
        for (let attempt = 0; attempt < 3; attempt += 1) {
          await page.getByTestId('login-submit').click();
          await expect(page.getByTestId('login-error')).toBeVisible();
          await expect(page.getByTestId('login-submit')).not.toHaveClass(/ant-btn-loading/);
        }
        // The third wrong password started a 60 s wait; the fourth try is refused unchecked.
        await page.getByTestId('login-submit').click();
        await expect(page.getByTestId('login-error')).toContainText(/登录尝试次数过多，请 (59|60) 秒后再试/);
        await expect(page.getByTestId('login-submit')).toBeDisabled();
        await snap(page, testInfo, 'sign-in-throttled-zh-CN');
        await page.getByTestId('lang-en').click();
        await expect(page.getByTestId('login-error')).toContainText(
          /Too many sign-in attempts: try again in \d+ seconds/,
        );
        await snap(page, testInfo, 'sign-in-throttled-en');
      });
    });
  });

  test('an operator signs the agent out: the desk goes to the sign-in screen and says why', async ({
    page,
  }, testInfo) => {
    await withOwnGateway(async (gateway, dbPath) => {
      await withDeskHarness(`${gateway.url}${AGENT_WS_PATH}`, 'en', async (desk) => {
        await page.goto(desk.url);
        await page.getByTestId('login-demo').click();
        await expect(page.getByTestId('topbar-agent-name')).toBeVisible();
        const io = { out: () => undefined, err: () => undefined, readPassword: async () => '' };
        expect(await runUsersCommand(['sign-out', 'frontline', '--db', dbPath], io)).toBe(0);
        await expect(page.getByTestId('login-error')).toContainText(
          'You were signed out (elsewhere, by IT, or your role changed): sign in again',
        );
        await snap(page, testInfo, 'signed-out-by-operator-en');
        await page.getByTestId('lang-zh-CN').click();
        await expect(page.getByTestId('login-error')).toContainText('您已被登出');
        await snap(page, testInfo, 'signed-out-by-operator-zh-CN');
      });
    });
  });
});
