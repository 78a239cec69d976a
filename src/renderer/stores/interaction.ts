import { create } from 'zustand';
import type { CallAction, CallOrderRef } from '../../shared/call-history';
import { desk } from '../app/desk';
import { useAgentStateStore } from './agentState';
import { useOrdersStore } from './orders';
import { selectCurrentCall, useSoftphoneStore } from './softphone';

/** What happened during one call: the orders the agent opened and the actions taken. */
export interface Interaction {
  callId: string;
  number: string;
  startedAt: string;
  orders: CallOrderRef[];
  actions: CallAction[];
}

/** Calls kept for labels and wrap-ups; older ones are long wrapped up. */
const KEPT = 20;

interface InteractionStore {
  /** The call actions are linked to now: the answered call, else the one in after-call work. */
  currentId: string | null;
  byCall: Record<string, Interaction>;
  /**
   * Follows the phone: a newly answered call starts an interaction (with the order on screen,
   * which screen pop opened while it rang); after it, after-call work keeps it current.
   */
  setCurrent(
    call: { id: string; remoteNumber: string; startedAt: string } | null,
    acwCallId: string | null,
    onScreen: CallOrderRef | null,
  ): void;
  viewed(order: CallOrderRef): void;
  acted(callId: string, action: CallAction): void;
  reset(): void;
}

export const useInteractionStore = create<InteractionStore>()((set, get) => ({
  currentId: null,
  byCall: {},
  setCurrent: (call, acwCallId, onScreen) => {
    const { byCall, currentId } = get();
    if (call && !byCall[call.id]) {
      const kept = Object.values(byCall)
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
        .slice(0, KEPT - 1);
      const fresh: Interaction = {
        callId: call.id,
        number: call.remoteNumber,
        startedAt: call.startedAt,
        orders: onScreen ? [onScreen] : [],
        actions: [],
      };
      set({
        currentId: call.id,
        byCall: { ...Object.fromEntries(kept.map((kept) => [kept.callId, kept])), [call.id]: fresh },
      });
      return;
    }
    const next = call?.id ?? (acwCallId && byCall[acwCallId] ? acwCallId : null);
    if (next !== currentId) set({ currentId: next });
  },
  viewed: (order) => {
    const { currentId, byCall } = get();
    const interaction = currentId ? byCall[currentId] : undefined;
    if (!interaction || interaction.orders.some((known) => known.orderId === order.orderId)) return;
    set({
      byCall: { ...byCall, [interaction.callId]: { ...interaction, orders: [...interaction.orders, order] } },
    });
  },
  acted: (callId, action) => {
    const { byCall } = get();
    const interaction = byCall[callId];
    if (!interaction) return;
    const orders = interaction.orders.some((known) => known.orderId === action.orderId)
      ? interaction.orders
      : [...interaction.orders, { orderId: action.orderId, displayNumber: action.displayNumber }];
    set({
      byCall: { ...byCall, [callId]: { ...interaction, orders, actions: [...interaction.actions, action] } },
    });
  },
  reset: () => set({ currentId: null, byCall: {} }),
}));

export const selectCurrentInteractionId = (state: InteractionStore) => state.currentId;
export const selectInteractions = (state: InteractionStore) => state.byCall;

/**
 * Links an action to the call it was taken in: kept for the wrap-up and recorded in the call's
 * history row at once (so it survives a wrap-up that is never saved).
 */
export function recordCallAction(callId: string, action: CallAction): void {
  useInteractionStore.getState().acted(callId, action);
  desk.calls.addAction({ callId, action }).catch(() => undefined);
}

/** The answered call, if any: ringing and dialling calls are not conversations yet. */
function talkingCall() {
  const call = selectCurrentCall(useSoftphoneStore.getState());
  return call && call.answeredAt && (call.status === 'active' || call.status === 'held') ? call : null;
}

function follow(): void {
  const acw = useAgentStateStore.getState().status.acw;
  const order = useOrdersStore.getState().selectedOrder;
  useInteractionStore
    .getState()
    .setCurrent(
      talkingCall(),
      acw?.callId ?? null,
      order ? { orderId: order.id, displayNumber: order.displayNumber } : null,
    );
}

// Follows the phone, the agent state and the open order from the moment the app loads.
useSoftphoneStore.subscribe(follow);
useAgentStateStore.subscribe(follow);
useOrdersStore.subscribe((state, previous) => {
  const order = state.selectedOrder;
  if (!order || order.id === previous.selectedOrder?.id) return;
  useInteractionStore.getState().viewed({ orderId: order.id, displayNumber: order.displayNumber });
});
