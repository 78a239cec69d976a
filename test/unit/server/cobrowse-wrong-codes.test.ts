import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../../src/server/audit/audit-log';
import { WrongCodeGuard } from '../../../src/server/cobrowse/wrong-code-limits';
import type { AgentUser } from '../../../src/shared/domain';
import { type DeskError } from '../../../src/shared/errors';

const AGENT: AgentUser = { id: 'u1', username: 'frontline', displayName: 'Lin', role: 'frontline' };
const OTHER: AgentUser = { id: 'u2', username: 'aftersales', displayName: 'Maria', role: 'after_sales' };

function guardWith() {
  const clock = { now: 1_000_000 };
  const audited: AuditEntry[] = [];
  const audit: AuditLog = {
    append: () => {
      throw new Error('not used');
    },
    record: async (entry) => {
      audited.push(entry);
      return { ...entry, seq: audited.length, at: '', prevHash: '', hash: '' };
    },
  };
  const guard = new WrongCodeGuard({ audit, logger: pino({ level: 'silent' }) }, undefined, () => clock.now);
  return { guard, clock, audited };
}

async function refusal(guard: WrongCodeGuard, user: AgentUser): Promise<DeskError | null> {
  try {
    await guard.admit(user);
    return null;
  } catch (err) {
    return err as DeskError;
  }
}

describe('wrong co-browse codes, per agent', () => {
  it('allows 10 a minute, then refuses with RATE_LIMITED and how long to wait', async () => {
    const { guard, clock } = guardWith();
    for (let index = 0; index < 10; index += 1) {
      expect(await refusal(guard, AGENT)).toBeNull();
      guard.wrong(AGENT);
      clock.now += 1_000;
    }
    const refused = await refusal(guard, AGENT);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: 50_000 } });
    expect(await refusal(guard, OTHER)).toBeNull();
    clock.now += 50_000;
    expect(await refusal(guard, AGENT)).toBeNull();
  });

  it('audits the first refusal of a run, not every one, and never a code', async () => {
    const { guard, clock, audited } = guardWith();
    for (let index = 0; index < 10; index += 1) guard.wrong(AGENT);
    for (let index = 0; index < 5; index += 1) expect(await refusal(guard, AGENT)).not.toBeNull();
    expect(audited).toEqual([
      {
        actor: 'u1',
        action: 'cobrowse.code_limit',
        target: 'u1',
        details: { limit: 'minute', wrongCodesLastHour: 10, perMinute: 10, perHour: 60 },
      },
    ]);
    // Pacing just under the limit keeps the run going: one wrong code every 6 s.
    for (let index = 0; index < 5; index += 1) {
      clock.now += 6_000;
      await refusal(guard, AGENT);
      guard.wrong(AGENT);
      expect(await refusal(guard, AGENT)).not.toBeNull();
    }
    expect(audited).toHaveLength(1);
    // A quiet minute ends it: the next run is audited again.
    clock.now += 61_000;
    expect(await refusal(guard, AGENT)).toBeNull();
    for (let index = 0; index < 10; index += 1) guard.wrong(AGENT);
    expect(await refusal(guard, AGENT)).not.toBeNull();
    expect(audited).toHaveLength(2);
  });

  it('caps wrong codes at 60 an hour, however paced', async () => {
    const { guard, clock } = guardWith();
    for (let index = 0; index < 60; index += 1) {
      expect(await refusal(guard, AGENT)).toBeNull();
      guard.wrong(AGENT);
      clock.now += 30_000;
    }
    const refused = await refusal(guard, AGENT);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused!.message).toMatch(/this hour/);
    // The oldest of the hour (30 min ago) counts for 30 min more.
    expect(refused!.details!.retryAfterMs).toBe(30 * 60_000);
  });

  it('a join ends the run of refusals', async () => {
    const { guard, clock, audited } = guardWith();
    for (let index = 0; index < 10; index += 1) guard.wrong(AGENT);
    await refusal(guard, AGENT);
    clock.now += 60_001;
    guard.joined(AGENT);
    for (let index = 0; index < 10; index += 1) guard.wrong(AGENT);
    await refusal(guard, AGENT);
    expect(audited).toHaveLength(2);
  });
});
