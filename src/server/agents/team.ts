import type { AgentUser } from '../../shared/domain';
import type { TeamMember } from '../../shared/protocol';
import { ROLE_FIELD_POLICIES, maskPhone } from '../../shared/visibility';
import type { UserStore } from '../auth/user-store';
import type { DeskRegistry } from '../ws/desk-registry';
import type { AgentStates } from './agent-states';

/** Team notices go out at most this often: a burst of state changes is one refresh. */
export const TEAM_NOTICE_INTERVAL_MS = 1_000;

/**
 * The supervisors' team view: every agent with whether a desk is connected, the state it last
 * reported and the call it is on (the other party masked unless the viewer's role sees
 * contact data in full). Tells connected supervisors when it changed, coalesced.
 */
export class Team {
  private lastNoticeAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private readonly stopListening: () => void;

  constructor(
    private readonly deps: { users: UserStore; states: AgentStates; desks: DeskRegistry },
    private readonly now: () => number = Date.now,
  ) {
    this.stopListening = deps.desks.onChange(() => this.changed());
  }

  async list(viewer: AgentUser): Promise<TeamMember[]> {
    const maskCall = ROLE_FIELD_POLICIES[viewer.role].grants.contact !== 'full';
    const users = await this.deps.users.list();
    return users.map((user) => {
      const recorded = this.deps.states.get(user.id);
      const call = recorded?.state === 'on_call' ? recorded.call : undefined;
      return {
        userId: user.id,
        displayName: user.displayName,
        role: user.role,
        online: this.deps.desks.isOnline(user.id),
        state: recorded ? { state: recorded.state, reason: recorded.reason, since: recorded.since } : null,
        call: call ? { remote: maskCall ? maskPhone(call.remote) : call.remote, since: call.since } : null,
      };
    });
  }

  /** An agent's state or connection changed: tell supervisors, at most once per interval. */
  changed(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastNoticeAt + TEAM_NOTICE_INTERVAL_MS - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastNoticeAt = this.now();
      this.deps.desks.notifySupervisors({ kind: 'team' });
    }, wait);
    this.timer.unref();
  }

  close(): void {
    this.stopListening();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
