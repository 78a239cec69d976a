import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, ipcChannel } from '../../../src/shared/contract';
import { NodeDesktop } from '../../harness/node-desktop';
import { createTestKeyProvider } from '../../harness/test-key-provider';

type Handler = (event: unknown, args: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const APP = 'agentdesk://app';
const fromApp = { senderFrame: { url: `${APP}/index.html`, parent: null } };

describe('main/ipc', () => {
  let unregister: () => void;

  beforeAll(async () => {
    const { registerIpc } = await import('../../../src/main/ipc');
    const { DeskServices } = await import('../../../src/main/desk-services');
    const services = new DeskServices({
      dataDir: mkdtempSync(join(tmpdir(), 'ipc-test-')),
      appInfo: { version: '1.0.0', platform: 'linux', host: 'electron' },
      defaultLanguage: 'en',
      defaultGatewayUrl: 'ws://127.0.0.1:1/v1/agent',
      demoGatewayUrl: null,
      desktop: new NodeDesktop(),
      keyProvider: createTestKeyProvider(),
    });
    await services.start();
    unregister = registerIpc(services.dispatch, APP);
  });

  const call = (method: string, event: unknown, args?: unknown) =>
    handlers.get(ipcChannel(method as never))!(event, args);

  it('binds one handler per contract method', () => {
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map(ipcChannel).sort());
  });

  it('answers a valid call from the app window', async () => {
    await expect(call('settings.set', fromApp, { language: 'zh-CN' })).resolves.toMatchObject({
      ok: true,
      value: { language: 'zh-CN', demoGatewayUrl: null },
    });
  });

  it.each([
    ['a wrong type', 'orders.search', { text: 42 }],
    ['an unknown field', 'settings.set', { language: 'en', admin: true }],
    ['an unsupported language', 'settings.set', { language: 'fr' }],
    ['a limit out of range', 'orders.search', { text: 'abc', limit: 10_000 }],
    [
      'a non-websocket gateway URL',
      'session.login',
      { gatewayUrl: 'file:///etc/passwd', username: 'a', password: 'b' },
    ],
    ['arguments where none are taken', 'session.logout', { everything: true }],
  ])('rejects %s with BAD_REQUEST before any service runs', async (_what, method, args) => {
    await expect(call(method, fromApp, args)).resolves.toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it.each([
    ['another origin', { senderFrame: { url: 'https://evil.example/index.html', parent: null } }],
    ['a file:// page', { senderFrame: { url: 'file:///tmp/index.html', parent: null } }],
    ['an iframe inside the app', { senderFrame: { url: `${APP}/frame.html`, parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('rejects a sender from %s with FORBIDDEN_SENDER', async (_what, event) => {
    await expect(call('settings.get', event)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });

  it('reports NOT_SIGNED_IN for data calls without a session', async () => {
    await expect(call('orders.get', fromApp, { id: 'x' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
  });

  it('unbinds every handler', () => {
    unregister();
    expect(handlers.size).toBe(0);
  });
});

describe('dispatch', () => {
  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    const { createDispatch } = await import('../../../src/main/dispatch');
    const dispatch = createDispatch({} as never);
    await expect(dispatch('shell.exec', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
  });
});
