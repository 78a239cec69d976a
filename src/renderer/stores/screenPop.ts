import { create } from 'zustand';
import { DeskError, type ErrorInfo } from '../../shared/errors';
import { desk } from '../app/desk';
import { afterNextPaint } from '../features/screen-pop/after-next-paint';
import { identifyCaller, type CallerIdentity } from '../features/screen-pop/identify-caller';
import type { PhoneCall } from '../features/softphone/phone-call';
import { useOrdersStore } from './orders';

export interface ScreenPop {
  callId: string;
  remoteNumber: string;
  status: 'identifying' | 'done' | 'failed';
  identity: CallerIdentity | null;
  error: ErrorInfo | null;
}

interface ScreenPopStore {
  /** The latest call's pop; it stays in the workspace after the call until the next one. */
  pop: ScreenPop | null;
  /** Identifies the caller and opens the likeliest order (or a pre-filled search). */
  popCall(call: Pick<PhoneCall, 'id' | 'remoteNumber' | 'headers'>): Promise<void>;
  reset(): void;
}

/** Screen pop: who is calling about which order, shown while the call still rings. */
export const useScreenPopStore = create<ScreenPopStore>()((set, get) => ({
  pop: null,
  popCall: async (call) => {
    const base = { callId: call.id, remoteNumber: call.remoteNumber };
    set({ pop: { ...base, status: 'identifying', identity: null, error: null } });
    const stillCurrent = () => get().pop?.callId === call.id;
    try {
      const identity = await identifyCaller(call, desk.orders, new Date());
      if (!stillCurrent()) return;
      set({ pop: { ...base, status: 'done', identity, error: null } });
      // The toast's order card is painted first: rendering the order in the workspace behind
      // it takes longer than the lookup, and the agent decides on the card.
      await afterNextPaint();
      if (!stillCurrent()) return;
      const orders = useOrdersStore.getState();
      if (identity.kind === 'known') {
        const top = identity.ranked[0];
        if (top) orders.show(top.order);
      } else {
        // Never a made-up contact: the agent starts from the number.
        orders.setQuery(identity.searchText);
        await orders.search(identity.searchText);
      }
    } catch (err) {
      if (stillCurrent()) {
        set({ pop: { ...base, status: 'failed', identity: null, error: DeskError.from(err).toInfo() } });
      }
    }
  },
  reset: () => set({ pop: null }),
}));

export const selectScreenPop = (state: ScreenPopStore) => state.pop;
export const selectPopCall = (state: ScreenPopStore) => state.popCall;
export const selectResetScreenPop = (state: ScreenPopStore) => state.reset;
