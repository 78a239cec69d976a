import { describe, expect, it } from 'vitest';
import {
  acceptsCalls,
  initialAgentStatus,
  nextAgentStatus,
  type AgentEvent,
  type AgentStatus,
} from '../../src/renderer/features/agent-state/agent-status';

const t0 = new Date('2025-03-05T09:00:00.000Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function run(status: AgentStatus, ...events: AgentEvent[]): AgentStatus {
  return events.reduce((current, event, index) => {
    const result = nextAgentStatus(current, event, later(index + 1));
    if ('refused' in result) throw new Error(`refused: ${result.refused}`);
    return result.status;
  }, status);
}

describe('agent state rules', () => {
  const available = initialAgentStatus(t0);

  it('a call puts the agent on call; its end starts after-call work with a deadline', () => {
    const acw = run(
      available,
      { type: 'call_answered' },
      { type: 'last_call_ended', callId: 'c1', acwSeconds: 30 },
    );
    expect(acw.state).toBe('after_call_work');
    expect(acw.acw).toEqual({ callId: 'c1', endsAt: later(32).toISOString() });
    expect(acceptsCalls(acw)).toBe(false);
  });

  it('without after-call work the agent is available right away', () => {
    expect(
      run(available, { type: 'call_answered' }, { type: 'last_call_ended', callId: 'c1', acwSeconds: 0 })
        .state,
    ).toBe('available');
  });

  it('leaving after-call work early needs a disposition; the timer needs none', () => {
    const acw = run(
      available,
      { type: 'call_answered' },
      { type: 'last_call_ended', callId: 'c1', acwSeconds: 30 },
    );
    expect(nextAgentStatus(acw, { type: 'finish_acw', disposition: null }, t0)).toEqual({
      refused: 'needs_disposition',
    });
    expect(nextAgentStatus(acw, { type: 'choose_available' }, t0)).toEqual({ refused: 'needs_disposition' });
    expect(nextAgentStatus(acw, { type: 'choose_away', reason: 'break' }, t0)).toEqual({
      refused: 'needs_disposition',
    });
    expect(run(acw, { type: 'finish_acw', disposition: 'resolved' }).state).toBe('available');
    expect(run(acw, { type: 'acw_expired' }).state).toBe('available');
  });

  it('away carries a reason and refuses calls; nobody leaves a call by picking a state', () => {
    const away = run(available, { type: 'choose_away', reason: 'lunch' });
    expect(away).toMatchObject({ state: 'away', reason: 'lunch' });
    expect(acceptsCalls(away)).toBe(false);
    expect(run(away, { type: 'choose_available' }).state).toBe('available');
    const onCall = run(available, { type: 'call_answered' });
    expect(acceptsCalls(onCall)).toBe(true); // call waiting
    expect(nextAgentStatus(onCall, { type: 'choose_away', reason: 'break' }, t0)).toEqual({
      refused: 'on_call',
    });
  });

  it('a missed call or a stale timer changes nothing', () => {
    expect(run(available, { type: 'last_call_ended', callId: 'c1', acwSeconds: 30 })).toBe(available);
    expect(run(available, { type: 'acw_expired' })).toBe(available);
  });
});
