import { describe, expect, it } from 'vitest';
import {
  CobrowseCodes,
  DEFAULT_CODE_LIMITS,
  type CodeLimits,
} from '../../../src/server/cobrowse/cobrowse-codes';
import { COBROWSE_CODE_TTL_MS } from '../../../src/shared/cobrowse-protocol';

function codesWith(limits: Partial<CodeLimits> = {}) {
  const clock = { now: Date.parse('2026-12-08T09:00:00Z') };
  const codes = new CobrowseCodes({ ...DEFAULT_CODE_LIMITS, ...limits }, () => clock.now);
  return { codes, clock };
}

function issued(codes: CobrowseCodes, sessionId: string, address = '203.0.113.5') {
  const issue = codes.issue(sessionId, address);
  if (!issue.issued) throw new Error(`not issued: ${issue.refusal}`);
  return issue;
}

describe('co-browse codes', () => {
  it('are 6 digits, valid 10 minutes from issue', () => {
    const { codes, clock } = codesWith();
    const issue = issued(codes, 's1');
    expect(issue.code).toMatch(/^\d{6}$/);
    expect(issue.expiresAtMs).toBe(clock.now + COBROWSE_CODE_TTL_MS);
  });

  it('open their session once: a used code opens nothing', () => {
    const { codes } = codesWith();
    const { code } = issued(codes, 's1');
    expect(codes.consume(code)).toBe('s1');
    expect(codes.consume(code)).toBeNull();
    expect(codes.isWaiting('s1')).toBe(false);
  });

  it('open nothing once expired, and the sweep hands back their sessions', () => {
    const { codes, clock } = codesWith();
    const first = issued(codes, 's1');
    const second = issued(codes, 's2');
    clock.now += COBROWSE_CODE_TTL_MS - 1;
    expect(codes.consume(first.code)).toBe('s1');
    clock.now += 1;
    expect(codes.isWaiting('s2')).toBe(false);
    expect(codes.consume(second.code)).toBeNull();

    const third = issued(codes, 's3');
    clock.now += COBROWSE_CODE_TTL_MS;
    expect(codes.sweep()).toEqual(['s3']);
    expect(codes.consume(third.code)).toBeNull();
    expect(codes.waiting).toBe(0);
  });

  it('are unique among live codes (thousands at once)', () => {
    const { codes } = codesWith({ waitingPerAddress: 10_000, codeBurstPerAddress: 10_000 });
    const seen = new Set<string>();
    // 3,000 codes of a million: a repeat is near certain by chance (the birthday bound), so the
    // check for one is exercised.
    for (let index = 0; index < 3_000; index += 1) seen.add(issued(codes, `s${index}`).code);
    expect(seen.size).toBe(3_000);
  });

  it('caps the sessions waiting for a join per address (an IPv6 /64 as one), a join freeing a place', () => {
    const { codes } = codesWith({ waitingPerAddress: 2 });
    const first = issued(codes, 's1', '2001:db8:1:2::10');
    issued(codes, 's2', '2001:db8:1:2::11');
    expect(codes.issue('s3', '2001:db8:1:2:ffff::1')).toMatchObject({
      issued: false,
      refusal: 'address_waiting',
      retryAfterMs: COBROWSE_CODE_TTL_MS,
    });
    issued(codes, 's4', '2001:db8:1:3::1');
    issued(codes, 's5', '198.51.100.7');
    codes.consume(first.code);
    issued(codes, 's3', '2001:db8:1:2::12');
  });

  it('caps how fast one address gets new codes', () => {
    const { codes, clock } = codesWith({ codeBurstPerAddress: 3, codesPerAddressPerHour: 60 });
    for (const id of ['s1', 's2', 's3']) codes.withdraw(issued(codes, id) && id);
    const refused = codes.issue('s4', '203.0.113.5');
    expect(refused).toMatchObject({ issued: false, refusal: 'address_rate' });
    expect(refused.issued === false && refused.retryAfterMs).toBeGreaterThan(59_000);
    issued(codes, 's4', '203.0.113.6');
    clock.now += 60_000;
    issued(codes, 's5', '203.0.113.5');
  });

  it('caps the codes waiting in total', () => {
    const { codes } = codesWith({ maxWaiting: 2 });
    issued(codes, 's1', '203.0.113.1');
    issued(codes, 's2', '203.0.113.2');
    expect(codes.issue('s3', '203.0.113.3')).toMatchObject({ issued: false, refusal: 'gateway_full' });
  });

  it('withdraws a session’s code when it ends before a join', () => {
    const { codes } = codesWith();
    const { code } = issued(codes, 's1');
    codes.withdraw('s1');
    expect(codes.consume(code)).toBeNull();
    expect(codes.waiting).toBe(0);
  });
});
