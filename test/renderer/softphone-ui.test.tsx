import { fakeHost, renderApp } from './renderApp';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PhoneCall } from '../../src/renderer/features/softphone/phone-call';
import { useAgentStateStore } from '../../src/renderer/stores/agentState';
import { useSoftphoneStore } from '../../src/renderer/stores/softphone';

const ringing: PhoneCall = {
  id: 'call-1',
  direction: 'inbound',
  remoteNumber: '+8613800138000',
  remoteName: '张伟',
  headers: { 'X-Order-Id': 'DM-1001', 'X-Ivr-Choice': 'returns' },
  status: 'ringing',
  muted: false,
  startedAt: '2025-03-05T09:00:00.000Z',
  answeredAt: null,
  endedAt: null,
  endReason: null,
  consultFor: null,
};

async function signedInShell() {
  renderApp({ signedIn: true });
  await screen.findByTestId('agent-state');
  // The shell asked main for the phone settings when it started the softphone.
  await waitFor(() => expect(fakeHost.callsOf('phone.settings').length).toBeGreaterThan(0));
}

describe('softphone UI', () => {
  it('shows a ringing call with caller, order, X- headers and the hotkeys over the workspace', async () => {
    await signedInShell();
    act(() => useSoftphoneStore.getState().upsertCall(ringing));
    const toast = await screen.findByTestId('incoming-call');
    expect(within(toast).getByTestId('incoming-caller-name').textContent).toBe('张伟');
    expect(within(toast).getByTestId('incoming-caller-number').textContent).toBe('+8613800138000');
    expect(within(toast).getByTestId('incoming-order-id').textContent).toBe('About order DM-1001');
    expect(toast.textContent).toContain('X-Ivr-Choice');
    expect(within(toast).getByTestId('incoming-answer').textContent).toMatch(/Answer(Ctrl|⌘)\+Shift\+A/);
    expect(screen.getByTestId('order-search-input')).toBeTruthy(); // the workspace stays behind it
  });

  it('shows the call controls with a running timer once answered', async () => {
    await signedInShell();
    act(() =>
      useSoftphoneStore.getState().upsertCall({
        ...ringing,
        status: 'active',
        answeredAt: new Date(Date.now() - 65_000).toISOString(),
      }),
    );
    expect((await screen.findByTestId('call-controls')).getAttribute('data-call-status')).toBe('active');
    expect(screen.getByTestId('call-timer').textContent).toBe('01:05');
    expect(screen.queryByTestId('incoming-call')).toBeNull();
  });

  it('keeps the agent in after-call work until a disposition is chosen, and saves it on the call', async () => {
    await signedInShell();
    await fakeHost.transport.invoke('calls.record', {
      callId: 'call-1',
      direction: 'inbound',
      number: '3001',
      name: 'Wang Fang',
      startedAt: '2025-03-05T09:00:00.000Z',
      durationSeconds: 30,
      outcome: 'answered',
      orderId: null,
    });
    act(() => {
      useAgentStateStore.getState().apply({ type: 'call_answered' });
      useAgentStateStore.getState().apply({ type: 'last_call_ended', callId: 'call-1', acwSeconds: 60 });
    });
    const bar = await screen.findByTestId('acw-bar');
    fireEvent.click(within(bar).getByTestId('acw-finish'));
    expect(await screen.findByTestId('acw-error')).toBeTruthy();
    expect(useAgentStateStore.getState().status.state).toBe('after_call_work');

    fireEvent.mouseDown(
      bar.querySelector('.ant-select')!.querySelector('.ant-select-content, .ant-select-selector')!,
    );
    fireEvent.click(await screen.findByTitle('Resolved'));
    fireEvent.change(within(bar).getByTestId('acw-note'), { target: { value: 'done' } });
    fireEvent.click(within(bar).getByTestId('acw-finish'));
    await waitFor(() => expect(useAgentStateStore.getState().status.state).toBe('available'));
    expect(fakeHost.callRecords[0]).toMatchObject({ disposition: 'resolved', note: 'done' });
    expect(fakeHost.callsOf('agent.setState').at(-1)).toMatchObject({ state: 'available', reason: null });
  });
});

describe('phone offline banner', () => {
  it('says why the phone waits when main refuses a ws:// phone server on another computer', async () => {
    renderApp({ signedIn: true, failing: { 'phone.credentials': 'INSECURE_TRANSPORT' } });
    const banner = await screen.findByTestId('phone-offline-banner');
    expect(banner.textContent).toContain(
      'the phone server address is unencrypted ws:// to another computer: use wss:// in Settings',
    );
    // Not retried by itself: nothing will change until the address does.
    expect(banner.textContent).not.toContain('reconnecting');
  });
});

describe('settings screen', () => {
  it('validates the phone settings and saves them through main', async () => {
    await signedInShell();
    fireEvent.click(screen.getByTestId('rail-settings'));
    const server = await screen.findByTestId('settings-server-url');
    fireEvent.change(server, { target: { value: 'http://pbx.example.com' } });
    fireEvent.change(screen.getByTestId('settings-extension'), { target: { value: '1001' } });
    fireEvent.change(screen.getByTestId('settings-domain'), { target: { value: 'pbx.example.com' } });
    fireEvent.change(screen.getByTestId('settings-hotkey-mute'), { target: { value: 'M' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect(await screen.findByText('Enter a wss:// address')).toBeTruthy();
    expect(await screen.findByText(/A modifier, then a key/)).toBeTruthy();
    expect(fakeHost.callsOf('phone.configure')).toEqual([]);
    fireEvent.change(server, { target: { value: 'ws://pbx.example.com/ws' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect(
      await screen.findByText(
        'Unencrypted ws:// is only allowed to this computer (localhost): use a wss:// address',
      ),
    ).toBeTruthy();
    expect(fakeHost.callsOf('phone.configure')).toEqual([]);

    fireEvent.change(server, { target: { value: 'wss://pbx.example.com/ws' } });
    fireEvent.change(screen.getByTestId('settings-hotkey-mute'), { target: { value: 'Alt+M' } });
    fireEvent.change(screen.getByTestId('settings-password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(fakeHost.callsOf('phone.configure')).toHaveLength(1));
    expect(fakeHost.callsOf('phone.configure')[0]).toMatchObject({
      sip: { serverUrl: 'wss://pbx.example.com/ws', extension: '1001', domain: 'pbx.example.com' },
      hotkeys: { mute: 'Alt+M' },
      password: 'pw',
    });
    expect(fakeHost.phone.hasPassword).toBe(true);
  });
});
