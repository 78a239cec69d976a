import { describe, expect, it } from 'vitest';
import { LoginThrottle, type LoginThrottleLimits } from '../../../src/server/auth/login-throttle';

const LIMITS: LoginThrottleLimits = {
  freePerUserAndAddress: 3,
  freePerAddress: 10,
  freePerUser: 6,
  firstWaitMs: 1_000,
  maxWaitMs: 8_000,
  windowMs: 60_000,
};

function throttleWithClock(limits: LoginThrottleLimits = LIMITS) {
  let nowMs = 1_000_000;
  const throttle = new LoginThrottle(limits, () => nowMs);
  return { throttle, advance: (ms: number) => (nowMs += ms) };
}

/** One wrong password, waiting first if the throttle says so; returns the waits started. */
function wrongPassword(throttle: LoginThrottle, username: string, address: string) {
  const attempt = throttle.attempt(username, address);
  if ('waitMs' in attempt) throw new Error(`refused for ${attempt.waitMs} ms`);
  return attempt.lockouts;
}

describe('LoginThrottle', () => {
  it('lets the free tries through, then doubles the wait with each wrong password up to the lockout', () => {
    const { throttle, advance } = throttleWithClock();
    for (let i = 0; i < 3; i += 1) expect(wrongPassword(throttle, 'amy', '10.0.0.1')).toEqual([]);
    const waits: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const [lockout] = wrongPassword(throttle, 'amy', '10.0.0.1');
      waits.push(lockout!.waitMs);
      expect(throttle.attempt('amy', '10.0.0.1')).toEqual({ waitMs: lockout!.waitMs });
      advance(lockout!.waitMs);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('a correct password starts the username over from that address, and gives the shared counts back', () => {
    const { throttle } = throttleWithClock();
    wrongPassword(throttle, 'amy', '10.0.0.1');
    wrongPassword(throttle, 'amy', '10.0.0.1');
    const right = throttle.attempt('amy', '10.0.0.1');
    if ('waitMs' in right) throw new Error('refused');
    right.succeeded();
    for (let i = 0; i < 3; i += 1) expect(wrongPassword(throttle, 'amy', '10.0.0.1')).toEqual([]);
  });

  it('forgets wrong passwords older than the window', () => {
    const { throttle, advance } = throttleWithClock();
    for (let i = 0; i < 3; i += 1) wrongPassword(throttle, 'amy', '10.0.0.1');
    advance(60_001);
    expect(wrongPassword(throttle, 'amy', '10.0.0.1')).toEqual([]);
  });

  it('slows an address spraying many usernames', () => {
    const { throttle } = throttleWithClock();
    for (let i = 0; i < 10; i += 1) expect(wrongPassword(throttle, `user${i}`, '10.0.0.9')).toEqual([]);
    expect(wrongPassword(throttle, 'user10', '10.0.0.9')).toEqual([
      expect.objectContaining({ kind: 'address', address: '10.0.0.9' }),
    ]);
    expect('waitMs' in throttle.attempt('someone-else', '10.0.0.9')).toBe(true);
  });

  it('a distributed guess at one username slows new addresses, not the addresses the user signs in from', () => {
    const { throttle } = throttleWithClock();
    const home = throttle.attempt('amy', '10.0.0.1');
    if ('waitMs' in home) throw new Error('refused');
    home.succeeded();
    for (let i = 0; i < 6; i += 1) wrongPassword(throttle, 'amy', `198.51.100.${i}`);
    expect(wrongPassword(throttle, 'amy', '198.51.100.99')).toContainEqual(
      expect.objectContaining({ kind: 'user', username: 'amy' }),
    );
    expect('waitMs' in throttle.attempt('amy', '203.0.113.7')).toBe(true);
    expect('waitMs' in throttle.attempt('amy', '10.0.0.1')).toBe(false);
  });

  it('counts usernames case-insensitively, as sign-in does', () => {
    const { throttle } = throttleWithClock();
    for (let i = 0; i < 3; i += 1) wrongPassword(throttle, i % 2 ? 'AMY' : 'amy', '10.0.0.1');
    expect(wrongPassword(throttle, 'Amy', '10.0.0.1')).toHaveLength(1);
  });
});
