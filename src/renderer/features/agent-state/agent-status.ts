import type { AgentStateName, AwayReason, Disposition } from '../../../shared/agent-state';

/** The agent's state on the desk, with what after-call work is about and when it ends. */
export interface AgentStatus {
  state: AgentStateName;
  reason: AwayReason | null;
  /** ISO time the state was entered. */
  since: string;
  /** While in after-call work: the call it is for and when the timer ends it. */
  acw: { callId: string; endsAt: string } | null;
}

export type AgentEvent =
  | { type: 'call_answered' }
  | { type: 'last_call_ended'; callId: string; acwSeconds: number }
  | { type: 'acw_expired' }
  | { type: 'finish_acw'; disposition: Disposition | null }
  | { type: 'choose_available' }
  | { type: 'choose_away'; reason: AwayReason };

/** Why the agent cannot make a change, as a stable code the UI translates. */
export type AgentRefusal = 'needs_disposition' | 'on_call';

export type AgentTransition = { status: AgentStatus } | { refused: AgentRefusal };

export const initialAgentStatus = (now: Date): AgentStatus => ({
  state: 'available',
  reason: null,
  since: now.toISOString(),
  acw: null,
});

const enter = (state: AgentStatus['state'], now: Date, extra: Partial<AgentStatus> = {}): AgentStatus => ({
  state,
  reason: null,
  since: now.toISOString(),
  acw: null,
  ...extra,
});

/**
 * The agent-state rules: a call puts the agent on call; the end of the last call starts
 * after-call work (if configured), which the timer ends, or the agent ends early with a
 * disposition; nobody leaves a call or after-call work by picking another state.
 */
export function nextAgentStatus(status: AgentStatus, event: AgentEvent, now: Date): AgentTransition {
  switch (event.type) {
    case 'call_answered':
      return { status: status.state === 'on_call' ? status : enter('on_call', now) };
    case 'last_call_ended':
      if (status.state !== 'on_call') return { status };
      if (event.acwSeconds <= 0) return { status: enter('available', now) };
      return {
        status: enter('after_call_work', now, {
          acw: {
            callId: event.callId,
            endsAt: new Date(now.getTime() + event.acwSeconds * 1000).toISOString(),
          },
        }),
      };
    case 'acw_expired':
      return { status: status.state === 'after_call_work' ? enter('available', now) : status };
    case 'finish_acw':
      if (status.state !== 'after_call_work') return { status };
      if (!event.disposition) return { refused: 'needs_disposition' };
      return { status: enter('available', now) };
    case 'choose_available':
    case 'choose_away': {
      if (status.state === 'on_call') return { refused: 'on_call' };
      if (status.state === 'after_call_work') return { refused: 'needs_disposition' };
      if (event.type === 'choose_available') {
        return { status: status.state === 'available' ? status : enter('available', now) };
      }
      return { status: enter('away', now, { reason: event.reason }) };
    }
  }
}

/**
 * Whether a new call may ring. On a call it may (call waiting); in after-call work or away the
 * PBX is told no, with the configured SIP code.
 */
export const acceptsCalls = (status: AgentStatus): boolean =>
  status.state === 'available' || status.state === 'on_call';
