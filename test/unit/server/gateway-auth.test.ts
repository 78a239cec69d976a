import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway';
import { DEMO_LOGIN, DEMO_PASSWORD, DEMO_USERS } from '../../../src/shared/demo';
import { AgentClient } from './support/agent-client';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const tempDir = makeTempDir();
const dbPath = join(tempDir.path, 'gateway.db');
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startTestGateway({ dbPath, demo: { orders: 200, seed: 9 } });
});

afterAll(async () => {
  await gateway?.close();
  tempDir.remove();
});

async function login(target: Gateway = gateway) {
  const { client } = await AgentClient.ready(target.url);
  const result = await client.call('auth.login', DEMO_LOGIN);
  await client.close();
  return result;
}

/** Opens a connection whose hello carries `token` and expects the refusal: error frame, then 4401. */
async function expectTokenRefused(target: Gateway, token: string, message: RegExp): Promise<void> {
  const client = await AgentClient.connect(target.url);
  client.send({ type: 'hello', protocol: 1, client: { name: 'unit-test', version: '1' }, token });
  const frame = await client.next();
  expect(frame).toMatchObject({ type: 'error', error: { code: 'UNAUTHENTICATED' } });
  if (frame.type === 'error') expect(frame.error.message).toMatch(message);
  expect((await client.closed).code).toBe(4401);
}

describe('auth.login', () => {
  it('signs a demo user in and returns a token valid for an hour', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    const before = Date.now();
    const result = await client.call('auth.login', DEMO_LOGIN);
    expect(result.user).toEqual({
      id: expect.stringMatching(/^usr_/),
      username: 'frontline',
      displayName: DEMO_USERS[0].displayName,
      role: 'frontline',
    });
    const after = Date.now();
    // Issued somewhere between the two readings, with whole-second claims.
    expect(Date.parse(result.expiresAt) - before).toBeGreaterThan(3_590_000);
    expect(Date.parse(result.expiresAt) - after).toBeLessThanOrEqual(3_600_000);
    expect((await client.call('orders.search', { limit: 3 })).items).toHaveLength(3);
    await client.close();
  });

  it('seeds every demo user with the demo password and its role', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    for (const demoUser of DEMO_USERS) {
      const { user } = await client.call('auth.login', {
        username: demoUser.username,
        password: DEMO_PASSWORD,
      });
      expect(user).toMatchObject({ username: demoUser.username, role: demoUser.role });
    }
    await client.close();
  });

  it('compares usernames case-insensitively and trims them', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    const { user } = await client.call('auth.login', { username: '  FrontLine ', password: DEMO_PASSWORD });
    expect(user.username).toBe('frontline');
    await client.close();
  });

  it('refuses a wrong password and an unknown user with the same UNAUTHENTICATED message', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    const wrongPassword = await client.callFailing('auth.login', { username: 'frontline', password: 'nope' });
    const unknownUser = await client.callFailing('auth.login', {
      username: 'nobody',
      password: DEMO_PASSWORD,
    });
    expect(wrongPassword).toEqual({ code: 'UNAUTHENTICATED', message: 'Wrong username or password' });
    expect(unknownUser).toEqual(wrongPassword);
    expect(await client.callFailing('orders.search', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
    await client.close();
  });

  it('refuses every non-public method before sign-in, but reports unknown methods as such', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    expect(await client.callFailing('orders.search', { text: '王' })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await client.callFailing('orders.get', { id: 'x' })).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await client.callFailing('admin.wipe' as never, {})).toMatchObject({ code: 'UNKNOWN_METHOD' });
    await client.close();
  });
});

describe('session tokens', () => {
  it('resumes the user from a token in the hello, without signing in again', async () => {
    const { token, user } = await login();
    const { client, user: resumed } = await AgentClient.ready(gateway.url, token);
    expect(resumed).toEqual(user);
    expect((await client.call('orders.search', { limit: 1 })).items).toHaveLength(1);
    await client.close();
  });

  it('serves requests sent right behind a hello with a token, in order', async () => {
    const { token } = await login();
    const client = await AgentClient.connect(gateway.url);
    client.send({ type: 'hello', protocol: 1, client: { name: 'unit-test', version: '1' }, token });
    client.send({ type: 'req', id: 'pipelined', method: 'orders.search', params: { limit: 2 } });
    expect(await client.next()).toMatchObject({ type: 'hello.ok', user: { username: 'frontline' } });
    expect(await client.next()).toMatchObject({ type: 'res', id: 'pipelined', ok: true });
    await client.close();
  });

  it('refuses forged tokens with UNAUTHENTICATED and closes 4401', async () => {
    const { token } = await login();
    const [keyId, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const escalated = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    await expectTokenRefused(gateway, `${keyId}.${escalated}.${signature}`, /Invalid/);
    await expectTokenRefused(gateway, `${keyId}.${payload}.${signature.slice(0, -2)}AA`, /Invalid/);
    await expectTokenRefused(gateway, 'not-a-token', /Invalid/);
  });

  it('refuses a token issued by a gateway with another secret', async () => {
    const otherDir = makeTempDir();
    const other = await startTestGateway({ dbPath: join(otherDir.path, 'other.db'), demo: { orders: 0 } });
    const { token } = await login(other);
    await other.close();
    otherDir.remove();
    await expectTokenRefused(gateway, token, /Invalid/);
  });

  it('keeps tokens valid across a gateway restart on the same database', async () => {
    const dir = makeTempDir();
    const path = join(dir.path, 'restart.db');
    const first = await startTestGateway({ dbPath: path, demo: { orders: 0 } });
    const { token } = await login(first);
    await first.close();
    const second = await startTestGateway({ dbPath: path });
    const { user } = await AgentClient.ready(second.url, token).then(async ({ client, user }) => {
      await client.close();
      return { user };
    });
    expect(user?.username).toBe('frontline');
    await second.close();
    dir.remove();
  });

  it('ends a connection when its session expires (error frame, then close); the expired token is refused at hello', async () => {
    const dir = makeTempDir();
    const shortLived = await startTestGateway({
      dbPath: join(dir.path, 'short.db'),
      demo: { orders: 5 },
      tokenTtlSeconds: 2,
    });
    const { client } = await AgentClient.ready(shortLived.url);
    // Claims have whole seconds, so a 2 s token lives between 1 and 2 s.
    const { token } = await client.call('auth.login', DEMO_LOGIN);
    expect((await client.call('orders.search', { limit: 1 })).items).toHaveLength(1);

    expect(await client.next(3_000)).toMatchObject({ type: 'error', error: { code: 'SESSION_EXPIRED' } });
    expect((await client.closed).code).toBe(4401);
    await expectTokenRefused(shortLived, token, /expired/);

    const { client: again } = await AgentClient.ready(shortLived.url);
    await again.call('auth.login', DEMO_LOGIN);
    expect((await again.call('orders.search', { limit: 1 })).items).toHaveLength(1);
    await again.close();
    await shortLived.close();
    dir.remove();
  });
});
