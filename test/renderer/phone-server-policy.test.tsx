import { describe, expect, it } from 'vitest';
import { isRetried, offlineReasonKey } from '../../src/renderer/features/softphone/phone-offline-reason';
import {
  blocksPhoneServer,
  reloadForPhoneServer,
  type PolicyReloadDeps,
} from '../../src/renderer/features/softphone/phone-server-policy';

const SERVER = 'wss://pbx.example.com:8089/ws';

function fakeDeps(idle: boolean) {
  const state = { idle, reloads: 0, listeners: new Set<() => void>(), stored: new Map<string, string>() };
  const deps: PolicyReloadDeps = {
    isIdle: () => state.idle,
    onChange: (listener) => {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
    reload: () => {
      state.reloads += 1;
    },
    storage: {
      getItem: (key) => state.stored.get(key) ?? null,
      setItem: (key, value) => void state.stored.set(key, value),
    },
  };
  const change = (nowIdle: boolean) => {
    state.idle = nowIdle;
    for (const listener of [...state.listeners]) listener();
  };
  return { state, deps, change };
}

describe('the page policy and a new phone server', () => {
  it('recognises the policy refusing the websocket to this phone server, and nothing else', () => {
    expect(blocksPhoneServer({ effectiveDirective: 'connect-src', blockedURI: `${SERVER}?x` }, SERVER)).toBe(
      true,
    );
    expect(
      blocksPhoneServer(
        { effectiveDirective: 'connect-src', blockedURI: 'wss://pbx.example.com:8089' },
        SERVER,
      ),
    ).toBe(true);
    expect(
      blocksPhoneServer({ effectiveDirective: 'connect-src', blockedURI: 'wss://other.example/ws' }, SERVER),
    ).toBe(false);
    expect(blocksPhoneServer({ effectiveDirective: 'img-src', blockedURI: SERVER }, SERVER)).toBe(false);
    expect(blocksPhoneServer({ effectiveDirective: 'connect-src', blockedURI: 'inline' }, SERVER)).toBe(
      false,
    );
  });

  it('reloads at once when no call or after-call work is on', () => {
    const { state, deps } = fakeDeps(true);
    expect(reloadForPhoneServer(SERVER, deps)).toBe('reloading');
    expect(state.reloads).toBe(1);
  });

  it('waits for after-call work to end, then reloads once', () => {
    const { state, deps, change } = fakeDeps(false);
    expect(reloadForPhoneServer(SERVER, deps)).toBe('reloading');
    expect(state.reloads).toBe(0);
    change(false);
    expect(state.reloads).toBe(0);
    change(true);
    change(true);
    expect(state.reloads).toBe(1);
    expect(state.listeners.size).toBe(0);
  });

  it('does not reload again for an address the reloaded page still refuses', () => {
    const { state, deps } = fakeDeps(true);
    reloadForPhoneServer(SERVER, deps);
    expect(reloadForPhoneServer(SERVER, deps)).toBe('blocked');
    expect(state.reloads).toBe(1);
    // Another address later is another reload.
    expect(reloadForPhoneServer('wss://pbx2.example.com/ws', deps)).toBe('reloading');
    expect(state.reloads).toBe(2);
  });

  it('names the reasons and says which ones wait for the agent', () => {
    expect(offlineReasonKey('insecure')).toBe('insecure');
    expect(offlineReasonKey('policy_reload')).toBe('policyReload');
    expect(offlineReasonKey('policy_blocked')).toBe('policyBlocked');
    expect(offlineReasonKey('rejected_403')).toBe('rejected');
    expect(['insecure', 'policy_reload', 'policy_blocked', 'rejected_401'].some(isRetried)).toBe(false);
    expect([null, 'transport', 'unreachable', 'unregistered'].every(isRetried)).toBe(true);
  });
});
