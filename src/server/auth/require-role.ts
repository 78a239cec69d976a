import type { AgentUser, Role } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import type { Session } from './auth-service';

/**
 * The session's user if their role is one of `roles`; FORBIDDEN otherwise (UNAUTHENTICATED with
 * no session). Handlers call it with the session the connection re-read for this request, so a
 * role taken away applies at once.
 */
export function requireRole(session: Session | null, roles: readonly Role[], what: string): AgentUser {
  if (!session) throw new DeskError('UNAUTHENTICATED', 'Sign in first');
  const { user } = session;
  if (!roles.includes(user.role)) {
    throw new DeskError('FORBIDDEN', `${what} needs the role ${roles.join(' or ')}; you are ${user.role}`);
  }
  return user;
}
