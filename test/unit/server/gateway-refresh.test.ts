import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/server/auth/password-hash';
import { runUsersCommand } from '../../../src/server/auth/users-command';
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

/** The gateway ended the connection's session: an error frame saying why, then close 4401. */
async function expectEnded(client: AgentClient, message: RegExp): Promise<void> {
  expect(await client.next()).toMatchObject({ type: 'error', error: { code: 'SESSION_ENDED', message } });
  expect((await client.closed).code).toBe(4401);
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

  it('a reused refresh token ends the whole sign-in at once: every connection of it, the newest tokens too', async () => {
    const username = await newUser();
    const { client: original, login } = await signIn(username);
    // The thief uses the stolen token, then the token it got: the chain moved on twice.
    const { client: thief, outcome } = await refresh(login.refreshToken);
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { outcome: second } = await refresh(outcome.result.refreshToken);
    if (!second.ok) throw new Error(second.error.message);
    const stolenPair = second.result;

    // The owner's client presents the token the thief used first.
    const { client: owner, outcome: reuse } = await refresh(login.refreshToken);
    expect(reuse).toEqual({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Refresh token already used: sign in again' },
    });
    // Open connections of that sign-in are ended now, not at their next request.
    await expectEnded(original, /sign-in ended/);
    await expectEnded(thief, /sign-in ended/);
    const { outcome: afterReuse } = await refresh(stolenPair.refreshToken);
    expect(afterReuse).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await expectHelloRefused(stolenPair.token, /Signed out/);
    await expectHelloRefused(login.token, /Signed out/);
    // Another sign-in of the same user is not affected.
    const { client: fresh } = await signIn(username);
    expect((await fresh.call('orders.search', { limit: 1 })).items).toHaveLength(1);
    await Promise.all([owner.close(), fresh.close()]);
  });

  it('a refresh retried soon after its answer was lost gets a new pair, and the lost one stops working', async () => {
    const { client, login } = await signIn(await newUser());
    await client.close();
    const { client: lost, outcome: lostAnswer } = await refresh(login.refreshToken);
    if (!lostAnswer.ok) throw new Error(lostAnswer.error.message);
    await lost.close();
    // The desk never saw that answer: it presents the same token again.
    const { client: retried, outcome: retry } = await refresh(login.refreshToken);
    if (!retry.ok) throw new Error(retry.error.message);
    expect(retry.result.refreshToken).not.toBe(lostAnswer.result.refreshToken);
    expect((await retried.call('orders.search', { limit: 1 })).items).toHaveLength(1);
    // Whoever holds the lost answer's token ends the sign-in by using it.
    const { outcome: lostUsed } = await refresh(lostAnswer.result.refreshToken);
    expect(lostUsed).toMatchObject({
      ok: false,
      error: { message: 'Refresh token already used: sign in again' },
    });
    await expectEnded(retried, /sign-in ended/);
  });

  it('two concurrent refreshes with one token leave one chain: a later use of the other ends the sign-in', async () => {
    const { client, login } = await signIn(await newUser());
    await client.close();
    const [a, b] = await Promise.all([refresh(login.refreshToken), refresh(login.refreshToken)]);
    const issued = [a.outcome, b.outcome].flatMap((outcome) =>
      outcome.ok ? [outcome.result.refreshToken] : [],
    );
    expect(issued.length).toBeGreaterThanOrEqual(1);
    // Each refresh token is used once below; at most one of them may still work.
    const results = [];
    for (const token of issued) results.push((await refresh(token)).outcome.ok);
    expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
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
    // Another connection resumed from the same token is ended at once.
    await expectEnded(other, /sign-in ended/);
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

describe("an operator's account changes end open sessions", () => {
  const io = { out: () => undefined, err: () => undefined, readPassword: async () => PASSWORD };

  it("a role change (users set-role) ends the user's connections at once; the next sign-in has the new role", async () => {
    const username = await newUser('frontline');
    const { client, login } = await signIn(username);
    await client.call('events.subscribe', { fromSeq: 0 });
    expect(await runUsersCommand(['set-role', username, 'supervisor', '--db', dbPath], io)).toBe(0);
    await expectEndedSkippingEvents(client, /Signed out|role changed/);
    await expectHelloRefused(login.token, /Signed out/);
    expect((await refresh(login.refreshToken)).outcome).toMatchObject({ ok: false });
    const { client: again, login: relogin } = await signIn(username);
    expect(relogin.user.role).toBe('supervisor');
    await again.close();
  });

  it('users sign-out ends every sign-in of the user; a removed user is ended too', async () => {
    const username = await newUser();
    const { client: first } = await signIn(username);
    const { client: second } = await signIn(username);
    expect(await runUsersCommand(['sign-out', username, '--db', dbPath], io)).toBe(0);
    await expectEnded(first, /Signed out/);
    await expectEnded(second, /Signed out/);

    const removed = await newUser();
    const { client } = await signIn(removed);
    db.prepare('DELETE FROM users WHERE username = ?').run(removed);
    await expectEnded(client, /Invalid session token/);
  });

  it("a role changed behind the gateway's back (a direct store write) also ends the session, and its token no longer resumes", async () => {
    const username = await newUser('frontline');
    const { client, login } = await signIn(username);
    await users.setRole(username, 'supervisor');
    await expectEnded(client, /role changed/);
    await expectHelloRefused(login.token, /role changed/);
  });
});

/** As expectEnded, for a subscribed connection: event frames may come first, none after the error. */
async function expectEndedSkippingEvents(client: AgentClient, message: RegExp): Promise<void> {
  for (;;) {
    const frame = await client.next();
    if (frame.type === 'event') continue;
    expect(frame).toMatchObject({ type: 'error', error: { code: 'SESSION_ENDED', message } });
    break;
  }
  expect((await client.closed).code).toBe(4401);
  expect(client.idle).toBe(true);
}
