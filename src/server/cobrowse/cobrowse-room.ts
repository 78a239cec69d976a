import type { Logger } from 'pino';
import {
  COBROWSE_REFUSAL_REASONS,
  CONSENT_LEVELS,
  CONSENT_NEEDED,
  CONTROL_IDLE_MS,
  grantedLevels,
  type AgentCobrowseMessage,
  type CobrowseEndReason,
  type CobrowseState,
  type ConsentLevel,
  type ControlReleaseReason,
  type CustomerFrame,
  type CustomerMessage,
  type GatewayToCustomerFrame,
  type MaskingPolicy,
  type PageInfo,
} from '../../shared/cobrowse-protocol';
import type { AgentUser } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import type { CobrowseFrame } from '../../shared/protocol';
import type { AuditEntry, AuditLog } from '../audit/audit-log';
import type { OrderChanges } from '../orders/order-changes';
import type { AgentLink, AgentLinkEnd } from '../ws/agent-link';
import type { CobrowseMetrics } from './cobrowse-metrics';

const ENDED_BY: Record<CobrowseEndReason, 'customer' | 'agent' | 'gateway'> = {
  customer: 'customer',
  agent_left: 'agent',
  agent_disconnected: 'gateway',
  agent_signed_out: 'gateway',
  customer_gone: 'gateway',
  code_expired: 'gateway',
  shutdown: 'gateway',
};

/** One frame the gateway relayed or received for a session, as sent (a tap for tests). */
export interface RelayedFrame {
  /** Null for a customer frame before it named a session. */
  sessionId: string | null;
  direction: 'from_customer' | 'to_customer' | 'from_agent' | 'to_agent';
  /** The frame's JSON text (for from_agent, the message sent with cobrowse.send). */
  text: string;
}

/** The customer's side of a room: the snippet's websocket. */
export interface CustomerLink {
  /** Sends one frame; returns its size in bytes (0 when the socket is gone). */
  send(frame: GatewayToCustomerFrame): number;
  /** Another socket resumed the session: this one is told and closed. */
  replaced(): void;
  /** The session ended: the socket is closed after the `ended` frame. */
  close(): void;
}

export interface RoomDeps {
  audit: AuditLog;
  changes: OrderChanges;
  metrics: CobrowseMetrics;
  logger: Logger;
  /** Epoch ms. */
  now: () => number;
  /** Past this many bytes queued on the agent's socket, events are dropped and a full snapshot asked for. */
  agentBufferedLimitBytes: number;
  /** How long a customer's page may be gone (reloading, a lost connection) before the session ends. */
  resumeGraceMs: number;
  tap?: (frame: RelayedFrame) => void;
  /** The room ended: the registry forgets it. */
  onEnded(room: CobrowseRoom): void;
}

interface JoinedAgent {
  user: AgentUser;
  link: AgentLink;
  unlink: () => void;
  joinedAtMs: number;
}

/**
 * One co-browse session, in memory only: the customer's socket (none while the page reloads),
 * the agent who joined with the code, the consents given, the masking policy sent at the join,
 * the page, and the call and order it is linked to. It relays the snippet's messages to the
 * agent, and the agent's to the snippet once checked against the consents; it never stores
 * either. Start, consents, control releases and the end are audited.
 */
export class CobrowseRoom {
  private customer: CustomerLink | null;
  private agent: JoinedAgent | null = null;
  private readonly consent = new Set<ConsentLevel>();
  /** The customer said no to the view (or took it back). */
  private viewRefused = false;
  private masking: MaskingPolicy | null = null;
  private interactionId: string | undefined;
  private orderId: string | undefined;
  /** Events were dropped (backpressure, rate): the next batch relayed is preceded by a resync request. */
  private eventsLost = false;
  /** The last remote click or keystroke, or when control was granted. */
  private controlActiveAtMs = 0;
  private graceTimer: NodeJS.Timeout | null = null;
  private readonly relayed = { toAgent: { frames: 0, bytes: 0 }, toCustomer: { frames: 0, bytes: 0 } };
  private ended = false;
  /** The end's audit and order-history writes, once ended. */
  private bookkeeping: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    private readonly resumeTokenHash: Buffer,
    customer: CustomerLink,
    private page: PageInfo,
    private readonly deps: RoomDeps,
  ) {
    this.customer = customer;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get hasAgent(): boolean {
    return this.agent !== null;
  }

  /** Whether `link` is the agent connection in this room. */
  isAgent(link: AgentLink): boolean {
    return this.agent?.link === link;
  }

  /** The bytes the resume token must hash to (sha-256; compared in constant time by the registry). */
  get tokenHash(): Buffer {
    return this.resumeTokenHash;
  }

  /** What the agent's desk shows now. */
  get state(): CobrowseState {
    if (this.ended) return 'ended';
    if (!this.customer) return 'reconnecting';
    if (this.levels().includes('view')) return 'live';
    return this.viewRefused ? 'refused' : 'waiting_consent';
  }

  /** The join's answer to the agent. */
  joinResult(): { sessionId: string; state: CobrowseState; consent: ConsentLevel[]; page: PageInfo } {
    return { sessionId: this.id, state: this.state, consent: this.levels(), page: this.page };
  }

  // ---- the agent ---------------------------------------------------------------------------

  /** The agent joins with the session's code (already used up); the customer is told by announceAgent. */
  join(
    user: AgentUser,
    link: AgentLink,
    masking: MaskingPolicy,
    links: { interactionId?: string; orderId?: string },
  ): void {
    if (this.ended || this.agent)
      throw new DeskError('NOT_FOUND', 'This co-browse session is not open to a join');
    const unlink = link.onEnd((why: AgentLinkEnd) =>
      this.end(why === 'closed' ? 'agent_disconnected' : 'agent_signed_out'),
    );
    this.agent = { user, link, unlink, joinedAtMs: this.deps.now() };
    this.masking = masking;
    this.interactionId = links.interactionId;
    this.orderId = links.orderId;
    void this.audit(user.id, 'cobrowse.start', {
      role: user.role,
      ...this.linksForAudit(),
    });
  }

  /** Sent once the join's answer is out: the snippet asks the customer for view consent. */
  announceAgent(): void {
    if (this.ended || !this.agent || !this.masking) return;
    this.sendToCustomer({
      type: 'agent-joined',
      agent: { displayName: this.agent.user.displayName },
      masking: this.masking,
    });
  }

  /** A message from the agent's desk, refused (FORBIDDEN with the reason) without the consent it needs. */
  fromAgent(message: AgentCobrowseMessage): void {
    const agent = this.agent;
    if (this.ended || !agent) throw new DeskError('NOT_FOUND', 'This co-browse session has ended');
    this.deps.tap?.({ sessionId: this.id, direction: 'from_agent', text: JSON.stringify(message) });
    if (!this.customer) {
      throw new DeskError('FORBIDDEN', "The customer's page is loading again: try in a moment", {
        reasons: [{ code: COBROWSE_REFUSAL_REASONS.customerReconnecting, params: {} }],
      });
    }
    const needed = CONSENT_NEEDED[message.type];
    if (needed === 'control' && this.levels().includes('control')) {
      // Control goes back to the customer after CONTROL_IDLE_MS without a remote click or keystroke,
      // here as on the customer's page, whatever the snippet did.
      if (this.deps.now() - this.controlActiveAtMs > CONTROL_IDLE_MS) this.releaseControl('idle', 'system');
      else this.controlActiveAtMs = this.deps.now();
    }
    if (needed !== null && !this.levels().includes(needed)) {
      throw new DeskError('FORBIDDEN', `The customer has not allowed ${needed} in this session`, {
        reasons: [{ code: COBROWSE_REFUSAL_REASONS.consentNeeded, params: { level: needed } }],
      });
    }
    if (message.type === 'release-control') {
      if (this.levels().includes('control')) this.releaseControl('agent', agent.user.id);
      // The snippet is told by the release itself.
      return;
    }
    this.sendToCustomer({ type: 'agent', message });
  }

  // ---- the customer ------------------------------------------------------------------------

  /** A message from the snippet (its socket is this room's customer). */
  fromCustomer(frame: Exclude<CustomerFrame, { type: 'hello' | 'resume' }>): void {
    if (this.ended) return;
    switch (frame.type) {
      case 'consent':
        return this.onConsent(frame.level, frame.granted);
      case 'events':
      case 'chunk':
        return this.relayEvents(frame);
      case 'control-released':
        if (this.levels().includes('control')) this.releaseControl(frame.reason, 'customer');
        return;
      case 'end':
        return this.end('customer');
    }
  }

  /** The customer's socket is back after a page load (the token checked by the registry). */
  resumed(customer: CustomerLink, page: PageInfo): void {
    const previous = this.customer;
    this.customer = customer;
    this.page = page;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    if (previous && previous !== customer) previous.replaced();
    this.sendToCustomer({
      type: 'resumed',
      agent: this.agent ? { displayName: this.agent.user.displayName } : null,
      consent: this.levels(),
      masking: this.masking,
    });
    this.sendState();
  }

  /** The customer's socket closed: the room waits resumeGraceMs for the page to come back. */
  customerGone(customer: CustomerLink): void {
    if (this.ended || this.customer !== customer) return;
    this.customer = null;
    this.sendState();
    this.graceTimer = setTimeout(() => this.end('customer_gone'), this.deps.resumeGraceMs);
    this.graceTimer.unref();
  }

  /** Events from the snippet were dropped before reaching the room (over the customer's rate). */
  lostEvents(): void {
    this.eventsLost = true;
  }

  // ---- the end -----------------------------------------------------------------------------

  /**
   * Ends the session once: both sides are told, the customer's socket closes, the agent leaves,
   * and the end is audited (and, for a join that named an order, written to its history).
   */
  end(reason: CobrowseEndReason): void {
    if (this.ended) return;
    // First: a send below can end the agent's session, which ends this room again.
    this.ended = true;
    const by = ENDED_BY[reason];
    const customer = this.customer;
    const agent = this.agent;
    this.customer = null;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    agent?.unlink();
    if (customer) {
      this.deliverToCustomer(customer, { type: 'ended', by, reason });
      customer.close();
    }
    if (agent) {
      this.deliverToAgent(agent, { type: 'ended', by, reason });
      this.deliverToAgent(agent, { type: 'state', state: 'ended', consent: [], page: this.page });
    }
    this.deps.metrics.cobrowseEnded(reason);
    if (agent) this.bookkeeping = this.recordEnd(agent, reason);
    this.deps.onEnded(this);
  }

  /** Resolves once the end's audit and order-history writes are done (at once before the end). */
  settled(): Promise<void> {
    return this.bookkeeping;
  }

  // ---- inside ------------------------------------------------------------------------------

  private levels(): ConsentLevel[] {
    return grantedLevels(this.consent);
  }

  private onConsent(level: ConsentLevel, granted: boolean): void {
    if (!this.agent) {
      this.sendToCustomer({
        type: 'error',
        error: { code: 'BAD_REQUEST', message: 'No agent has joined this session yet' },
      });
      return;
    }
    const before = this.levels();
    const rank = CONSENT_LEVELS.indexOf(level);
    if (granted && rank > before.length) {
      this.sendToCustomer({
        type: 'error',
        error: { code: 'BAD_REQUEST', message: `${level} needs ${CONSENT_LEVELS[rank - 1]} first` },
      });
      return;
    }
    if (granted) this.consent.add(level);
    // Taking a level back takes back the ones above it too.
    else for (const higher of CONSENT_LEVELS.slice(rank)) this.consent.delete(higher);
    if (level === 'view') this.viewRefused = !granted;
    const after = this.levels();
    if (!before.includes('control') && after.includes('control')) this.controlActiveAtMs = this.deps.now();
    for (const added of after.filter((entry) => !before.includes(entry))) this.auditConsent(added, true);
    for (const removed of before.filter((entry) => !after.includes(entry))) this.auditConsent(removed, false);
    this.sendToAgent({ type: 'consent', level, granted });
    this.sendState();
  }

  private auditConsent(level: ConsentLevel, granted: boolean): void {
    void this.audit('customer', 'cobrowse.consent', { level, granted, agent: this.agent?.user.id ?? null });
  }

  private relayEvents(frame: Extract<CustomerFrame, { type: 'events' | 'chunk' }>): void {
    const agent = this.agent;
    if (!agent || !this.levels().includes('view')) {
      this.deps.metrics.eventsDropped('no_consent');
      this.sendToCustomer({
        type: 'error',
        error: { code: 'FORBIDDEN', message: 'Nothing is relayed before the customer allows the view' },
      });
      return;
    }
    if (agent.link.bufferedAmount > this.deps.agentBufferedLimitBytes) {
      // The agent's desk is behind: drop rather than queue without bound; it gets a full snapshot.
      this.eventsLost = true;
      this.deps.metrics.eventsDropped('backpressure');
      return;
    }
    if (this.eventsLost) {
      this.eventsLost = false;
      this.sendToCustomer({ type: 'agent', message: { type: 'resync' } });
    }
    this.sendToAgent(frame);
  }

  private releaseControl(reason: ControlReleaseReason, actor: string): void {
    this.consent.delete('control');
    void this.audit(actor, 'cobrowse.control_released', { reason, agent: this.agent?.user.id ?? null });
    // The snippet knows of the releases it made itself (idle, hidden tab, Esc, Stop).
    if (reason === 'idle' || reason === 'agent') {
      this.sendToCustomer({ type: 'agent', message: { type: 'release-control' } });
    }
    this.sendToAgent({ type: 'control-released', reason });
    this.sendState();
  }

  private sendState(): void {
    this.sendToAgent({ type: 'state', state: this.state, consent: this.levels(), page: this.page });
  }

  private sendToAgent(message: CustomerMessage): void {
    if (!this.ended && this.agent) this.deliverToAgent(this.agent, message);
  }

  private sendToCustomer(frame: GatewayToCustomerFrame): void {
    if (!this.ended && this.customer) this.deliverToCustomer(this.customer, frame);
  }

  private deliverToAgent(agent: JoinedAgent, message: CustomerMessage): void {
    const frame: CobrowseFrame = { type: 'cobrowse', sessionId: this.id, message };
    const text = JSON.stringify(frame);
    if (!agent.link.send(text)) return;
    const bytes = Buffer.byteLength(text);
    this.relayed.toAgent.frames += 1;
    this.relayed.toAgent.bytes += bytes;
    this.deps.metrics.relayed('to_agent', bytes);
    this.deps.tap?.({ sessionId: this.id, direction: 'to_agent', text });
  }

  /** Every frame to the snippet; the agent's messages count as relayed (the customer's link taps them all). */
  private deliverToCustomer(customer: CustomerLink, frame: GatewayToCustomerFrame): void {
    const bytes = customer.send(frame);
    if (frame.type !== 'agent') return;
    this.relayed.toCustomer.frames += 1;
    this.relayed.toCustomer.bytes += bytes;
    this.deps.metrics.relayed('to_customer', bytes);
  }

  private async recordEnd(agent: JoinedAgent, reason: CobrowseEndReason): Promise<void> {
    const endedAtMs = this.deps.now();
    const durationMs = Math.max(0, endedAtMs - agent.joinedAtMs);
    await this.audit(agent.user.id, 'cobrowse.end', {
      by: ENDED_BY[reason],
      reason,
      durationMs,
      relayed: this.relayed,
      ...this.linksForAudit(),
    });
    if (this.orderId === undefined) return;
    // The order's history shows the session: one entry through the one write path (an event
    // every desk applies), at the end, with the agent, the call and how long it took.
    const interactionId = this.interactionId;
    const actor = `agent:${agent.user.username}`;
    const note = `Co-browse session (${formatDuration(durationMs)}, ended: ${reason})`;
    try {
      await this.deps.changes.update(
        this.orderId,
        null,
        (order) => ({
          ...order,
          timeline: [
            ...order.timeline,
            {
              at: new Date(endedAtMs).toISOString(),
              status: order.status,
              actor,
              note,
              ...(interactionId ? { interactionId } : {}),
            },
          ],
        }),
        { source: 'agent', actor: agent.user.id, action: 'cobrowse' },
      );
    } catch (err) {
      this.deps.logger.error(
        { err, sessionId: this.id },
        "co-browse session not written to the order's history",
      );
    }
  }

  private linksForAudit(): Record<string, string> {
    return {
      sessionId: this.id,
      ...(this.interactionId ? { interactionId: this.interactionId } : {}),
      ...(this.orderId ? { orderId: this.orderId } : {}),
    };
  }

  private async audit(actor: string, action: string, details: AuditEntry['details']): Promise<void> {
    try {
      await this.deps.audit.record({ actor, action, target: `cobrowse:${this.id}`, details });
    } catch (err) {
      this.deps.logger.error({ err, action, sessionId: this.id }, 'co-browse audit row not written');
    }
  }
}

/** "4 min 12 s", "38 s": how long a session took, for the order's history. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes === 0 ? `${seconds} s` : `${minutes} min ${seconds % 60} s`;
}
