import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionService } from '../../../src/main/services/session/SessionService';
import type { ConnectionState } from '../../../src/shared/contract';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { AGENT_WS_PATH } from '../../../src/shared/protocol';
import { startGateway, type Gateway } from '../../../src/server/gateway';

const quiet = pino({ level: 'silent' });

/** The desktop's session against a real gateway on loopback with a real SQLite file. */
describe('SessionService with a real gateway', () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-test-'));
  const dbPath = join(dir, 'gateway.db');
  let gateway: Gateway;
  let wsUrl: string;

  beforeAll(async () => {
    gateway = await startGateway({ port: 0, dbPath, logger: quiet, demo: { orders: 300, seed: 3 } });
    wsUrl = `${gateway.url}${AGENT_WS_PATH}`;
  });
  afterAll(async () => {
    await gateway.close();
  });

  const newSession = () =>
    new SessionService({ client: { name: 'test', version: '0' }, connectTimeoutMs: 3000 });

  it('signs in, reports online and searches', async () => {
    const session = newSession();
    const states: ConnectionState['status'][] = [];
    session.onConnectionChanged((s) => states.push(s.status));
    const state = await session.login(wsUrl, DEMO_LOGIN.username, DEMO_LOGIN.password);
    expect(state.user).toMatchObject({ username: 'frontline', role: 'frontline' });
    expect(session.connectionState.status).toBe('online');
    expect(states).toContain('connecting');
    const { items } = await session.request('orders.search', { text: '', limit: 5 });
    expect(items).toHaveLength(5);
    await session.logout();
    expect(session.connectionState.status).toBe('signed_out');
    await expect(session.request('orders.search', { text: '' })).rejects.toMatchObject({
      code: 'NOT_SIGNED_IN',
    });
  });

  it('refuses a wrong password with UNAUTHENTICATED and stays signed out', async () => {
    const session = newSession();
    await expect(session.login(wsUrl, DEMO_LOGIN.username, 'wrong')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(session.session.user).toBeNull();
    expect(session.connectionState.status).toBe('signed_out');
  });

  it('says GATEWAY_UNAVAILABLE when nothing listens', async () => {
    const session = newSession();
    await expect(session.login('ws://127.0.0.1:1/v1/agent', 'a', 'b')).rejects.toMatchObject({
      code: 'GATEWAY_UNAVAILABLE',
    });
  });

  it('goes offline with a reason when the gateway stops, and resumes the session when it is back', async () => {
    const session = newSession();
    await session.login(wsUrl, DEMO_LOGIN.username, DEMO_LOGIN.password);
    const port = gateway.port;
    const offline = new Promise<ConnectionState>((resolve) => {
      const off = session.onConnectionChanged((s) => {
        if (s.status === 'offline') {
          off();
          resolve(s);
        }
      });
    });
    await gateway.close();
    const state = await offline;
    expect(state.reason?.code).toBe('GATEWAY_UNAVAILABLE');
    await expect(session.request('orders.search', { text: '' })).rejects.toMatchObject({
      code: 'GATEWAY_UNAVAILABLE',
    });

    const online = new Promise<void>((resolve) => {
      const off = session.onConnectionChanged((s) => {
        if (s.status === 'online') {
          off();
          resolve();
        }
      });
    });
    gateway = await startGateway({ port, dbPath, logger: quiet, demo: { orders: 300, seed: 3 } });
    await online;
    // The token from the first sign-in was accepted in the new hello: no second sign-in.
    expect(session.session.user?.username).toBe('frontline');
    const { items } = await session.request('orders.search', { text: '', limit: 1 });
    expect(items).toHaveLength(1);
    await session.logout();
  });
});
