import {
  COBROWSE_REFUSAL_REASONS,
  CONSENT_LEVELS,
  CONSENT_NEEDED,
  grantedLevels,
  type ConsentLevel,
  type CustomerMessage,
} from '../../../shared/cobrowse-protocol';
import {
  DESK_COBROWSE_END,
  type CobrowseMessage,
  type CobrowseSession,
  type ConnectionState,
} from '../../../shared/contract';
import { DeskError } from '../../../shared/errors';
import type { CobrowseFrame, GatewayParams } from '../../../shared/protocol';
import type { SessionService } from '../session/SessionService';

export interface CobrowseSessionsDeps {
  session: Pick<SessionService, 'request' | 'onCobrowse' | 'onConnectionChanged' | 'connectionState'>;
  /** Delivers a session's message to the renderer (`cobrowse.message`). */
  emit: (message: CobrowseMessage) => void;
  onError?: (err: unknown) => void;
  now?: () => Date;
}

interface Joined {
  info: CobrowseSession;
  /** Every level the customer granted and has not withdrawn; `info.consent` is what is in force. */
  granted: Set<ConsentLevel>;
}

/** Frames for a session whose join answer has not arrived yet are kept, up to this many. */
const MAX_EARLY_FRAMES = 200;

/**
 * The co-browse sessions this desk joined. The renderer reaches only these: a message for any
 * other session is refused here, and frames the gateway sends for other sessions are dropped.
 * What the renderer sends is checked against the consent the customer gave (the gateway and the
 * customer's page check it again). Sign-out and a lost gateway end every session: the desk
 * cannot take a room up again on a new connection, so it says so rather than wait.
 */
export class CobrowseSessions {
  private readonly joined = new Map<string, Joined>();
  /** Joins waiting for the gateway's answer: frames for unknown sessions may be theirs. */
  private joining = 0;
  private early: CobrowseFrame[] = [];
  /** Sessions ended by a lost connection: the gateway is told once it is back. */
  private readonly orphaned = new Set<string>();
  private readonly unsubscribers: Array<() => void>;
  private readonly now: () => Date;

  constructor(private readonly deps: CobrowseSessionsDeps) {
    this.now = deps.now ?? (() => new Date());
    this.unsubscribers = [
      deps.session.onCobrowse((frame) => this.receive(frame)),
      deps.session.onConnectionChanged((connection: ConnectionState) => this.connectionChanged(connection)),
    ];
  }

  async join(params: GatewayParams<'cobrowse.join'>): Promise<CobrowseSession> {
    this.joining += 1;
    try {
      const result = await this.deps.session.request('cobrowse.join', params);
      const info: CobrowseSession = {
        sessionId: result.sessionId,
        state: result.state,
        consent: grantedLevels(new Set(result.consent)),
        page: result.page,
        interactionId: params.interactionId ?? null,
        orderId: params.orderId ?? null,
        joinedAt: this.now().toISOString(),
      };
      this.joined.set(info.sessionId, { info, granted: new Set(result.consent) });
      const early = this.early.filter((frame) => frame.sessionId === info.sessionId);
      this.early = this.early.filter((frame) => frame.sessionId !== info.sessionId);
      for (const frame of early) this.receive(frame);
      return { ...info, consent: [...info.consent] };
    } finally {
      this.joining -= 1;
      if (this.joining === 0) this.early = [];
    }
  }

  async send({ sessionId, message }: GatewayParams<'cobrowse.send'>): Promise<void> {
    const { info } = this.require(sessionId);
    // Refused as the gateway refuses, with the same reasons (the renderer translates them).
    const needed = CONSENT_NEEDED[message.type];
    if (needed && info.state === 'reconnecting') {
      throw new DeskError('FORBIDDEN', "The customer's page is loading again: try in a moment", {
        reasons: [{ code: COBROWSE_REFUSAL_REASONS.customerReconnecting, params: {} }],
      });
    }
    // Consent is asked level by level: the one before must be in force.
    const level =
      message.type === 'consent-request'
        ? CONSENT_LEVELS[CONSENT_LEVELS.indexOf(message.level) - 1]!
        : needed;
    if (level && (info.state !== 'live' || !info.consent.includes(level))) {
      throw new DeskError('FORBIDDEN', `${message.type} needs the customer's ${level} consent`, {
        reasons: [{ code: COBROWSE_REFUSAL_REASONS.consentNeeded, params: { level } }],
      });
    }
    await this.deps.session.request('cobrowse.send', { sessionId, message });
  }

  /** Ends the session for everyone; the renderer hears the end like any other. */
  async leave({ sessionId }: GatewayParams<'cobrowse.leave'>): Promise<void> {
    this.require(sessionId);
    this.joined.delete(sessionId);
    if (this.deps.session.connectionState.status === 'online') {
      try {
        await this.deps.session.request('cobrowse.leave', { sessionId });
      } catch (err) {
        // The desk is out of the session either way; the gateway ends rooms whose agent is gone.
        this.deps.onError?.(err);
      }
    }
    this.deps.emit({ sessionId, message: { type: 'ended', by: 'agent', reason: DESK_COBROWSE_END.left } });
  }

  /** Leaves every session (sign-out, while the gateway can still be told). */
  async leaveAll(): Promise<void> {
    await Promise.all([...this.joined.keys()].map((sessionId) => this.leave({ sessionId })));
  }

  list(): CobrowseSession[] {
    return [...this.joined.values()].map(({ info }) => ({ ...info, consent: [...info.consent] }));
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.joined.clear();
    this.orphaned.clear();
  }

  private require(sessionId: string): Joined {
    const entry = this.joined.get(sessionId);
    if (!entry) throw new DeskError('NOT_FOUND', `This desk has not joined co-browse session ${sessionId}`);
    return entry;
  }

  private receive(frame: CobrowseFrame): void {
    const entry = this.joined.get(frame.sessionId);
    if (!entry) {
      if (this.joining > 0 && this.early.length < MAX_EARLY_FRAMES) this.early.push(frame);
      return;
    }
    apply(entry, frame.message);
    if (frame.message.type === 'ended') this.joined.delete(frame.sessionId);
    this.deps.emit({ sessionId: frame.sessionId, message: frame.message });
  }

  private connectionChanged(connection: ConnectionState): void {
    if (connection.status === 'online') {
      void this.leaveOrphans();
    } else if (connection.status === 'signed_out') {
      this.orphaned.clear();
      this.endAll('agent', DESK_COBROWSE_END.signedOut);
    } else {
      for (const sessionId of this.joined.keys()) this.orphaned.add(sessionId);
      this.endAll('gateway', DESK_COBROWSE_END.connectionLost);
    }
  }

  private endAll(by: 'agent' | 'gateway', reason: string): void {
    const sessionIds = [...this.joined.keys()];
    this.joined.clear();
    for (const sessionId of sessionIds) this.deps.emit({ sessionId, message: { type: 'ended', by, reason } });
  }

  /** A room whose agent dropped off may still wait for them: ends it so the customer's page stops. */
  private async leaveOrphans(): Promise<void> {
    const sessionIds = [...this.orphaned];
    this.orphaned.clear();
    for (const sessionId of sessionIds) {
      try {
        await this.deps.session.request('cobrowse.leave', { sessionId });
      } catch {
        // Already over at the gateway (or it refuses): nothing more to do.
      }
    }
  }
}

/** Keeps the session's state and consent as the customer's side reports them. */
function apply(entry: Joined, message: CustomerMessage): void {
  const { info, granted } = entry;
  switch (message.type) {
    case 'state':
      info.state = message.state;
      info.page = message.page;
      granted.clear();
      for (const level of message.consent) granted.add(level);
      break;
    case 'consent':
      if (message.granted) granted.add(message.level);
      else granted.delete(message.level);
      break;
    case 'control-released':
      granted.delete('control');
      break;
    case 'ended':
      info.state = 'ended';
      break;
    default:
      return; // events and chunks change nothing here
  }
  info.consent = grantedLevels(granted);
}
