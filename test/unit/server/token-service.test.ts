import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_SECONDS, TokenService } from '../../../src/server/auth/token-service';
import { newGatewayKeys, rotateTokenKey } from '../../../src/server/keys/gateway-keys';
import { KeyRing } from '../../../src/server/keys/key-ring';
import type { AgentUser } from '../../../src/shared/domain';
import { DeskError } from '../../../src/shared/errors';
import { signTokenByHand } from './support/gateway-keys';

const user: AgentUser = { id: 'usr_1', username: 'frontline', displayName: 'Lin', role: 'frontline' };
const START_MS = Date.parse('2026-03-01T00:00:00Z');
const START_S = START_MS / 1000;
const TTL_S = 3600;

function clockAt(ms: number) {
  const clock = { now: ms, read: () => clock.now };
  return clock;
}

function setUp(ttlSeconds = TTL_S) {
  const clock = clockAt(START_MS);
  const keys = newGatewayKeys(START_MS);
  const ring = new KeyRing(keys);
  return { clock, keys, ring, tokens: new TokenService(ring, ttlSeconds, clock.read) };
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
  it('issues kid.claims.mac with the current key, the session id and the configured lifetime', () => {
    const { ring, tokens } = setUp();
    const { token, claims } = tokens.issue(user, 'fam_1');
    expect(claims).toEqual({
      sub: 'usr_1',
      role: 'frontline',
      iat: START_S,
      exp: START_S + TTL_S,
      sid: 'fam_1',
    });
    const keyId = ring.currentTokenKey().id;
    expect(token).toMatch(/^tok_[0-9a-f]{12}\.[\w-]+\.[\w-]+$/);
    expect(token.startsWith(`${keyId}.`)).toBe(true);
    expect(tokens.verify(token)).toEqual(claims);
    // The hand-built format is the gateway's (the security tests forge tokens with it).
    expect(signTokenByHand(ring.currentTokenKey().secret, keyId, claims)).toBe(token);
  });

  it('refuses a token once it has expired', () => {
    const { clock, tokens } = setUp(60);
    const { token } = tokens.issue(user, 'fam_1');
    clock.now += 59_999;
    expect(tokens.verify(token).sub).toBe('usr_1');
    clock.now += 1;
    expectUnauthenticated(() => tokens.verify(token), /expired/);
  });

  it('refuses a token signed by another key ring, even under a key id this ring knows', () => {
    const { ring, tokens } = setUp();
    const other = new KeyRing(newGatewayKeys(START_MS));
    const { token, claims } = new TokenService(other, TTL_S, () => START_MS).issue(user, 'fam_1');
    expectUnauthenticated(() => tokens.verify(token), /Invalid/);
    const underOurKid = signTokenByHand(other.currentTokenKey().secret, ring.currentTokenKey().id, claims);
    expectUnauthenticated(() => tokens.verify(underOurKid), /Invalid/);
  });

  it('refuses a token whose claims were changed (role escalation) or whose kid was swapped', () => {
    const { clock, keys, ring, tokens } = setUp();
    const { token, claims } = tokens.issue(user, 'fam_1');
    const [keyId, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expectUnauthenticated(() => tokens.verify(`${keyId}.${forged}.${signature}`), /Invalid/);

    ring.replace(rotateTokenKey(keys, clock.now, TTL_S).keys);
    const [, payload] = token.split('.');
    expectUnauthenticated(
      () => tokens.verify(`${ring.currentTokenKey().id}.${payload}.${signature}`),
      /Invalid/,
    );
  });

  it('refuses a signature with stray characters appended', () => {
    const { tokens } = setUp();
    const { token } = tokens.issue(user, 'fam_1');
    expectUnauthenticated(() => tokens.verify(`${token}A`), /Invalid/);
    expectUnauthenticated(() => tokens.verify(`${token}!`), /Invalid/);
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', '.payload.sig', 'kid..sig', 'kid.payload.', '...', 'bad kid!.p.s'])(
    'refuses the malformed token %j',
    (token) => {
      expectUnauthenticated(() => setUp().tokens.verify(token), /Invalid/);
    },
  );

  it('refuses the format before key ids (claims.mac), even signed with the current key', () => {
    const { ring, tokens } = setUp();
    const claims = { sub: 'usr_1', role: 'admin', iat: START_S, exp: START_S + 60, sid: 'fam_1' };
    expectUnauthenticated(
      () => tokens.verify(signTokenByHand(ring.currentTokenKey().secret, null, claims)),
      /Invalid/,
    );
  });

  it.each([
    ['without a session id', { sub: 'usr_1', role: 'admin', iat: START_S, exp: START_S + 60 }],
    ['with an empty session id', { sub: 'usr_1', role: 'admin', iat: START_S, exp: START_S + 60, sid: '' }],
    ['with an unknown role', { sub: 'usr_1', role: 'owner', iat: START_S, exp: START_S + 60, sid: 'f' }],
    ['that are not claims', { sub: 1 }],
  ])('refuses correctly signed claims %s', (_name, claims) => {
    const { ring, tokens } = setUp();
    const key = ring.currentTokenKey();
    expectUnauthenticated(() => tokens.verify(signTokenByHand(key.secret, key.id, claims)), /Invalid/);
  });

  it('refuses a correctly signed token that lives longer than the TTL', () => {
    const { ring, tokens } = setUp();
    const key = ring.currentTokenKey();
    const claims = { sub: 'usr_1', role: 'admin', iat: START_S, sid: 'fam_1' };
    expect(tokens.verify(signTokenByHand(key.secret, key.id, { ...claims, exp: START_S + TTL_S })).sub).toBe(
      'usr_1',
    );
    const tooLong = signTokenByHand(key.secret, key.id, { ...claims, exp: START_S + TTL_S + 1 });
    expectUnauthenticated(() => tokens.verify(tooLong), /Invalid/);
    const farFuture = signTokenByHand(key.secret, key.id, { ...claims, exp: 4_102_444_800 });
    expectUnauthenticated(() => tokens.verify(farFuture), /Invalid/);
  });

  it(`refuses a token issued more than ${MAX_CLOCK_SKEW_SECONDS} s in the future`, () => {
    const { ring, tokens } = setUp();
    const key = ring.currentTokenKey();
    const issuedAt = (iat: number) =>
      signTokenByHand(key.secret, key.id, {
        sub: 'usr_1',
        role: 'frontline',
        iat,
        exp: iat + 60,
        sid: 'fam_1',
      });
    expect(tokens.verify(issuedAt(START_S + MAX_CLOCK_SKEW_SECONDS)).sub).toBe('usr_1');
    expectUnauthenticated(() => tokens.verify(issuedAt(START_S + MAX_CLOCK_SKEW_SECONDS + 1)), /Invalid/);
  });

  it('after a rotation, signs with the new key and accepts the retired one for one TTL only', () => {
    const { clock, keys, ring, tokens } = setUp(TTL_S);
    const retiredKeyId = ring.currentTokenKey().id;
    clock.now += 10 * 60_000;
    const old = tokens.issue(user, 'fam_1');
    clock.now += 5 * 60_000;
    const retiredAtMs = clock.now;
    ring.replace(rotateTokenKey(keys, retiredAtMs, TTL_S).keys);

    const fresh = tokens.issue(user, 'fam_2');
    expect(fresh.token.startsWith(`${ring.currentTokenKey().id}.`)).toBe(true);
    expect(ring.currentTokenKey().id).not.toBe(retiredKeyId);
    expect(tokens.verify(old.token).sid).toBe('fam_1');

    // A token the retired key signed just after it retired (a gateway that had not re-read the
    // key file yet), still within its own lifetime...
    const key = ring.tokenKey(retiredKeyId)!;
    const lateIat = Math.floor(retiredAtMs / 1000) + 30;
    const late = signTokenByHand(key.secret, key.id, { ...old.claims, iat: lateIat, exp: lateIat + TTL_S });
    clock.now = retiredAtMs + TTL_S * 1000 - 1;
    expect(tokens.verify(late).sid).toBe('fam_1');
    // ...is refused once the key has been retired for a whole TTL.
    clock.now = retiredAtMs + TTL_S * 1000;
    expectUnauthenticated(() => tokens.verify(late), /Invalid/);
  });
});
