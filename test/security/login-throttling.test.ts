import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/shared/demo';
import type { ErrorInfo } from '../../src/shared/errors';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { AgentClient } from '../unit/server/support/agent-client';
import { startAttackGateway, type AttackGateway } from './support/attack-gateway';

/**
 * Attack: password guessing. One client made 68 guesses a second at a user's password, with no
 * throttling, no lockout, and the failures logged at debug level only.
 */

let attack: AttackGateway | null = null;

afterEach(async () => {
  await attack?.close();
  attack = null;
});

/** A connection from another loopback address: the gateway sees a different client machine. */
async function clientFrom(address: string): Promise<AgentClient> {
  const client = await AgentClient.connect(attack!.gateway.url, AGENT_WS_PATH, { localAddress: address });
  await client.hello();
  return client;
}

/** The error codes of `count` sign-ins with `password`, one after another. */
async function guess(client: AgentClient, username: string, password: string, count: number) {
  const errors: ErrorInfo[] = [];
  for (let i = 0; i < count; i += 1) {
    const outcome = await client.request('auth.login', { username, password: `${password}${i}` });
    if (outcome.ok) throw new Error('a wrong password signed in');
    errors.push(outcome.error);
  }
  return errors;
}

const codesOf = (errors: readonly ErrorInfo[]) => errors.map((error) => error.code);

describe('sign-in throttling', () => {
  it('100 wrong passwords are locked out after 5 free tries; the right user from elsewhere still signs in', async () => {
    attack = await startAttackGateway({ demoOrders: 0 });
    const attacker = await clientFrom('127.0.0.2');
    const errors = await guess(attacker, 'frontline', 'guess', 100);
    const checked = codesOf(errors).filter((code) => code === 'UNAUTHENTICATED').length;
    expect(checked).toBeLessThanOrEqual(6);
    expect(codesOf(errors).slice(6)).toEqual(Array(94).fill('RATE_LIMITED'));
    expect(errors.at(-1)?.details?.retryAfterMs).toBeGreaterThan(0);
    // Even the right password waits, from the attacker's address.
    const locked = await attacker.request('auth.login', { username: 'frontline', password: DEMO_PASSWORD });
    expect(locked).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });

    // The agent at another machine signs in now.
    const agent = await clientFrom('127.0.0.3');
    const signedIn = await agent.call('auth.login', { username: 'frontline', password: DEMO_PASSWORD });
    expect(signedIn.user.username).toBe('frontline');

    // Each wait started is audited; the refusals are not silent.
    const lockouts = attack.readDb((db) =>
      db
        .prepare<[], { target: string; details_json: string }>(
          "SELECT target, details_json FROM audit_log WHERE action = 'auth.lockout'",
        )
        .all(),
    );
    expect(lockouts.length).toBeGreaterThanOrEqual(1);
    expect(lockouts[0]!.target).toBe('frontline');
    expect(JSON.parse(lockouts[0]!.details_json)).toMatchObject({
      address: '127.0.0.2',
      scope: 'user_and_address',
    });
    await Promise.all([attacker.close(), agent.close()]);
  });

  it('after the wait, the right password from the same address signs in', async () => {
    attack = await startAttackGateway({ demoOrders: 0, loginThrottle: { firstWaitMs: 200 } });
    const client = await clientFrom('127.0.0.2');
    const errors = await guess(client, 'frontline', 'guess', 7);
    expect(codesOf(errors).at(-1)).toBe('RATE_LIMITED');
    await new Promise((resolve) => setTimeout(resolve, errors.at(-1)!.details!.retryAfterMs! + 50));
    const signedIn = await client.call('auth.login', { username: 'frontline', password: DEMO_PASSWORD });
    expect(signedIn.user.username).toBe('frontline');
    await client.close();
  });

  it('an unknown username gets exactly the answers a known one gets', async () => {
    attack = await startAttackGateway({ demoOrders: 0 });
    const known = await guess(await clientFrom('127.0.0.2'), 'frontline', 'guess', 12);
    const unknown = await guess(await clientFrom('127.0.0.3'), 'nobody-here', 'guess', 12);
    // The wait in the text depends on the moment asked; everything else must be the same.
    const answers = (errors: readonly ErrorInfo[]) =>
      errors.map(({ code, message }) => ({ code, message: message.replace(/in \d+ s/, 'in N s') }));
    expect(answers(unknown)).toEqual(answers(known));
    expect(codesOf(known)).toContain('RATE_LIMITED');
  });

  it('guesses sent in parallel on many connections are counted before any password is checked', async () => {
    attack = await startAttackGateway({ demoOrders: 0 });
    const clients = await Promise.all(Array.from({ length: 40 }, () => clientFrom('127.0.0.4')));
    const outcomes = await Promise.all(
      clients.map((client, i) => client.request('auth.login', { username: 'frontline', password: `p${i}` })),
    );
    const checked = outcomes.filter((outcome) => !outcome.ok && outcome.error.code === 'UNAUTHENTICATED');
    expect(checked.length).toBeLessThanOrEqual(6);
    await Promise.all(clients.map((client) => client.close()));
  });
});
