import { DeskError, type ErrorInfo } from '../../shared/errors';
import type { AuthService, Session } from './auth-service';

/** What a connection is told when the gateway ends its session. */
export type SessionEnd = ErrorInfo & { code: 'SESSION_ENDED' | 'SESSION_EXPIRED' };

/** One signed-in connection, as the registry of live sessions sees it. */
export interface LiveSession {
  /** The session the connection holds now (null once signed out). */
  readonly session: Session | null;
  /** Ends the session at once: nothing more is sent, then an error frame, then the socket closes. */
  end(why: SessionEnd): void;
}

export const SIGNED_OUT_ELSEWHERE: SessionEnd = {
  code: 'SESSION_ENDED',
  message: 'This sign-in ended (signed out, or its token was used twice): sign in again',
};

export const ROLE_CHANGED: SessionEnd = {
  code: 'SESSION_ENDED',
  message: 'Your role changed: sign in again',
};

/**
 * Every signed-in connection of this gateway process, so that a sign-in that ends (sign-out on
 * another connection, a refresh token presented twice, an operator's revocation or role change)
 * ends every connection that uses it at once, event stream included, not only their next request.
 */
export class LiveSessions {
  private readonly sessions = new Set<LiveSession>();

  /** Registers a connection; returns its removal. */
  add(live: LiveSession): () => void {
    this.sessions.add(live);
    return () => this.sessions.delete(live);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Ends the connections of one sign-in (refresh token family), except `keep`. */
  endSignIn(familyId: string, why: SessionEnd, keep?: LiveSession): void {
    for (const live of [...this.sessions]) {
      if (live !== keep && live.session?.refreshFamilyId === familyId) live.end(why);
    }
  }

  /**
   * Re-reads every live session's user and sign-in (after an operator changed accounts from
   * another process) and ends those whose sign-in ended or whose role changed.
   */
  async recheckAll(auth: AuthService): Promise<void> {
    await Promise.all(
      [...this.sessions].map(async (live) => {
        const session = live.session;
        if (!session) return;
        let current: Session;
        try {
          current = await auth.revalidate(session);
        } catch (err) {
          const error = DeskError.from(err);
          if (error.code !== 'UNAUTHENTICATED') throw err;
          if (live.session === session) live.end({ code: 'SESSION_ENDED', message: error.message });
          return;
        }
        if (live.session === session && current.user.role !== session.user.role) live.end(ROLE_CHANGED);
      }),
    );
  }
}
