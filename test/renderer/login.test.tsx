import { fakeHost, renderApp } from './renderApp';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/shared/demo';

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const type = (testId: string, value: string) => fireEvent.change(input(testId), { target: { value } });

describe('LoginScreen', () => {
  it('pre-fills the gateway address from settings', async () => {
    renderApp();
    await screen.findByTestId('login-username');
    expect(input('login-gateway-url').value).toBe(fakeHost.settings.gatewayUrl);
  });

  it('shows wrong credentials as a translated message and keeps the typed user name', async () => {
    renderApp();
    await screen.findByTestId('login-username');
    type('login-username', 'frontline');
    type('login-password', 'not-the-password');
    fireEvent.click(screen.getByTestId('login-submit'));

    const error = await screen.findByTestId('login-error');
    expect(error.textContent).toContain('Wrong user name or password');
    expect(input('login-username').value).toBe('frontline');
    expect(fakeHost.callsOf('session.login')).toEqual([
      { gatewayUrl: fakeHost.settings.gatewayUrl, username: 'frontline', password: 'not-the-password' },
    ]);
  });

  it('after too many wrong passwords says how long to wait, counts it down and keeps Sign in off until then', async () => {
    renderApp();
    await screen.findByTestId('login-username');
    fakeHost.failures.set('session.login', {
      code: 'RATE_LIMITED',
      message: 'Too many sign-in attempts: try again in 2 s',
      details: { retryAfterMs: 2_000 },
    });
    type('login-username', 'frontline');
    type('login-password', 'guess');
    fireEvent.click(screen.getByTestId('login-submit'));

    const error = await screen.findByTestId('login-error');
    expect(error.textContent).toContain('Too many sign-in attempts: try again in 2 seconds');
    expect((screen.getByTestId('login-submit') as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toContain('in 1 second'), {
      timeout: 2_000,
    });
    await waitFor(() => expect(screen.queryByTestId('login-error')).toBeNull(), { timeout: 2_000 });
    expect((screen.getByTestId('login-submit') as HTMLButtonElement).disabled).toBe(false);
  });

  it('refuses a gateway address that is not a websocket URL without asking the desk', async () => {
    renderApp();
    await screen.findByTestId('login-username');
    type('login-gateway-url', 'http://example.com');
    type('login-username', 'frontline');
    type('login-password', 'demo');
    fireEvent.click(screen.getByTestId('login-submit'));

    expect(await screen.findByText('Enter a ws:// or wss:// address')).toBeTruthy();
    expect(fakeHost.callsOf('session.login')).toEqual([]);
  });

  it('refuses ws:// to another computer without asking the desk, and says to use wss://', async () => {
    renderApp();
    await screen.findByTestId('login-username');
    type('login-gateway-url', 'ws://gateway.example.com/v1/agent');
    type('login-username', 'frontline');
    type('login-password', 'demo');
    fireEvent.click(screen.getByTestId('login-submit'));

    expect(
      await screen.findByText(
        'Unencrypted ws:// is only allowed to this computer (localhost): use a wss:// address',
      ),
    ).toBeTruthy();
    expect(fakeHost.callsOf('session.login')).toEqual([]);
  });

  it('signs in and shows the shell with the agent name', async () => {
    renderApp();
    await screen.findByTestId('login-username');
    type('login-username', 'frontline');
    type('login-password', 'demo');
    fireEvent.click(screen.getByTestId('login-submit'));

    expect((await screen.findByTestId('topbar-agent-name')).textContent).toBe(DEMO_USERS[0].displayName);
    expect(screen.getByTestId('connection-status').dataset.status).toBe('online');
  });

  it('offers the address that worked last after signing out', async () => {
    renderApp();
    await screen.findByTestId('login-username');
    type('login-gateway-url', 'wss://gateway.example.com/v1/agent');
    type('login-username', 'frontline');
    type('login-password', 'demo');
    fireEvent.click(screen.getByTestId('login-submit'));
    fireEvent.click(await screen.findByTestId('logout'));

    await screen.findByTestId('login-username');
    await waitFor(() => expect(input('login-gateway-url').value).toBe('wss://gateway.example.com/v1/agent'));
  });

  it('hides demo sign-in when the host runs no demo gateway', async () => {
    renderApp({ demoGatewayUrl: null });
    await screen.findByTestId('login-username');
    expect(screen.queryByTestId('login-demo')).toBeNull();
  });

  it('signs in to the demo with one click', async () => {
    renderApp({ demoGatewayUrl: 'ws://127.0.0.1:7401' });
    fireEvent.click(await screen.findByTestId('login-demo'));
    expect(await screen.findByTestId('topbar-agent-name')).toBeTruthy();
    expect(fakeHost.callsOf('session.loginDemo')).toHaveLength(1);
  });
});
