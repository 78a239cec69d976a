/**
 * What a page load needs to rejoin its session, in sessionStorage (this tab only, gone when
 * the tab closes). Storage can be missing or throw (private modes, sandboxed frames): then a
 * reload simply does not rejoin.
 */
export interface StoredSession {
  sessionId: string;
  resumeToken: string;
  code: string;
  expiresAt: string;
  /** The last batch number sent (batches are counted per session). */
  seq: number;
}

export const STORAGE_KEY = 'agent-desk-cobrowse';

export class SessionStore {
  constructor(private readonly storage: () => Storage | null) {}

  load(): StoredSession | null {
    try {
      const raw = this.storage()?.getItem(STORAGE_KEY);
      if (!raw) return null;
      const value = JSON.parse(raw) as Partial<StoredSession>;
      if (typeof value.sessionId !== 'string' || typeof value.resumeToken !== 'string') return null;
      return {
        sessionId: value.sessionId,
        resumeToken: value.resumeToken,
        code: typeof value.code === 'string' ? value.code : '',
        expiresAt: typeof value.expiresAt === 'string' ? value.expiresAt : '',
        seq: typeof value.seq === 'number' && Number.isInteger(value.seq) && value.seq >= 0 ? value.seq : 0,
      };
    } catch {
      return null;
    }
  }

  save(session: StoredSession): void {
    try {
      this.storage()?.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch {
      // full or unavailable: the session goes on, a reload will not rejoin it
    }
  }

  clear(): void {
    try {
      this.storage()?.removeItem(STORAGE_KEY);
    } catch {
      // unavailable
    }
  }
}
