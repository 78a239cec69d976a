import { create } from 'zustand';
import type { AwayReason, Disposition } from '../../shared/agent-state';
import type { CallSummary } from '../../shared/call-history';
import { selectCurrentCall, useSoftphoneStore } from './softphone';
import {
  initialAgentStatus,
  nextAgentStatus,
  type AgentEvent,
  type AgentRefusal,
  type AgentStatus,
} from '../features/agent-state/agent-status';
import { desk } from '../app/desk';

/** How the latest after-call work ended: saved by the agent, or not (timer, next call, sign-out). */
export interface AcwEnded {
  callId: string;
  saved: boolean;
}

interface AgentStateStore {
  status: AgentStatus;
  acwEnded: AcwEnded | null;
  /** Applies an event; returns why it was refused, or null. */
  apply(event: AgentEvent): AgentRefusal | null;
  /** Ends after-call work early: the disposition (and note) land on the call's history row. */
  finishAfterCallWork(
    disposition: Disposition | null,
    note: string,
    summary?: CallSummary,
  ): Promise<AgentRefusal | null>;
  chooseAvailable(): AgentRefusal | null;
  chooseAway(reason: AwayReason): AgentRefusal | null;
  /** Back to available at sign-in; nothing carries over between sessions. */
  reset(): void;
}

/** While on a call: the other party and since when, for the supervisors' team view (ROLES-DESK). */
function currentCall(status: AgentStatus): { call?: { remote: string; since: string } } {
  if (status.state !== 'on_call') return {};
  const call = selectCurrentCall(useSoftphoneStore.getState());
  const remote = call?.remoteNumber.trim();
  return call && remote
    ? { call: { remote: remote.slice(0, 64), since: call.answeredAt ?? call.startedAt } }
    : {};
}

/** The agent's state: the rules in agent-status.ts, the ACW timer, and reporting to the gateway. */
export const useAgentStateStore = create<AgentStateStore>()((set, get) => {
  let acwTimer: ReturnType<typeof setTimeout> | null = null;

  const report = (status: AgentStatus) => {
    // Main resends the latest state after a data outage; a failure here changes nothing for the agent.
    desk.agent
      .setState({ state: status.state, reason: status.reason, since: status.since, ...currentCall(status) })
      .catch(() => undefined);
  };

  const enter = (status: AgentStatus, acwEnded?: AcwEnded) => {
    if (acwTimer) clearTimeout(acwTimer);
    acwTimer = null;
    if (status.acw) {
      const delay = Math.max(0, new Date(status.acw.endsAt).getTime() - Date.now());
      acwTimer = setTimeout(() => get().apply({ type: 'acw_expired' }), delay);
    }
    set({ status, ...(acwEnded ? { acwEnded } : {}) });
    report(status);
  };

  const apply = (event: AgentEvent): AgentRefusal | null => {
    const before = get().status;
    const transition = nextAgentStatus(before, event, new Date());
    if ('refused' in transition) return transition.refused;
    if (transition.status === before) return null;
    const endsAcw = before.acw && transition.status.acw?.callId !== before.acw.callId;
    // Only finish_acw comes with the agent's save; the timer and a new call end it without.
    enter(
      transition.status,
      endsAcw ? { callId: before.acw!.callId, saved: event.type === 'finish_acw' } : undefined,
    );
    return null;
  };

  return {
    status: initialAgentStatus(new Date()),
    acwEnded: null,
    apply,
    finishAfterCallWork: async (disposition, note, summary) => {
      const acw = get().status.acw;
      const refusal = apply({ type: 'finish_acw', disposition });
      if (refusal || !acw || !disposition) return refusal;
      await desk.calls.setDisposition({
        callId: acw.callId,
        disposition,
        note: note.trim() || null,
        ...(summary ? { summary } : {}),
      });
      return null;
    },
    chooseAvailable: () => apply({ type: 'choose_available' }),
    chooseAway: (reason) => apply({ type: 'choose_away', reason }),
    reset: () => {
      if (acwTimer) clearTimeout(acwTimer);
      acwTimer = null;
      const acw = get().status.acw;
      const status = initialAgentStatus(new Date());
      set({ status, ...(acw ? { acwEnded: { callId: acw.callId, saved: false } } : {}) });
      report(status);
    },
  };
});

export const selectAgentStatus = (state: AgentStateStore) => state.status;
export const selectAcwEnded = (state: AgentStateStore) => state.acwEnded;
export const selectChooseAvailable = (state: AgentStateStore) => state.chooseAvailable;
export const selectChooseAway = (state: AgentStateStore) => state.chooseAway;
export const selectFinishAfterCallWork = (state: AgentStateStore) => state.finishAfterCallWork;
