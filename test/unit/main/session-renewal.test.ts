import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { runUsersCommand } from '../../../src/server/auth/users-command';
import { startGateway, type Gateway } from '../../../src/server/gateway';
import { SessionService } from '../../../src/main/services/session/SessionService';
import type { ConnectionState } from '../../../src/shared/contract';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { AGENT_WS_PATH } from '../../../src/shared/protocol';

const quiet = pino({ level: 'silent' });
/** Short enough to expire in a test, long enough that a renewal at 80% of it is not rushed. */
const TOKEN_TTL_SECONDS = 3;

/**
 * The desk keeps its sign-in alive across access-token expiry (renewing it over the open
 * connection, or in the hello after an outage) and ends it when the gateway ends it.
 */
describe('SessionService keeps the sign-in alive, against a real gateway', () => {
  let dir: string;
  let dbPath: string;
  let gateway: Gateway | null = null;
  const sessions: SessionService[] = [];

  const start = async (port = 0) => {
    gateway = await startGateway({
      port,
      dbPath,
      logger: quiet,
      demo: { orders: 20, seed: 3 },
      tokenTtlSeconds: TOKEN_TTL_SECONDS,
    });
    return gateway;
  };
  const signIn = async () => {
    const session = new SessionService({ client: { name: 'test', version: '0' }, connectTimeoutMs: 3000 });
    sessions.push(session);
    await session.login(`${gateway!.url}${AGENT_WS_PATH}`, DEMO_LOGIN.username, DEMO_LOGIN.password);
    return session;
  };
  const signedOut = (session: SessionService) =>
    new Promise<ConnectionState>((resolve) => {
      const off = session.onConnectionChanged((state) => {
        if (state.status === 'signed_out' && state.reason) {
          off();
          resolve(state);
        }
      });
    });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.logout()));
    await gateway?.close();
    gateway = null;
    rmSync(dir, { recursive: true, force: true });
  });

  const freshDir = () => {
    dir = mkdtempSync(join(tmpdir(), 'session-renewal-'));
    dbPath = join(dir, 'gateway.db');
  };

  it('renews the access token over the open connection before it expires: still signed in after two lifetimes', async () => {
    freshDir();
    await start();
    const session = await signIn();
    const states: ConnectionState['status'][] = [];
    session.onConnectionChanged((state) => states.push(state.status));
    await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_SECONDS * 2 * 1000 + 500));
    expect(session.connectionState.status).toBe('online');
    expect(states).not.toContain('signed_out');
    expect((await session.request('orders.search', { text: '', limit: 1 })).items).toHaveLength(1);
  });

  it('after an outage longer than the token, resumes with the refresh token in the hello', async () => {
    freshDir();
    const first = await start();
    const session = await signIn();
    const port = first.port;
    await first.close();
    gateway = null;
    await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_SECONDS * 1000 + 500));
    await start(port);
    await new Promise<void>((resolve) => {
      if (session.connectionState.status === 'online') return resolve();
      const off = session.onConnectionChanged((state) => {
        if (state.status === 'online') {
          off();
          resolve();
        }
      });
    });
    expect(session.session.user?.username).toBe(DEMO_LOGIN.username);
    expect((await session.request('orders.search', { text: '', limit: 1 })).items).toHaveLength(1);
  });

  it('is signed out, saying why, when an operator ends the sign-in', async () => {
    freshDir();
    await start();
    const session = await signIn();
    const ended = signedOut(session);
    const io = { out: () => undefined, err: () => undefined, readPassword: async () => '' };
    expect(await runUsersCommand(['sign-out', DEMO_LOGIN.username, '--db', dbPath], io)).toBe(0);
    expect((await ended).reason?.code).toBe('SESSION_ENDED');
    expect(session.session.user).toBeNull();
  });

  it('ends the sign-in at the gateway on sign-out: its refresh token no longer works', async () => {
    freshDir();
    await start();
    const session = await signIn();
    const families = () => countActiveSignIns(dbPath);
    expect(families()).toBe(1);
    await session.logout();
    expect(families()).toBe(0);
  });
});

/** Sign-ins (refresh token families) not revoked, read from the gateway's file. */
function countActiveSignIns(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare<[], { n: number }>(
        'SELECT count(*) AS n FROM refresh_token_families WHERE revoked_at_ms IS NULL',
      )
      .get()!.n;
  } finally {
    db.close();
  }
}
