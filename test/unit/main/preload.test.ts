import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, METHOD_NAMES, ipcChannel } from '../../../src/shared/contract';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'result' }));
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: { invoke, on, removeListener },
}));

type Api = Record<string, Record<string, (args?: unknown) => Promise<unknown>>> & {
  on: (event: string, cb: (p: unknown) => void) => () => void;
};

describe('preload', () => {
  beforeEach(async () => {
    exposed.clear();
    vi.resetModules();
    await import('../../../src/preload/index');
  });

  it('exposes only window.agentDesk', () => {
    expect([...exposed.keys()]).toEqual(['agentDesk']);
  });

  it('exposes exactly the contract: every method, nothing else', () => {
    const api = exposed.get('agentDesk') as Api;
    const surface: string[] = [];
    for (const [group, value] of Object.entries(api)) {
      if (typeof value === 'function') surface.push(group);
      else
        for (const [leaf, fn] of Object.entries(value))
          if (typeof fn === 'function') surface.push(`${group}.${leaf}`);
    }
    expect(surface.sort()).toEqual([...METHOD_NAMES, 'on'].sort());
  });

  it('sends a call on the method channel and returns the envelope', async () => {
    const api = exposed.get('agentDesk') as Api;
    const args = { text: 'AD-26' };
    await expect(api.orders!.search!(args)).resolves.toEqual({ ok: true, value: 'result' });
    expect(invoke).toHaveBeenLastCalledWith(ipcChannel('orders.search'), args);
  });

  it('delivers only the subscribed event and unsubscribes', () => {
    const api = exposed.get('agentDesk') as Api;
    const seen: unknown[] = [];
    const off = api.on('session.changed', (payload) => seen.push(payload));
    const handler = on.mock.calls.at(-1)![1] as (e: unknown, m: unknown) => void;
    expect(on.mock.calls.at(-1)![0]).toBe(EVENT_CHANNEL);
    handler({}, { event: 'connection.changed', payload: 1 });
    handler({}, { event: 'session.changed', payload: 2 });
    expect(seen).toEqual([2]);
    off();
    expect(removeListener).toHaveBeenCalledWith(EVENT_CHANNEL, handler);
  });

  it('refuses events that are not in the contract', () => {
    const api = exposed.get('agentDesk') as Api;
    expect(() => api.on('ipc.raw', () => undefined)).toThrow(/Unknown event/);
  });
});
