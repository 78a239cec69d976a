import { describe, expect, it } from 'vitest';
import { GlobalHotkeys } from '../../../src/main/services/desktop/GlobalHotkeys';
import { IncomingCallNotifier } from '../../../src/main/services/desktop/IncomingCallNotifier';
import { TrayStatus } from '../../../src/main/services/desktop/TrayStatus';
import type { NotificationAction, ShownNotification } from '../../../src/shared/desktop';
import { DEFAULT_PHONE_SETTINGS, type HotkeyAction } from '../../../src/shared/phone-settings';
import { NodeDesktop } from '../../harness/node-desktop';

const notice = {
  callId: 'call-1',
  title: 'Incoming call',
  body: 'Wang Fang · 3001',
  answerLabel: 'Answer',
  declineLabel: 'Decline',
};

function notifierWith(desktop: NodeDesktop) {
  const shown: ShownNotification[] = [];
  const actions: NotificationAction[] = [];
  const notifier = new IncomingCallNotifier(desktop.notifications, desktop.window, {
    shown: (n) => shown.push(n),
    action: (a) => actions.push(a),
  });
  return { notifier, shown, actions };
}

describe('IncomingCallNotifier', () => {
  it('notifies only when the desk is not in front, once per call', () => {
    const desktop = new NodeDesktop();
    const { notifier, shown } = notifierWith(desktop);
    desktop.focused = true;
    expect(notifier.ringing(notice)).toBe(false);
    desktop.focused = false;
    expect(notifier.ringing(notice)).toBe(true);
    expect(notifier.ringing(notice)).toBe(false);
    expect(shown).toEqual([expect.objectContaining({ callId: 'call-1', actions: ['Answer', 'Decline'] })]);
    expect(desktop.shown).toHaveLength(1);
  });

  it('Answer brings the desk forward and answers; Decline declines without stealing focus', () => {
    const desktop = new NodeDesktop();
    const { notifier, actions } = notifierWith(desktop);
    notifier.ringing(notice);
    desktop.choose('call-1', 'answer');
    notifier.ringing({ ...notice, callId: 'call-2' });
    desktop.choose('call-2', 'decline');
    expect(actions).toEqual([
      { callId: 'call-1', action: 'answer' },
      { callId: 'call-2', action: 'decline' },
    ]);
    expect(desktop.focusRequests).toBe(1);
  });

  it('closes the notification when the call stops ringing elsewhere', () => {
    const desktop = new NodeDesktop();
    const { notifier } = notifierWith(desktop);
    notifier.ringing(notice);
    notifier.stopped('call-1');
    notifier.stopped('call-1');
    expect(desktop.closed).toEqual(['call-1']);
  });
});

describe('GlobalHotkeys', () => {
  it('registers the three hotkeys, re-registers on change and reports the taken ones', () => {
    const desktop = new NodeDesktop();
    const pressed: HotkeyAction[] = [];
    const hotkeys = new GlobalHotkeys(desktop.hotkeys, (action) => pressed.push(action));
    hotkeys.apply(DEFAULT_PHONE_SETTINGS.hotkeys);
    expect(desktop.registeredHotkeys.sort()).toEqual(Object.values(DEFAULT_PHONE_SETTINGS.hotkeys).sort());
    desktop.press('CommandOrControl+Shift+A');
    expect(pressed).toEqual(['answer']);

    desktop.taken.add('Alt+M');
    hotkeys.apply({ ...DEFAULT_PHONE_SETTINGS.hotkeys, mute: 'Alt+M' });
    expect(hotkeys.unavailable).toEqual(['mute']);
    expect(desktop.registeredHotkeys).not.toContain('CommandOrControl+Shift+M');
    hotkeys.stop();
    expect(desktop.registeredHotkeys).toEqual([]);
  });
});

describe('TrayStatus', () => {
  it('shows offline over ringing over the agent state, and redraws only on a change', () => {
    const desktop = new NodeDesktop();
    const tray = new TrayStatus(desktop.tray);
    const base = {
      phone: 'registered' as const,
      agentState: 'available' as const,
      ringing: false,
      tooltip: 'A',
    };
    expect(tray.report(base)).toBe('available');
    expect(tray.report(base)).toBe('available');
    expect(tray.report({ ...base, ringing: true })).toBe('ringing');
    expect(tray.report({ ...base, agentState: 'on_call' })).toBe('busy');
    expect(tray.report({ ...base, agentState: 'after_call_work' })).toBe('busy');
    expect(tray.report({ ...base, agentState: 'away' })).toBe('away');
    expect(tray.report({ ...base, phone: 'offline', ringing: true })).toBe('offline');
    expect(tray.report({ ...base, phone: 'unconfigured' })).toBe('offline');
    expect(desktop.trayStates.map((state) => state.indicator)).toEqual([
      'available',
      'ringing',
      'busy',
      'away',
      'offline',
    ]);
  });
});
