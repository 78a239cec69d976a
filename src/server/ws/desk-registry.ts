import type { AgentUser, Role } from '../../shared/domain';
import type { Notice } from '../../shared/protocol';

/** A signed-in connection as the registry sees it. */
export interface ConnectedDesk {
  /** The connection's user now (null once signed out). */
  readonly user: AgentUser | null;
  notify(notice: Notice): void;
}

/** The roles that see the team and decide approvals. */
export const SUPERVISING_ROLES: readonly Role[] = ['supervisor', 'admin'];

/**
 * Every connection with a signed-in user: who is online, and where notices go (a role's view
 * changed, an approval was decided, the team changed). Connections add themselves on sign-in
 * and remove themselves on sign-out or close; `onChange` fires on each (the team view).
 */
export class DeskRegistry {
  private readonly desks = new Set<ConnectedDesk>();
  private readonly listeners = new Set<() => void>();

  signedIn(desk: ConnectedDesk): void {
    this.desks.add(desk);
    this.changed();
  }

  signedOut(desk: ConnectedDesk): void {
    if (this.desks.delete(desk)) this.changed();
  }

  isOnline(userId: string): boolean {
    for (const desk of this.desks) if (desk.user?.id === userId) return true;
    return false;
  }

  /** Sends `notice` to every connected desk whose user matches; returns how many. */
  notify(notice: Notice, to: (user: AgentUser) => boolean): number {
    let sent = 0;
    for (const desk of this.desks) {
      const user = desk.user;
      if (user && to(user)) {
        desk.notify(notice);
        sent += 1;
      }
    }
    return sent;
  }

  notifyRole(role: Role, notice: Notice): void {
    this.notify(notice, (user) => user.role === role);
  }

  notifyUser(userId: string, notice: Notice): void {
    this.notify(notice, (user) => user.id === userId);
  }

  notifySupervisors(notice: Notice): void {
    this.notify(notice, (user) => SUPERVISING_ROLES.includes(user.role));
  }

  /** Runs `listener` whenever a desk signs in or out; returns the function that removes it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
