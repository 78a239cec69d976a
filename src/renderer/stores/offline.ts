import { create } from 'zustand';
import type { OfflineState } from '../../shared/offline';

interface OfflineStore extends OfflineState {
  apply(state: OfflineState): void;
}

const empty: OfflineState = { queued: 0, tasks: [] };

/** Requests queued while offline and the refused ones waiting for the agent, as main reports them. */
export const useOfflineStore = create<OfflineStore>()((set) => ({
  ...empty,
  apply: (state) => set({ queued: state.queued, tasks: state.tasks }),
}));

export const selectQueuedCount = (state: OfflineStore) => state.queued;
export const selectOfflineTasks = (state: OfflineStore) => state.tasks;
export const selectApplyOffline = (state: OfflineStore) => state.apply;
