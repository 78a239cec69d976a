import type { Logger } from 'pino';
import WebSocket, { type RawData } from 'ws';
import { DeskError, type ErrorInfo } from '../../shared/errors';
import {
  HelloFrame,
  PROTOCOL_VERSION,
  PUBLIC_METHODS,
  RequestFrame,
  gatewayMethods,
  isGatewayMethod,
  type GatewayMethod,
  type GatewayResult,
  type LoginResult,
  type ServerFrame,
} from '../../shared/protocol';
import type { AuthService, Session } from '../auth/auth-service';
import { ROLE_CHANGED, type LiveSession, type LiveSessions, type SessionEnd } from '../auth/live-sessions';
import type { EventSink, EventStream } from '../events/event-stream';
import type { ConnectionMetrics } from '../metrics/gateway-metrics';
import { CLOSE_CODES } from './close-codes';
import type { ConnectedDesk, DeskRegistry } from './desk-registry';
import type { AgentLink, AgentLinkEnd } from './agent-link';
import type { MethodHandler, MethodHandlers, MethodParams, RequestContext } from './method-handlers';
import { summarizeIssues } from './summarize-issues';
import { TokenBucket } from '../../shared/token-bucket';

export interface AgentConnectionDeps {
  /** The client's network address (the peer, or the address a trusted proxy forwarded). */
  remoteAddress: string;
  auth: AuthService;
  handlers: MethodHandlers;
  server: { name: string; version: string };
  logger: Logger;
  metrics: ConnectionMetrics;
  /** A connection that has not said hello by then is closed (default 10 s). */
  helloTimeoutMs?: number;
  /** A connection that said hello without a token, or signed out, is closed unless signed in by then (default 30 s). */
  signInTimeoutMs?: number;
  /** Signed-in connections: who is online and where notices go. */
  desks?: DeskRegistry;
  /** Where a sign-in that ends (elsewhere, or by an operator) finds this connection. */
  liveSessions?: LiveSessions;
}

/** Per connection: 50 frames/s sustained, bursts of 100 (a screen pop fires a handful at once). */
const FRAMES_PER_SECOND = 50;
const FRAME_BURST = 100;
const MAX_REQUEST_ID_LENGTH = 64;
/** Long enough for a slow network; short enough that idle unauthenticated sockets do not pile up. */
const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
/** setTimeout's longest delay; a session token lives hours at most. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const SESSION_EXPIRED: SessionEnd = {
  code: 'SESSION_EXPIRED',
  message: 'Session expired: renew it with the refresh token, or sign in again',
};
/** Time to type a user name and password; an anonymous socket costs the gateway no longer than that. */
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 30_000;

type FrameObject = Record<string, unknown>;

/**
 * One agent's websocket: the hello handshake, authentication and request dispatch. Every frame
 * gets an answer (a response or an error frame); nothing a client sends can throw out of here.
 */
export class AgentConnection {
  private state: 'awaiting_hello' | 'ready' | 'closing' = 'awaiting_hello';
  /** Set while a hello's token is checked, so frames sent right after the hello wait for it. */
  private greeting: Promise<void> | null = null;
  private session: Session | null = null;
  private readonly bucket = new TokenBucket(FRAMES_PER_SECOND, FRAME_BURST);
  /** The events.subscribe stream, if any: at most one per connection. */
  private eventStream: EventStream | null = null;
  private readonly eventSink: EventSink;
  private readonly helloTimer: NodeJS.Timeout;
  /** Runs while the connection is ready but not signed in. */
  private signInTimer: NodeJS.Timeout | undefined;
  /** This connection in the desk registry (the user is read live, so a role change applies). */
  private readonly desk: ConnectedDesk;
  /** This connection in the registry of live sessions: a sign-in that ends elsewhere ends it. */
  private readonly live: LiveSession;
  private removeLive: (() => void) | null = null;
  /** Ends the session when its token expires (a refresh on this connection moves it). */
  private expiryTimer: NodeJS.Timeout | null = null;
  /** This connection as co-browse rooms see it. */
  private readonly link: AgentLink;
  /** The rooms' listeners: told once when the session ends or the socket closes. */
  private readonly linkEndListeners = new Set<(why: AgentLinkEnd) => void>();

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: AgentConnectionDeps,
  ) {
    this.eventSink = {
      write: (frame, onWritten) => {
        // Every frame re-checks the session: none leaves once it ended or expired.
        if (!this.hasLiveSession()) {
          onWritten?.();
          if (this.session) this.endSession(SESSION_EXPIRED);
          return;
        }
        if (socket.readyState === WebSocket.OPEN) {
          socket.send(frame, { binary: false }, onWritten);
          deps.metrics.frameSent();
        } else onWritten?.();
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      fail: (err) => {
        deps.logger.error({ err }, 'event stream failed');
        this.sendError({ code: 'INTERNAL', message: 'The event stream stopped: subscribe again' });
      },
    };
    const currentUser = () => this.session?.user ?? null;
    this.desk = {
      get user() {
        return currentUser();
      },
      notify: (notice) => this.send({ type: 'notice', notice }),
    };
    const liveUserId = () =>
      this.state !== 'closing' && this.hasLiveSession() ? this.session!.user.id : null;
    this.link = {
      send: (text) => {
        // As for events: nothing leaves once the session ended or expired.
        if (!this.hasLiveSession()) {
          if (this.session) this.endSession(SESSION_EXPIRED);
          return false;
        }
        if (socket.readyState !== WebSocket.OPEN) return false;
        socket.send(text);
        deps.metrics.frameSent();
        return true;
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      get userId() {
        return liveUserId();
      },
      onEnd: (listener) => {
        this.linkEndListeners.add(listener);
        return () => this.linkEndListeners.delete(listener);
      },
    };
    const currentSession = () => this.session;
    this.live = {
      get session() {
        return currentSession();
      },
      end: (why) => this.endSession(why),
    };
    this.helloTimer = setTimeout(() => {
      if (this.state !== 'awaiting_hello' || this.greeting) return;
      deps.metrics.connectionTimedOut('hello');
      this.sendError({ code: 'TIMEOUT', message: 'No hello received in time' });
      this.close(CLOSE_CODES.helloTimeout, 'no hello in time');
    }, deps.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS);
    this.helloTimer.unref();
    socket.on('message', (data, isBinary) => {
      deps.metrics.frameReceived();
      this.onMessage(data, isBinary).catch((err: unknown) => this.fail(err));
    });
    // ws reports protocol violations (e.g. an oversize frame, closed with 1009) here.
    socket.on('error', (err) => deps.logger.warn({ err: err.message }, 'websocket error'));
    socket.on('close', (code) => {
      this.state = 'closing';
      this.endLink('closed');
      clearTimeout(this.helloTimer);
      clearTimeout(this.signInTimer);
      this.eventStream?.stop();
      this.setSession(null);
      deps.logger.debug({ code }, 'connection closed');
    });
  }

  private async onMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (this.greeting) await this.greeting;
    if (this.state === 'closing') return;

    const frame = parseFrame(data, isBinary);
    if (frame instanceof DeskError) return this.sendError(frame.toInfo());

    if (!this.bucket.tryTake()) {
      const info: ErrorInfo = { code: 'RATE_LIMITED', message: 'Too many frames: slow down' };
      const id = requestIdOf(frame);
      return id === null ? this.sendError(info) : this.sendResponseError(id, info);
    }

    if (frame.type === 'hello') return this.onHello(frame);
    if (frame.type === 'req') return this.onRequest(frame);
    this.sendError({ code: 'BAD_REQUEST', message: `Unknown frame type: ${describe(frame.type)}` });
  }

  private onHello(frame: FrameObject): Promise<void> | void {
    if (this.state !== 'awaiting_hello') {
      return this.sendError({ code: 'BAD_REQUEST', message: 'hello was already received' });
    }
    // Checked before the schema so that a future client's different hello still learns why.
    if (typeof frame.protocol === 'number' && frame.protocol !== PROTOCOL_VERSION) {
      this.sendError({
        code: 'PROTOCOL_VERSION',
        message: `This gateway speaks protocol ${PROTOCOL_VERSION}, the client ${frame.protocol}`,
      });
      return this.close(CLOSE_CODES.protocolError, 'protocol version mismatch');
    }
    const hello = HelloFrame.safeParse(frame);
    if (!hello.success) {
      return this.sendError({
        code: 'BAD_REQUEST',
        message: `Invalid hello: ${summarizeIssues(hello.error)}`,
      });
    }
    const { token, refreshToken } = hello.data;
    if (token === undefined && refreshToken === undefined) return this.greet();

    const resumed =
      token !== undefined
        ? this.deps.auth.resume(token).then((session) => ({ session, renewed: undefined }))
        : this.deps.auth.refresh(refreshToken!).then(({ session, result }) => ({ session, renewed: result }));
    this.greeting = resumed
      .then(
        ({ session, renewed }) => {
          this.setSession(session);
          this.greet(renewed);
        },
        (err: unknown) => {
          if (!(err instanceof DeskError)) throw err;
          this.sendError(err.toInfo());
          this.close(CLOSE_CODES.unauthenticated, 'invalid session token');
        },
      )
      .finally(() => {
        this.greeting = null;
      });
    return this.greeting;
  }

  private greet(renewed?: LoginResult): void {
    this.state = 'ready';
    clearTimeout(this.helloTimer);
    if (!this.session) this.expectSignIn();
    this.send({
      type: 'hello.ok',
      protocol: PROTOCOL_VERSION,
      server: this.deps.server,
      user: this.session?.user ?? null,
      ...(renewed ? { renewed } : {}),
    });
  }

  private async onRequest(frame: FrameObject): Promise<void> {
    const request = RequestFrame.safeParse(frame);
    if (!request.success) {
      const info: ErrorInfo = {
        code: 'BAD_REQUEST',
        message: `Invalid request: ${summarizeIssues(request.error)}`,
      };
      const id = requestIdOf(frame);
      return id === null ? this.sendError(info) : this.sendResponseError(id, info);
    }
    if (this.state !== 'ready') {
      return this.sendError({ code: 'BAD_REQUEST', message: 'Send hello before any request' });
    }

    const { id, method, params } = request.data;
    const startedAt = performance.now();
    /** What the handler asked to happen once its response is on its way. */
    const afterResponse: (() => void)[] = [];
    try {
      const result = await this.dispatch(method, params, afterResponse);
      this.send({ type: 'res', id, ok: true, result });
      this.deps.metrics.requestCompleted(method, 'OK', secondsSince(startedAt));
      this.deps.logger.debug({ method, ms: elapsedMs(startedAt) }, 'request ok');
    } catch (err) {
      const info = this.toErrorInfo(err, method);
      this.sendResponseError(id, info);
      this.deps.metrics.requestCompleted(method, info.code, secondsSince(startedAt));
      this.deps.logger.debug({ method, code: info.code, ms: elapsedMs(startedAt) }, 'request failed');
    }
    for (const run of afterResponse) run();
  }

  private async dispatch(method: string, params: unknown, afterResponse: (() => void)[]): Promise<unknown> {
    if (!isGatewayMethod(method)) throw new DeskError('UNKNOWN_METHOD', `Unknown method: ${method}`);
    if (!PUBLIC_METHODS.includes(method)) await this.refreshSession(afterResponse);
    return this.run(method, params, afterResponse);
  }

  /**
   * Re-reads the session's user and sign-in, so a sign-out elsewhere or a role change applies to
   * this request. A session that ended is ended on this connection too, once the request's
   * error response has been sent: its event stream stops at once, then the socket closes.
   */
  private async refreshSession(afterResponse: (() => void)[]): Promise<void> {
    const session = this.requireSession(afterResponse);
    let current: Session;
    try {
      current = await this.deps.auth.revalidate(session);
    } catch (err) {
      const error = DeskError.from(err);
      if (this.session === session && error.code === 'UNAUTHENTICATED') {
        this.endSessionAfter(afterResponse, { code: 'SESSION_ENDED', message: error.message });
      }
      throw err;
    }
    // A sign-in or sign-out on this connection while the user was read wins.
    if (this.session !== session) return;
    if (current.user.role !== session.user.role) {
      this.endSessionAfter(afterResponse, ROLE_CHANGED);
      throw new DeskError('UNAUTHENTICATED', ROLE_CHANGED.message);
    }
    this.session = current;
  }

  private run<M extends GatewayMethod>(
    method: M,
    params: unknown,
    afterResponse: (() => void)[],
  ): Promise<GatewayResult<M>> {
    const parsed = gatewayMethods[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      throw new DeskError('BAD_REQUEST', `Invalid params for ${method}: ${summarizeIssues(parsed.error)}`);
    }
    // TypeScript cannot correlate the indexed handler with M's params; the schema lookup above
    // is keyed by the same M, so the casts restate what is already true.
    const handler = this.deps.handlers[method] as MethodHandler<M>;
    return handler(parsed.data as MethodParams<M>, this.context(afterResponse));
  }

  private context(afterResponse: (() => void)[]): RequestContext {
    return {
      remoteAddress: this.deps.remoteAddress,
      session: this.session,
      startSession: (session) => {
        // Another user signing in on this connection does not inherit the previous one's stream.
        if (this.session && this.session.user.id !== session.user.id) this.stopEventStream();
        this.setSession(session);
        clearTimeout(this.signInTimer);
        this.deps.logger.info({ userId: session.user.id, role: session.user.role }, 'signed in');
      },
      endSession: () => {
        // Events are for signed-in agents only.
        this.stopEventStream();
        this.setSession(null);
        this.expectSignIn();
      },
      eventSink: this.eventSink,
      agentLink: this.link,
      afterResponse: (run) => afterResponse.push(run),
      currentRole: () => this.session?.user.role ?? null,
      replaceEventStream: (stream) => {
        this.eventStream?.stop();
        this.eventStream = stream;
        if (!stream) return;
        // Opened while the socket closed: nothing would ever stop it.
        if (this.state === 'closing') stream.stop();
        else afterResponse.push(() => stream.start());
      },
    };
  }

  /** Not signed in (yet, or any more): the client must sign in in time or is closed. */
  private expectSignIn(): void {
    clearTimeout(this.signInTimer);
    this.signInTimer = setTimeout(() => {
      if (this.session || this.state === 'closing') return;
      this.deps.metrics.connectionTimedOut('sign_in');
      this.sendError({ code: 'TIMEOUT', message: 'Not signed in in time' });
      this.close(CLOSE_CODES.signInTimeout, 'no sign-in in time');
    }, this.deps.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS);
    this.signInTimer.unref();
  }

  private requireSession(afterResponse: (() => void)[]): Session {
    if (!this.session) throw new DeskError('UNAUTHENTICATED', 'Sign in first');
    if (this.session.expiresAtMs <= Date.now()) {
      this.endSessionAfter(afterResponse, SESSION_EXPIRED);
      throw new DeskError('UNAUTHENTICATED', 'Session expired: sign in again');
    }
    return this.session;
  }

  private hasLiveSession(): boolean {
    return this.session !== null && this.session.expiresAtMs > Date.now();
  }

  /**
   * The one place the connection's session changes: the desk registry, the registry of live
   * sessions and the expiry timer follow it.
   */
  private setSession(session: Session | null): void {
    const previous = this.session;
    const hadSession = previous !== null;
    this.session = session;
    // A sign-out, an ended sign-in or another user: the agent leaves every co-browse room (after
    // the session changed, so that nothing of those rooms reaches this connection any more).
    if (previous && (!session || session.user.id !== previous.user.id)) {
      this.endLink(this.state === 'closing' ? 'closed' : 'signed_out');
    }
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (!session || this.state === 'closing') {
      this.removeLive?.();
      this.removeLive = null;
      if (hadSession) this.deps.desks?.signedOut(this.desk);
      return;
    }
    this.removeLive ??= this.deps.liveSessions?.add(this.live) ?? null;
    this.deps.desks?.signedIn(this.desk);
    const msLeft = Math.min(Math.max(session.expiresAtMs - Date.now(), 0), MAX_TIMER_MS);
    this.expiryTimer = setTimeout(() => this.endSession(SESSION_EXPIRED), msLeft);
    this.expiryTimer.unref();
  }

  /**
   * The gateway ends the session (it expired, ended elsewhere, or the role changed): nothing more
   * is sent for it, the client gets an error frame saying why, then the socket closes.
   */
  private endSession(why: SessionEnd): void {
    if (this.state === 'closing') return;
    this.stopEventStream();
    this.setSession(null);
    this.sendError(why);
    this.deps.metrics.sessionEnded(why.code === 'SESSION_EXPIRED' ? 'expired' : 'ended');
    this.deps.logger.info({ code: why.code, reason: why.message }, 'session ended by the gateway');
    this.close(
      CLOSE_CODES.unauthenticated,
      why.code === 'SESSION_EXPIRED' ? 'session expired' : 'session ended',
    );
  }

  /** Tells the co-browse rooms this connection is in that it is gone from them (once each). */
  private endLink(why: AgentLinkEnd): void {
    const listeners = [...this.linkEndListeners];
    this.linkEndListeners.clear();
    for (const listener of listeners) {
      try {
        listener(why);
      } catch (err) {
        this.deps.logger.error({ err }, 'co-browse room failed to end');
      }
    }
  }

  /** Ends the session once the current request's response is out; its event stream stops now. */
  private endSessionAfter(afterResponse: (() => void)[], why: SessionEnd): void {
    this.stopEventStream();
    afterResponse.push(() => this.endSession(why));
  }

  private stopEventStream(): void {
    this.eventStream?.stop();
    this.eventStream = null;
  }

  private toErrorInfo(err: unknown, method: string): ErrorInfo {
    if (err instanceof DeskError) return err.toInfo();
    // Unexpected failures are logged in full here and reach the client only as a code.
    this.deps.logger.error({ err, method }, 'request handler failed');
    return { code: 'INTERNAL', message: 'Internal gateway error' };
  }

  private fail(err: unknown): void {
    this.deps.logger.error({ err }, 'frame handling failed');
    this.sendError({ code: 'INTERNAL', message: 'Internal gateway error' });
  }

  private sendError(error: ErrorInfo): void {
    this.send({ type: 'error', error });
  }

  private sendResponseError(id: string, error: ErrorInfo): void {
    this.send({ type: 'res', id, ok: false, error });
  }

  private send(frame: ServerFrame): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify(frame));
    this.deps.metrics.frameSent();
  }

  private close(code: number, reason: string): void {
    this.state = 'closing';
    this.socket.close(code, reason);
  }
}

/** A JSON object frame, or the BAD_REQUEST explaining why the data is not one. */
function parseFrame(data: RawData, isBinary: boolean): FrameObject | DeskError {
  if (isBinary) return new DeskError('BAD_REQUEST', 'Binary frames are not supported: send JSON text');
  let value: unknown;
  try {
    value = JSON.parse(rawDataToString(data));
  } catch {
    return new DeskError('BAD_REQUEST', 'Malformed JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new DeskError('BAD_REQUEST', 'A frame must be a JSON object');
  }
  return value as FrameObject;
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** The id to answer a request frame with, when it has a usable one. */
function requestIdOf(frame: FrameObject): string | null {
  const { type, id } = frame;
  return type === 'req' && typeof id === 'string' && id.length > 0 && id.length <= MAX_REQUEST_ID_LENGTH
    ? id
    : null;
}

function describe(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 40) ?? String(value);
}

function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}

function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 10) / 10;
}
