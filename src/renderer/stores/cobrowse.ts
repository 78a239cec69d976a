import { create } from 'zustand';
import {
  grantedLevels,
  type CobrowseState,
  type ConsentLevel,
  type ControlReleaseReason,
  type CustomerMessage,
  type PageInfo,
} from '../../shared/cobrowse-protocol';
import type { CobrowseSession } from '../../shared/contract';

/** The levels an agent asks for (view is asked by joining). */
export type AskableLevel = 'scroll' | 'control';

/** What a co-browse session is linked to: the call it was joined in and the order on screen. */
export interface CobrowseLink {
  /** The call's SIP Call-ID. */
  interactionId: string | null;
  /** The caller's number, for the agent's eyes. */
  number: string | null;
  orderId: string | null;
  displayNumber: string | null;
}

export interface ActiveCobrowse {
  sessionId: string;
  state: CobrowseState;
  /** Consent levels in force. */
  consent: ConsentLevel[];
  page: PageInfo | null;
  link: CobrowseLink;
  joinedAt: string;
  /** The customer let the agent see the page at some point (what the call's history records). */
  wasLive: boolean;
  /** Requests waiting for the customer, and the ones declined (until asked again). */
  asks: Partial<Record<AskableLevel, 'asked' | 'declined'>>;
  ended: { by: 'customer' | 'agent' | 'gateway'; reason: string } | null;
  /** Why control last went back to the customer (shown until control is asked for again). */
  controlReleased: ControlReleaseReason | null;
}

interface CobrowseStore {
  session: ActiveCobrowse | null;
  joinOpen: boolean;
  /** What the workspace's wide column shows while a session is on. */
  showing: 'replay' | 'search';
  /** Bumped whenever the replay should come to the front (the shell shows the workspace). */
  revealed: number;
  openJoin(): void;
  closeJoin(): void;
  show(what: 'replay' | 'search'): void;
  joined(session: CobrowseSession, link: CobrowseLink): void;
  /** A state, consent or end message from the customer's side. */
  apply(message: Exclude<CustomerMessage, { type: 'events' | 'chunk' }>): void;
  asked(level: AskableLevel): void;
  /** A request that could not be sent is not waiting for an answer. */
  askFailed(level: AskableLevel): void;
  /** Closes an ended session's panel. */
  close(): void;
  reset(): void;
}

const initial = { session: null, joinOpen: false, showing: 'replay' as const, revealed: 0 };

export const useCobrowseStore = create<CobrowseStore>()((set, get) => ({
  ...initial,
  openJoin: () => set({ joinOpen: true }),
  closeJoin: () => set({ joinOpen: false }),
  show: (showing) => set((state) => ({ showing, revealed: state.revealed + (showing === 'replay' ? 1 : 0) })),
  joined: (session, link) =>
    set((state) => ({
      joinOpen: false,
      showing: 'replay',
      revealed: state.revealed + 1,
      session: {
        sessionId: session.sessionId,
        state: session.state,
        consent: session.consent,
        page: session.page,
        link,
        joinedAt: session.joinedAt,
        wasLive: session.state === 'live',
        asks: {},
        ended: null,
        controlReleased: null,
      },
    })),
  apply: (message) => {
    const session = get().session;
    if (!session || session.ended) return;
    set({ session: next(session, message) });
  },
  asked: (level) => {
    const session = get().session;
    if (!session) return;
    set({
      session: {
        ...session,
        asks: { ...session.asks, [level]: 'asked' },
        controlReleased: level === 'control' ? null : session.controlReleased,
      },
    });
  },
  askFailed: (level) => {
    const session = get().session;
    if (!session || session.asks[level] !== 'asked') return;
    const asks = { ...session.asks };
    delete asks[level];
    set({ session: { ...session, asks } });
  },
  close: () => {
    if (get().session?.ended) set({ session: null, showing: 'replay' });
  },
  reset: () => set(initial),
}));

/** The session after one message from the customer's side. */
function next(
  session: ActiveCobrowse,
  message: Exclude<CustomerMessage, { type: 'events' | 'chunk' }>,
): ActiveCobrowse {
  switch (message.type) {
    case 'state': {
      const consent = grantedLevels(new Set(message.consent));
      return {
        ...session,
        state: message.state,
        consent,
        page: message.page,
        wasLive: session.wasLive || message.state === 'live',
        asks: answered(session.asks, consent),
      };
    }
    case 'consent': {
      const granted = new Set(session.consent);
      if (message.granted) granted.add(message.level);
      else granted.delete(message.level);
      const consent = grantedLevels(granted);
      const asks = answered(session.asks, consent);
      if (!message.granted && message.level !== 'view') asks[message.level] = 'declined';
      return { ...session, consent, asks };
    }
    case 'control-released':
      return {
        ...session,
        consent: session.consent.filter((level) => level !== 'control'),
        controlReleased: message.reason,
      };
    case 'ended':
      return { ...session, state: 'ended', ended: { by: message.by, reason: message.reason } };
  }
}

/** Requests the customer has now granted are no longer waiting. */
function answered(asks: ActiveCobrowse['asks'], consent: readonly ConsentLevel[]): ActiveCobrowse['asks'] {
  const open = { ...asks };
  for (const level of ['scroll', 'control'] as const) if (consent.includes(level)) delete open[level];
  return open;
}

export const selectCobrowse = (state: CobrowseStore) => state.session;
export const selectCobrowseShowing = (state: CobrowseStore) => state.showing;
export const selectJoinOpen = (state: CobrowseStore) => state.joinOpen;
export const selectCobrowseRevealed = (state: CobrowseStore) => state.revealed;
/** A session is on screen (live or not, until its panel is closed). */
export const selectCobrowsing = (state: CobrowseStore) => state.session !== null;
