import { create } from 'zustand';
import type { ConnectionState, SessionState } from '../../shared/contract';
import type { AgentUser } from '../../shared/domain';

interface SessionStore {
  user: AgentUser | null;
  gatewayUrl: string | null;
  connection: ConnectionState;
  applySession(session: SessionState): void;
  applyConnection(connection: ConnectionState): void;
}

const signedOut: ConnectionState = { status: 'signed_out', since: new Date(0).toISOString(), reason: null };

/** Who is signed in and how the data connection is doing, as main last reported it. */
export const useSessionStore = create<SessionStore>()((set) => ({
  user: null,
  gatewayUrl: null,
  connection: signedOut,
  applySession: (session) => set({ user: session.user, gatewayUrl: session.gatewayUrl }),
  applyConnection: (connection) => set({ connection }),
}));

export const selectUser = (state: SessionStore) => state.user;
export const selectConnection = (state: SessionStore) => state.connection;
export const selectApplySession = (state: SessionStore) => state.applySession;
export const selectApplyConnection = (state: SessionStore) => state.applyConnection;
