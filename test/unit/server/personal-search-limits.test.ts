import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog, AuditRecord } from '../../../src/server/audit/audit-log';
import { PersonalSearchGuard } from '../../../src/server/orders/personal-search-limits';
import type { AgentUser } from '../../../src/shared/domain';
import { DeskError } from '../../../src/shared/errors';

const AGENT: AgentUser = { id: 'usr_1', username: 'frontline', displayName: 'F', role: 'frontline' };
const OTHER: AgentUser = { ...AGENT, id: 'usr_2', username: 'other' };

/** Records what would be audited, in memory. */
function auditSpy(): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    append: () => {
      throw new Error('not used');
    },
    record: async (entry) => {
      entries.push(entry);
      return { ...entry, seq: entries.length, at: '', prevHash: '', hash: '' } satisfies AuditRecord;
    },
  };
}

function guardWith(limits: { burst: number; perMinute: number; perHour: number }) {
  let nowMs = 0;
  const audit = auditSpy();
  const guard = new PersonalSearchGuard({ audit, logger: pino({ level: 'silent' }) }, limits, () => nowMs);
  return { guard, audit, advance: (ms: number) => (nowMs += ms) };
}

async function refusal(promise: Promise<void>): Promise<DeskError> {
  try {
    await promise;
  } catch (err) {
    return DeskError.from(err);
  }
  throw new Error('the search was admitted');
}

describe('PersonalSearchGuard', () => {
  it('admits the burst, then refuses with the wait until the next search, per agent', async () => {
    const { guard, advance } = guardWith({ burst: 3, perMinute: 6, perHour: 1000 });
    for (let i = 0; i < 3; i += 1) await guard.admit(AGENT, 'phone');
    const refused = await refusal(guard.admit(AGENT, 'phone'));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details?.retryAfterMs).toBe(10_000);
    // Another agent has a budget of its own.
    await guard.admit(OTHER, 'phone');
    advance(10_000);
    await guard.admit(AGENT, 'phone');
  });

  it('audits the first refusal of a run only, and again after a search was admitted in between', async () => {
    const { guard, audit, advance } = guardWith({ burst: 1, perMinute: 60, perHour: 1000 });
    await guard.admit(AGENT, 'name');
    await refusal(guard.admit(AGENT, 'name'));
    await refusal(guard.admit(AGENT, 'name'));
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      actor: AGENT.id,
      action: 'search.burst',
      details: { kind: 'name', limit: 'minute' },
    });
    advance(1000);
    await guard.admit(AGENT, 'name');
    await refusal(guard.admit(AGENT, 'name'));
    expect(audit.entries).toHaveLength(2);
  });

  it('stops a paced run at the hourly cap, whatever the minute allows', async () => {
    const { guard, audit, advance } = guardWith({ burst: 10, perMinute: 60, perHour: 20 });
    for (let i = 0; i < 20; i += 1) {
      await guard.admit(AGENT, 'phone');
      advance(1000);
    }
    const refused = await refusal(guard.admit(AGENT, 'phone'));
    expect(refused.message).toMatch(/this hour/);
    expect(audit.entries[0]?.details).toMatchObject({ limit: 'hour' });
  });

  it('spends nothing on a refused search', async () => {
    const { guard, advance } = guardWith({ burst: 1, perMinute: 60, perHour: 1000 });
    await guard.admit(AGENT, 'phone');
    for (let i = 0; i < 5; i += 1) await refusal(guard.admit(AGENT, 'phone'));
    advance(1000);
    await guard.admit(AGENT, 'phone');
  });
});
