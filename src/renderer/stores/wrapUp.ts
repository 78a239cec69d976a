import { create } from 'zustand';
import type { Disposition } from '../../shared/agent-state';
import type { CallAction, CallSummary } from '../../shared/call-history';
import { desk } from '../app/desk';
import type { AgentRefusal } from '../features/agent-state/agent-status';
import { useAgentStateStore } from './agentState';
import { useInteractionStore, type Interaction } from './interaction';

/** The wrap-up form of one call as the agent left it so far. */
export interface WrapUpDraft {
  callId: string;
  disposition: Disposition | null;
  note: string;
  /** Summary items the agent took out (orderKey, actionKey). */
  removed: ReadonlySet<string>;
}

interface WrapUpStore {
  draft: WrapUpDraft | null;
  /** Changes the call's draft (a new call starts an empty one). */
  edit(callId: string, change: Partial<Pick<WrapUpDraft, 'disposition' | 'note' | 'removed'>>): void;
  /** The agent saves: ends after-call work with the disposition, note and summary kept. */
  finish(callId: string): Promise<AgentRefusal | null>;
  reset(): void;
}

const emptyDraft = (callId: string): WrapUpDraft => ({
  callId,
  disposition: null,
  note: '',
  removed: new Set(),
});

export const actionKey = (action: CallAction) => `action:${action.at}|${action.orderId}|${action.type}`;
export const orderKey = (orderId: string) => `order:${orderId}`;

/** The call's summary without what the agent took out; undefined when the desk does not know the call. */
export function summaryOf(
  interaction: Interaction | undefined,
  removed: ReadonlySet<string>,
): CallSummary | undefined {
  if (!interaction) return undefined;
  return {
    orders: interaction.orders.filter((order) => !removed.has(orderKey(order.orderId))),
    actions: interaction.actions.filter((action) => !removed.has(actionKey(action))),
  };
}

export const useWrapUpStore = create<WrapUpStore>()((set, get) => ({
  draft: null,
  edit: (callId, change) => {
    const draft = get().draft;
    set({ draft: { ...(draft?.callId === callId ? draft : emptyDraft(callId)), ...change } });
  },
  finish: async (callId) => {
    const draft = get().draft?.callId === callId ? get().draft! : emptyDraft(callId);
    const summary = summaryOf(useInteractionStore.getState().byCall[callId], draft.removed);
    return useAgentStateStore.getState().finishAfterCallWork(draft.disposition, draft.note, summary);
  },
  reset: () => set({ draft: null }),
}));

/**
 * After-call work ended without a save (the timer ran out, the next call was answered, the
 * session ended): the wrap-up as it stands is saved with the call, once, marked as saved by the desk.
 */
function autoSave(callId: string): void {
  const { draft } = useWrapUpStore.getState();
  const current = draft?.callId === callId ? draft : emptyDraft(callId);
  const summary = summaryOf(useInteractionStore.getState().byCall[callId], current.removed);
  desk.calls
    .autoSaveWrapUp({
      callId,
      disposition: current.disposition,
      note: current.note.trim() || null,
      ...(summary ? { summary } : {}),
    })
    // Nothing to show the agent, who has moved on; the call's actions are in its record anyway.
    .catch(() => undefined);
}

// Each end of after-call work is told once; main's store also takes only a call not saved yet.
useAgentStateStore.subscribe(({ acwEnded }, previous) => {
  if (acwEnded && acwEnded !== previous.acwEnded && !acwEnded.saved) autoSave(acwEnded.callId);
});
