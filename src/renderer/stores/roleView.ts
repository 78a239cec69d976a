import { create } from 'zustand';
import type { Role } from '../../shared/domain';
import type { RoleView, RoleViewLayout } from '../../shared/role-views';

interface RoleViewStore {
  /** The signed-in user's role view (null until loaded, and after sign-out). */
  view: RoleView | null;
  /** Applies a view if it is the own role's (a newer version wins; admins hear of every role). */
  applyView(view: RoleView, ownRole: Role): void;
  reset(): void;
}

/** The layout the workspace renders, as the gateway delivered it at sign-in or pushed it since. */
export const useRoleViewStore = create<RoleViewStore>()((set, get) => ({
  view: null,
  applyView: (view, ownRole) => {
    if (view.role !== ownRole) return;
    const current = get().view;
    if (current && current.role === view.role && current.version > view.version) return;
    set({ view });
  },
  reset: () => set({ view: null }),
}));

export const selectRoleView = (state: RoleViewStore) => state.view;
export const selectLayout = (state: RoleViewStore): RoleViewLayout | null => state.view?.layout ?? null;
/**
 * What a fresh search and the abnormal-orders queue start with (the hook for the search filters:
 * read it where the initial filters are built).
 */
export const selectDefaultFilters = (state: RoleViewStore): RoleViewLayout['defaultFilters'] =>
  state.view?.layout.defaultFilters ?? EMPTY_FILTERS;
export const selectApplyView = (state: RoleViewStore) => state.applyView;
export const selectResetView = (state: RoleViewStore) => state.reset;

const EMPTY_FILTERS: RoleViewLayout['defaultFilters'] = {};
