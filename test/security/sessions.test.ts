import { afterEach, describe, expect, it } from 'vitest';
import { runUsersCommand } from '../../src/server/auth/users-command';
import { DEMO_PASSWORD } from '../../src/shared/demo';
import type { ServerFrame } from '../../src/shared/protocol';
import { AgentClient } from '../unit/server/support/agent-client';
import { metricValue } from '../unit/server/support/metrics-text';
import { startAttackGateway, type AttackGateway } from './support/attack-gateway';

/**
 * Attack: a socket keeps its event stream after its sign-in ended. With the refresh-token family
 * revoked, the socket that had subscribed went on receiving order events (29 in 6 s), with the
 * role it subscribed with, and was never closed.
 */

const CLOSE_WITHIN_MS = 1_000;
let attack: AttackGateway | null = null;

afterEach(async () => {
  await attack?.close();
  attack = null;
});

/** A subscribed connection resumed from `token` (a second desk, or whoever copied the token). */
async function subscribedSocket(url: string, token: string): Promise<AgentClient> {
  const { client } = await AgentClient.ready(url, token);
  const { headSeq } = await client.call('events.head');
  await client.call('events.subscribe', { fromSeq: headSeq });
  return client;
}

/** Writes `count` order changes through the gateway's one write path (each is an event). */
async function publishEvents(target: AttackGateway, orderId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await target.gateway.changes.update(orderId, null, (order) => order, { source: 'system' });
  }
}

/** Every frame the socket got until it closed, and whether it closed within the time given. */
async function framesUntilClosed(
  client: AgentClient,
  withinMs: number,
): Promise<{ frames: ServerFrame[]; closedInTime: boolean }> {
  const closedInTime = await Promise.race([
    client.closed.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), withinMs)),
  ]);
  const frames: ServerFrame[] = [];
  while (!client.idle) frames.push(await client.next());
  return { frames, closedInTime };
}

async function signInFrontline(target: AttackGateway) {
  const { client } = await AgentClient.ready(target.gateway.url);
  const login = await client.call('auth.login', { username: 'frontline', password: DEMO_PASSWORD });
  const orderId = (await client.call('orders.search', { limit: 1 })).items[0]!.id;
  return { client, login, orderId };
}

describe('a sign-in that ends takes its event streams with it', () => {
  it('sign-out on one connection: the other subscribed socket gets no event after it and is closed within 1 s', async () => {
    attack = await startAttackGateway({ demoOrders: 30 });
    const { client: owner, login, orderId } = await signInFrontline(attack);
    const copy = await subscribedSocket(attack.gateway.url, login.token);
    await owner.call('auth.logout');
    await publishEvents(attack, orderId, 20);

    const { frames, closedInTime } = await framesUntilClosed(copy, CLOSE_WITHIN_MS);
    expect(closedInTime).toBe(true);
    expect(frames.filter((frame) => frame.type === 'event')).toEqual([]);
    expect(frames).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'SESSION_ENDED' }) }]);
    expect((await copy.closed).code).toBe(4401);
    expect(await metricValue(attack.gateway.httpUrl, 'agent_desk_sessions_ended_total{reason="ended"}')).toBe(
      1,
    );
  });

  it('a refresh token presented twice: every subscribed socket of the sign-in is closed, no event after', async () => {
    attack = await startAttackGateway({ demoOrders: 30 });
    const { client: owner, login, orderId } = await signInFrontline(attack);
    const thief = await subscribedSocket(attack.gateway.url, login.token);
    const { client: refresher } = await AgentClient.ready(attack.gateway.url);
    const first = await refresher.call('auth.refresh', { refreshToken: login.refreshToken });
    await refresher.call('auth.refresh', { refreshToken: first.refreshToken });
    // The chain moved on twice: presenting the first token again is a reuse, not a retry.
    const { client: replayer } = await AgentClient.ready(attack.gateway.url);
    await replayer.callFailing('auth.refresh', { refreshToken: login.refreshToken });
    await publishEvents(attack, orderId, 20);

    for (const socket of [thief, refresher]) {
      const { frames, closedInTime } = await framesUntilClosed(socket, CLOSE_WITHIN_MS);
      expect(closedInTime).toBe(true);
      expect(frames.filter((frame) => frame.type === 'event')).toEqual([]);
    }
    await Promise.all([owner.close(), replayer.close()]);
  });

  it("an operator's sign-out (another process) closes the subscribed socket within 1 s", async () => {
    attack = await startAttackGateway({ demoOrders: 30 });
    const { client: owner, login } = await signInFrontline(attack);
    const copy = await subscribedSocket(attack.gateway.url, login.token);
    const io = { out: () => undefined, err: () => undefined, readPassword: async () => '' };
    expect(await runUsersCommand(['sign-out', 'frontline', '--db', attack.dbPath], io)).toBe(0);

    const { frames, closedInTime } = await framesUntilClosed(copy, CLOSE_WITHIN_MS);
    expect(closedInTime).toBe(true);
    expect(frames.at(-1)).toMatchObject({ type: 'error', error: { code: 'SESSION_ENDED' } });
    await owner.close();
  });

  it('an expired session is closed at its expiry and gets no event after it', async () => {
    attack = await startAttackGateway({ demoOrders: 30, tokenTtlSeconds: 2 });
    const { client: owner, login, orderId } = await signInFrontline(attack);
    const copy = await subscribedSocket(attack.gateway.url, login.token);
    const msLeft = Date.parse(login.expiresAt) - Date.now();
    const { closedInTime } = await framesUntilClosed(copy, msLeft + CLOSE_WITHIN_MS);
    expect(closedInTime).toBe(true);
    await publishEvents(attack, orderId, 5);
    const late: ServerFrame[] = [];
    while (!copy.idle) late.push(await copy.next());
    expect(late.filter((frame) => frame.type === 'event')).toEqual([]);
    await owner.close();
  });
});
