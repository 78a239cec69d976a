import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import {
  COBROWSE_REFUSAL_REASONS,
  type CustomerFrame,
  type GatewayToCustomerFrame,
  type MaskingRule,
} from '../../shared/cobrowse-protocol';
import { DeskError, type ErrorInfo } from '../../shared/errors';
import type { GatewayResult } from '../../shared/protocol';
import { mayCobrowse } from '../../shared/role-views';
import type { AuditLog } from '../audit/audit-log';
import type { OrderChanges } from '../orders/order-changes';
import type { OrderStore } from '../orders/order-store';
import type { RoleViewSource } from '../views/sqlite-role-views';
import type { AgentLink } from '../ws/agent-link';
import type { MethodParams, RequestContext } from '../ws/method-handlers';
import { CobrowseCodes, DEFAULT_CODE_LIMITS, type CodeLimits } from './cobrowse-codes';
import type { CobrowseMetrics } from './cobrowse-metrics';
import { CobrowseRoom, type CustomerLink, type RelayedFrame } from './cobrowse-room';
import { maskingPolicyFor } from './masking-policy';
import { DEFAULT_WRONG_CODE_LIMITS, WrongCodeGuard, type WrongCodeLimits } from './wrong-code-limits';

export interface RoomLimits {
  /** How long a customer's page may be gone (a reload, a lost connection) before the session ends. */
  resumeGraceMs: number;
  /** Past this many bytes queued on the agent's socket, events are dropped and a full snapshot asked for. */
  agentBufferedLimitBytes: number;
}

/** A reload takes a second or two; a phone changing networks a few more: a minute covers both. */
export const DEFAULT_ROOM_LIMITS: RoomLimits = {
  resumeGraceMs: 60_000,
  agentBufferedLimitBytes: 4 * 1024 * 1024,
};

export interface CobrowseRoomsDeps {
  audit: AuditLog;
  /** The one write path for orders: a session's end goes into its order's history. */
  changes: OrderChanges;
  orders: Pick<OrderStore, 'get'>;
  /** Whether a role's view allows co-browse. */
  views: RoleViewSource;
  metrics: CobrowseMetrics;
  logger: Logger;
  /** The shop's per-URL masking rules, sent with every join. */
  rules: readonly MaskingRule[];
  tap?: (frame: RelayedFrame) => void;
  /** Epoch ms (codes, wrong-code limits, durations); injectable for tests. */
  now?: () => number;
  codeLimits?: Partial<CodeLimits>;
  wrongCodeLimits?: Partial<WrongCodeLimits>;
  roomLimits?: Partial<RoomLimits>;
}

/** How often codes that expired unused end their sessions. */
const SWEEP_INTERVAL_MS = 5_000;

/**
 * Every co-browse session of this gateway process, in memory: customers open them with hello
 * (getting a code) and come back to them with resume; agents join them with the code and talk to
 * them with cobrowse.send and cobrowse.leave. Nothing of a session is written but its audit rows
 * and, for a join that named an order, one entry in that order's history.
 */
export class CobrowseRooms {
  private readonly rooms = new Map<string, CobrowseRoom>();
  private readonly codes: CobrowseCodes;
  private readonly wrongCodes: WrongCodeGuard;
  private readonly now: () => number;
  private readonly roomLimits: RoomLimits;
  private readonly sweeper: NodeJS.Timeout;
  /** Compared against when a resume names no live session, so both take the same time. */
  private readonly decoyHash = sha256(randomBytes(32).toString('base64url'));
  /** Audit and order-history writes of sessions that ended, until done (close waits for them). */
  private readonly writing = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly deps: CobrowseRoomsDeps) {
    this.now = deps.now ?? Date.now;
    this.codes = new CobrowseCodes({ ...DEFAULT_CODE_LIMITS, ...deps.codeLimits }, this.now);
    this.wrongCodes = new WrongCodeGuard(
      { audit: deps.audit, logger: deps.logger },
      { ...DEFAULT_WRONG_CODE_LIMITS, ...deps.wrongCodeLimits },
      this.now,
    );
    this.roomLimits = { ...DEFAULT_ROOM_LIMITS, ...deps.roomLimits };
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  get size(): number {
    return this.rooms.size;
  }

  // ---- the customer ------------------------------------------------------------------------

  /** A new session for a snippet's hello, with the frame that gives it its code; or why not. */
  open(
    customer: CustomerLink,
    hello: Extract<CustomerFrame, { type: 'hello' }>,
    address: string,
  ): { room: CobrowseRoom; codeFrame: GatewayToCustomerFrame } | ErrorInfo {
    if (this.closing) return { code: 'GATEWAY_UNAVAILABLE', message: 'The gateway is shutting down' };
    const sessionId = randomBytes(16).toString('base64url');
    const resumeToken = randomBytes(32).toString('base64url');
    const issue = this.codes.issue(sessionId, address);
    this.deps.metrics.codeRequested(issue.issued ? 'issued' : issue.refusal);
    if (!issue.issued) {
      this.deps.logger.warn({ address, refusal: issue.refusal }, 'co-browse code refused');
      const seconds = Math.ceil(issue.retryAfterMs / 1000);
      return {
        code: issue.refusal === 'gateway_full' ? 'GATEWAY_UNAVAILABLE' : 'RATE_LIMITED',
        message: `Too many help sessions are waiting: try again in ${seconds} s`,
      };
    }
    const room = new CobrowseRoom(sessionId, sha256(resumeToken), customer, hello.page, this.roomDeps());
    this.rooms.set(sessionId, room);
    return {
      room,
      codeFrame: {
        type: 'code',
        code: issue.code,
        expiresAt: new Date(issue.expiresAtMs).toISOString(),
        sessionId,
        resumeToken,
      },
    };
  }

  /**
   * The session a reloaded page names, if its resume token is right (compared in constant time);
   * null for an unknown or ended session and for a wrong token alike.
   */
  resume(frame: Extract<CustomerFrame, { type: 'resume' }>): CobrowseRoom | null {
    const room = this.rooms.get(frame.sessionId);
    const matches = timingSafeEqual(sha256(frame.resumeToken), room?.tokenHash ?? this.decoyHash);
    return room && matches && !room.isEnded ? room : null;
  }

  // ---- the agent (cobrowse.join / send / leave) ---------------------------------------------

  async join(
    params: MethodParams<'cobrowse.join'>,
    context: RequestContext,
  ): Promise<GatewayResult<'cobrowse.join'>> {
    // Only signed-in connections reach a method that is not public.
    const user = context.session!.user;
    if (!mayCobrowse(user.role, this.deps.views.viewOf(user.role).layout)) {
      throw new DeskError('FORBIDDEN', 'Your role does not co-browse with customers', {
        reasons: [{ code: COBROWSE_REFUSAL_REASONS.roleNotAllowed, params: { role: user.role } }],
      });
    }
    try {
      await this.wrongCodes.admit(user);
    } catch (err) {
      this.deps.metrics.joinRefused('rate_limited');
      throw err;
    }
    // Checked before the code is used up, so a mistyped order does not cost the customer's code.
    if (params.orderId !== undefined && !(await this.deps.orders.get(params.orderId))) {
      throw new DeskError('NOT_FOUND', `No order with id ${params.orderId}`);
    }
    // The sign-in may have ended while this request waited: such a connection joins nothing.
    if (context.agentLink.userId !== user.id) throw new DeskError('UNAUTHENTICATED', 'Sign in first');
    const sessionId = this.codes.consume(params.code);
    const room = sessionId === null ? undefined : this.rooms.get(sessionId);
    if (!room || room.isEnded || room.hasAgent) {
      this.wrongCodes.wrong(user);
      this.deps.metrics.joinRefused('wrong_code');
      this.deps.logger.info({ userId: user.id }, 'co-browse join with a wrong, used or expired code');
      throw new DeskError('NOT_FOUND', 'No co-browse session has this code: it is wrong, used or expired');
    }
    this.wrongCodes.joined(user);
    room.join(user, context.agentLink, maskingPolicyFor(user.role, this.deps.rules), {
      ...(params.interactionId === undefined ? {} : { interactionId: params.interactionId }),
      ...(params.orderId === undefined ? {} : { orderId: params.orderId }),
    });
    // The customer hears of the agent after the agent has the join's answer.
    context.afterResponse(() => room.announceAgent());
    return room.joinResult();
  }

  async send(params: MethodParams<'cobrowse.send'>, context: RequestContext): Promise<Record<string, never>> {
    this.roomOf(params.sessionId, context.agentLink).fromAgent(params.message);
    return {};
  }

  async leave(
    params: MethodParams<'cobrowse.leave'>,
    context: RequestContext,
  ): Promise<Record<string, never>> {
    this.roomOf(params.sessionId, context.agentLink).end('agent_left');
    return {};
  }

  // ---- upkeep ------------------------------------------------------------------------------

  /** Ends the sessions whose code expired before anyone joined. */
  sweep(): void {
    for (const sessionId of this.codes.sweep()) this.rooms.get(sessionId)?.end('code_expired');
  }

  /** Ends every session (the gateway is shutting down) and waits for their audit rows. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    for (const room of [...this.rooms.values()]) room.end('shutdown');
    await Promise.all(this.writing);
  }

  private roomOf(sessionId: string, link: AgentLink): CobrowseRoom {
    const room = this.rooms.get(sessionId);
    // Someone else's session answers as one that does not exist.
    if (!room || room.isEnded || !room.isAgent(link)) {
      throw new DeskError('NOT_FOUND', 'No co-browse session of yours has this id');
    }
    return room;
  }

  private roomDeps() {
    return {
      audit: this.deps.audit,
      changes: this.deps.changes,
      metrics: this.deps.metrics,
      logger: this.deps.logger,
      now: this.now,
      ...this.roomLimits,
      ...(this.deps.tap ? { tap: this.deps.tap } : {}),
      onEnded: (room: CobrowseRoom) => {
        this.rooms.delete(room.id);
        this.codes.withdraw(room.id);
        const written = room.settled();
        this.writing.add(written);
        void written.finally(() => this.writing.delete(written));
      },
    };
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
