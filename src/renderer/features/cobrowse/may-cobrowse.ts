import { COBROWSE_ROLES, mayCobrowse, type RoleViewLayout } from '../../../shared/role-views';
import type { Role } from '../../../shared/domain';
import { selectLayout, useRoleViewStore } from '../../stores/roleView';
import { selectUser, useSessionStore } from '../../stores/session';

/**
 * Whether the signed-in agent's role may co-browse (its view can switch it off; admin never may).
 * The gateway decides; the desk only hides what would be refused. Before the view arrives, the
 * role's ceiling answers.
 */
function allowed(role: Role | undefined, layout: RoleViewLayout | null): boolean {
  if (!role) return false;
  return layout ? mayCobrowse(role, layout) : COBROWSE_ROLES.includes(role);
}

export function useMayCobrowse(): boolean {
  const role = useSessionStore(selectUser)?.role;
  const layout = useRoleViewStore(selectLayout);
  return allowed(role, layout);
}

/** The same, read once (for the keyboard shortcut). */
export function mayCobrowseNow(): boolean {
  return allowed(useSessionStore.getState().user?.role, selectLayout(useRoleViewStore.getState()));
}
