import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../../src/server/auth/token-service';
import type { AgentUser } from '../../../src/shared/domain';
import { DeskError } from '../../../src/shared/errors';

const user: AgentUser = { id: 'usr_1', username: 'frontline', displayName: 'Lin', role: 'frontline' };
const secret = Buffer.alloc(32, 7);

function clockAt(ms: number) {
  const clock = { now: ms, read: () => clock.now };
  return clock;
}

function expectUnauthenticated(run: () => unknown, message: RegExp): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DeskError);
    expect((err as DeskError).code).toBe('UNAUTHENTICATED');
    expect((err as DeskError).message).toMatch(message);
    return;
  }
  throw new Error('expected UNAUTHENTICATED');
}

describe('TokenService', () => {
  it('issues a token whose claims verify, with the configured lifetime', () => {
    const clock = clockAt(Date.parse('2026-03-01T00:00:00Z'));
    const tokens = new TokenService(secret, 3600, clock.read);
    const { token, claims } = tokens.issue(user);
    expect(claims).toEqual({ sub: 'usr_1', role: 'frontline', iat: 1772323200, exp: 1772323200 + 3600 });
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(tokens.verify(token)).toEqual(claims);
  });

  it('refuses a token once it has expired', () => {
    const clock = clockAt(1_000_000_000);
    const tokens = new TokenService(secret, 60, clock.read);
    const { token } = tokens.issue(user);
    clock.now += 59_999;
    expect(tokens.verify(token).sub).toBe('usr_1');
    clock.now += 1;
    expectUnauthenticated(() => tokens.verify(token), /expired/);
  });

  it('refuses a token signed with another secret', () => {
    const { token } = new TokenService(Buffer.alloc(32, 8)).issue(user);
    expectUnauthenticated(() => new TokenService(secret).verify(token), /Invalid/);
  });

  it('refuses a token whose claims were changed (role escalation)', () => {
    const tokens = new TokenService(secret);
    const { token, claims } = tokens.issue(user);
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expectUnauthenticated(() => tokens.verify(`${forged}.${signature}`), /Invalid/);
  });

  it('refuses a signature with stray characters appended', () => {
    const tokens = new TokenService(secret);
    const { token } = tokens.issue(user);
    expectUnauthenticated(() => tokens.verify(`${token}A`), /Invalid/);
    expectUnauthenticated(() => tokens.verify(`${token}!`), /Invalid/);
  });

  it.each(['', 'abc', 'a.b.c', '.sig', 'payload.', '...'])('refuses the malformed token %j', (token) => {
    expectUnauthenticated(() => new TokenService(secret).verify(token), /Invalid/);
  });

  it.each(['{"sub":1}', 'not json', '{"sub":"usr_1","role":"owner","iat":1,"exp":9999999999}'])(
    'refuses a correctly signed payload that is not valid claims: %s',
    (json) => {
      const payload = Buffer.from(json).toString('base64url');
      const signature = createHmac('sha256', secret).update(payload).digest('base64url');
      expectUnauthenticated(() => new TokenService(secret).verify(`${payload}.${signature}`), /Invalid/);
    },
  );
});
