import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/server/auth/password-hash';
import { SqliteUserStore } from '../../../src/server/auth/sqlite-user-store';
import { openDatabase, type SqliteDatabase } from '../../../src/server/db/open-database';
import type { Gateway } from '../../../src/server/gateway';
import type { LoginResult } from '../../../src/shared/protocol';
import { AgentClient } from './support/agent-client';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';

const tempDir = makeTempDir();
const dbPath = join(tempDir.path, 'gateway.db');
const PASSWORD = 'correct horse battery';
let gateway: Gateway;
/** A second connection to the gateway's file, as an operator's CLI would have. */
let db: SqliteDatabase;
let users: SqliteUserStore;

beforeAll(async () => {
  gateway = await startTestGateway({ dbPath, demo: { orders: 20, seed: 4 } });
  db = openDatabase(dbPath);
  users = new SqliteUserStore(db);
});

afterAll(async () => {
  db?.close();
  await gateway?.close();
  tempDir.remove();
});

let userCount = 0;
/** A fresh account per test, so that revoking one sign-in cannot leak into another test. */
async function newUser(role: 'frontline' | 'supervisor' = 'frontline'): Promise<string> {
  const username = `agent${(userCount += 1)}`;
  await users.create({
    username,
    displayName: `Agent ${userCount}`,
    role,
    passwordHash: await hashPassword(PASSWORD),
  });
  return username;
}

async function signIn(username: string): Promise<{ client: AgentClient; login: LoginResult }> {
  const { client } = await AgentClient.ready(gateway.url);
  const login = await client.call('auth.login', { username, password: PASSWORD });
  return { client, login };
}

async function refresh(refreshToken: string) {
  const { client } = await AgentClient.ready(gateway.url);
  const outcome = await client.request('auth.refresh', { refreshToken });
  return { client, outcome };
}

/** A hello with `token` is refused: UNAUTHENTICATED, then close 4401. */
async function expectHelloRefused(token: string, message: RegExp): Promise<void> {
  const client = await AgentClient.connect(gateway.url);
  client.send({ type: 'hello', protocol: 1, client: { name: 'unit-test', version: '1' }, token });
  expect(await client.next()).toMatchObject({ type: 'error', error: { code: 'UNAUTHENTICATED', message } });
  expect((await client.closed).code).toBe(4401);
}

describe('refresh tokens', () => {
  it('login returns a 32-byte refresh token valid for 12 hours', async () => {
    const before = Date.now();
    const { client, login } = await signIn(await newUser());
    expect(Buffer.from(login.refreshToken, 'base64url')).toHaveLength(32);
    const lifetimeMs = Date.parse(login.refreshExpiresAt) - before;
    expect(lifetimeMs).toBeGreaterThan(12 * 3600_000 - 5_000);
    expect(lifetimeMs).toBeLessThanOrEqual(12 * 3600_000 + 1_000);
    // Stored hashed: the token itself is nowhere in the database.
    const stored = db.prepare('SELECT token_hash FROM refresh_tokens').all() as { token_hash: string }[];
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((row) => row.token_hash)).not.toContain(login.refreshToken);
    await client.close();
  });

  it('auth.refresh trades the token for a new pair and signs the connection in', async () => {
    const username = await newUser();
    const { client: first, login } = await signIn(username);
    await first.close();
    const { client, outcome } = await refresh(login.refreshToken);
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.result.user).toEqual(login.user);
    expect(outcome.result.refreshToken).not.toBe(login.refreshToken);
    expect((await client.call('orders.search', { limit: 2 })).items).toHaveLength(2);
    // The new access token opens a session of its own.
    const { client: resumed, user } = await AgentClient.ready(gateway.url, outcome.result.token);
    expect(user?.username).toBe(username);
    await Promise.all([client.close(), resumed.close()]);
  });

  it('rotates on every refresh: each token works once, in a chain', async () => {
    const { client, login } = await signIn(await newUser());
    await client.close();
    let token = login.refreshToken;
    for (let step = 0; step < 5; step += 1) {
      const { client: next, outcome } = await refresh(token);
      if (!outcome.ok) throw new Error(`step ${step}: ${outcome.error.message}`);
      token = outcome.result.refreshToken;
      await next.close();
    }
  });

  it('a reused refresh token ends the whole sign-in: the newest refresh and access tokens stop working', async () => {
    const username = await newUser();
    const { client: original, login } = await signIn(username);
    const { client: thief, outcome } = await refresh(login.refreshToken);
    if (!outcome.ok) throw new Error(outcome.error.message);
    const stolenPair = outcome.result;

    // The owner's client presents the token the thief already used.
    const { client: owner, outcome: reuse } = await refresh(login.refreshToken);
    expect(reuse).toEqual({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Refresh token already used: sign in again' },
    });
    const { outcome: afterReuse } = await refresh(stolenPair.refreshToken);
    expect(afterReuse).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await expectHelloRefused(stolenPair.token, /Signed out/);
    await expectHelloRefused(login.token, /Signed out/);
    // Connections of that sign-in fail at their next request.
    expect(await thief.callFailing('orders.search', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await original.callFailing('orders.search', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
    // Another sign-in of the same user is not affected.
    const { client: fresh } = await signIn(username);
    expect((await fresh.call('orders.search', { limit: 1 })).items).toHaveLength(1);
    await Promise.all([original.close(), thief.close(), owner.close(), fresh.close()]);
  });

  it('two concurrent refreshes with one token: one wins, and the reuse ends the sign-in', async () => {
    const { client, login } = await signIn(await newUser());
    await client.close();
    const [a, b] = await Promise.all([refresh(login.refreshToken), refresh(login.refreshToken)]);
    const outcomes = [a.outcome, b.outcome];
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok)).toHaveLength(1);
    const winner = outcomes.find((outcome) => outcome.ok);
    if (!winner?.ok) throw new Error('no winner');
    expect((await refresh(winner.result.refreshToken)).outcome).toMatchObject({ ok: false });
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('refuses unknown, malformed and oversize refresh tokens', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    for (const refreshToken of ['nope', 'A'.repeat(43), '']) {
      const error = await client.callFailing('auth.refresh', { refreshToken });
      expect(error.code).toMatch(/UNAUTHENTICATED|BAD_REQUEST/);
    }
    expect(await client.callFailing('auth.refresh', { refreshToken: 'x'.repeat(5000) })).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await client.callFailing('auth.refresh', { refreshToken: 'A'.repeat(43) })).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Invalid refresh token',
    });
    // A refused refresh signs nothing in.
    expect(await client.callFailing('orders.search', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
    await client.close();
  });

  it('refuses an expired refresh token', async () => {
    const dir = makeTempDir();
    const shortLived = await startTestGateway({
      dbPath: join(dir.path, 'short.db'),
      demo: { orders: 0 },
      refreshTtlSeconds: 1,
    });
    try {
      const { client } = await AgentClient.ready(shortLived.url);
      const login = await client.call('auth.login', { username: 'frontline', password: 'demo' });
      await new Promise((resolve) =>
        setTimeout(resolve, Date.parse(login.refreshExpiresAt) - Date.now() + 50),
      );
      expect(await client.callFailing('auth.refresh', { refreshToken: login.refreshToken })).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'Refresh token expired: sign in again',
      });
      await client.close();
    } finally {
      await shortLived.close();
      dir.remove();
    }
  });
});

describe('auth.logout', () => {
  it('signs the connection out and revokes its refresh and access tokens', async () => {
    const username = await newUser();
    const { client, login } = await signIn(username);
    const { client: other } = await AgentClient.ready(gateway.url, login.token);
    expect(await client.call('auth.logout')).toEqual({});
    expect(await client.callFailing('orders.search', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await client.callFailing('auth.logout')).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await refresh(login.refreshToken)).outcome).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Invalid refresh token' },
    });
    await expectHelloRefused(login.token, /Signed out/);
    // Another connection resumed from the same token is signed out at its next request.
    expect(await other.callFailing('orders.search', {})).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Signed out: sign in again',
    });
    // Signing in again works.
    expect((await client.call('auth.login', { username, password: PASSWORD })).user.username).toBe(username);
    await Promise.all([client.close(), other.close()]);
  });

  it('is refused before sign-in', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    expect(await client.callFailing('auth.logout')).toMatchObject({ code: 'UNAUTHENTICATED' });
    await client.close();
  });
});

describe('user changes apply at the next request', () => {
  it('a new role shows at the next hello and refresh; a removed user is refused at the next request', async () => {
    const username = await newUser('frontline');
    const { client, login } = await signIn(username);
    await users.setRole(username, 'supervisor');

    const { client: resumed, user } = await AgentClient.ready(gateway.url, login.token);
    expect(user?.role).toBe('supervisor');
    const { client: refreshed, outcome } = await refresh(login.refreshToken);
    expect(outcome).toMatchObject({ ok: true, result: { user: { role: 'supervisor' } } });

    expect((await client.call('orders.search', { limit: 1 })).items).toHaveLength(1);
    db.prepare('DELETE FROM users WHERE username = ?').run(username);
    expect(await client.callFailing('orders.search', { limit: 1 })).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Invalid session token',
    });
    await Promise.all([client.close(), resumed.close(), refreshed.close()]);
  });
});
