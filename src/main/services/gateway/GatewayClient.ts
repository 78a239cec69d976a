import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { DeskError, type ErrorInfo } from '../../../shared/errors';
import {
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  ServerFrame,
  gatewayMethods,
  type CobrowseFrame,
  type GatewayMethod,
  type GatewayParams,
  type GatewayResult,
  type LoginResult,
  type Notice,
  type OrderEvent,
  type ResyncFrame,
} from '../../../shared/protocol';

export type LinkStatus = 'connecting' | 'online' | 'offline';

export interface LinkState {
  status: LinkStatus;
  since: Date;
  reason: ErrorInfo | null;
}

export interface GatewayClientOptions {
  url: string;
  client: { name: string; version: string };
  requestTimeoutMs?: number;
  /** Reconnect backoff bounds; jitter is added so a gateway restart is not hit by every agent at once. */
  backoff?: { minMs: number; maxMs: number };
  now?: () => Date;
}

/** An access token this close to its expiry is not sent in a hello: the refresh token is. */
const TOKEN_MARGIN_MS = 30_000;
/** The access token is renewed once this share of its remaining life has passed. */
const RENEW_AT_SHARE = 0.8;
/** After a renewal answer timed out on a live connection (the gateway accepts retries for 30 s). */
const RENEW_RETRY_MS = 5_000;

/** What the client signs in with: an access token, and the refresh token that renews it. */
interface Credentials {
  token: string;
  expiresAtMs: number;
  refreshToken: string | null;
  refreshExpiresAtMs: number;
}

interface Pending {
  method: GatewayMethod;
  resolve: (value: unknown) => void;
  reject: (err: DeskError) => void;
  timer: NodeJS.Timeout;
}

/**
 * The desktop's websocket to the gateway. Keeps one connection open, reconnects with backoff
 * and re-sends the session token in the hello, correlates requests by id and validates every
 * frame and result against the shared protocol schemas.
 */
export class GatewayClient {
  private ws: WebSocket | null = null;
  private credentials: Credentials | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  /** A renewal was due while offline, or its answer was lost: renew on the next connection. */
  private renewalDue = false;
  private readonly pending = new Map<string, Pending>();
  private readonly emitter = new EventEmitter();
  private linkState: LinkState;
  private stopped = true;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly requestTimeoutMs: number;
  private readonly backoff: { minMs: number; maxMs: number };
  private readonly now: () => Date;

  constructor(private readonly options: GatewayClientOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.backoff = options.backoff ?? { minMs: 300, maxMs: 15_000 };
    this.now = options.now ?? (() => new Date());
    this.linkState = { status: 'offline', since: this.now(), reason: null };
  }

  get url(): string {
    return this.options.url;
  }

  get state(): LinkState {
    return this.linkState;
  }

  /** An access token without a refresh token (it is not renewed: it ends when it expires). */
  setToken(token: string | null): void {
    this.credentials =
      token === null
        ? null
        : { token, expiresAtMs: Number.POSITIVE_INFINITY, refreshToken: null, refreshExpiresAtMs: 0 };
    this.scheduleRenewal();
  }

  /**
   * The sign-in to keep alive: its access token goes in every hello; before it expires the client
   * trades the refresh token for a new pair (`auth.refresh` while online, or in the hello of a
   * reconnection when the access token ran out meanwhile) and reports it through onRenewed.
   */
  setSignIn(result: LoginResult | null): void {
    this.credentials = result && {
      token: result.token,
      expiresAtMs: Date.parse(result.expiresAt),
      refreshToken: result.refreshToken,
      refreshExpiresAtMs: Date.parse(result.refreshExpiresAt),
    };
    this.renewalDue = false;
    this.scheduleRenewal();
  }

  /** The sign-in was renewed: a new access and refresh token (the user and role view with it). */
  onRenewed(listener: (result: LoginResult) => void): () => void {
    this.emitter.on('renewed', listener);
    return () => this.emitter.off('renewed', listener);
  }

  onState(listener: (state: LinkState) => void): () => void {
    this.emitter.on('state', listener);
    return () => this.emitter.off('state', listener);
  }

  /**
   * Fired when the gateway refuses or ends the session for good: the sign-in was revoked
   * (signed out elsewhere, role changed), or it expired and could not be renewed.
   */
  onSessionRejected(listener: (reason: ErrorInfo) => void): () => void {
    this.emitter.on('session-rejected', listener);
    return () => this.emitter.off('session-rejected', listener);
  }

  /** An order event from the subscription (`events.subscribe`). */
  onEvent(listener: (event: OrderEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** The gateway stopped the subscription; the listener subscribes again from `headSeq`. */
  onResync(listener: (frame: ResyncFrame) => void): () => void {
    this.emitter.on('resync', listener);
    return () => this.emitter.off('resync', listener);
  }

  /** A notice from the gateway outside the order stream (view changed, approval decided, team). */
  onNotice(listener: (notice: Notice) => void): () => void {
    this.emitter.on('notice', listener);
    return () => this.emitter.off('notice', listener);
  }

  /** What the customer's side of a co-browse session this agent joined sent or became. */
  onCobrowse(listener: (frame: CobrowseFrame) => void): () => void {
    this.emitter.on('cobrowse', listener);
    return () => this.emitter.off('cobrowse', listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Resolves once online, or rejects with GATEWAY_UNAVAILABLE after `timeoutMs`. */
  waitOnline(timeoutMs: number): Promise<void> {
    if (this.linkState.status === 'online') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(
          new DeskError(
            'GATEWAY_UNAVAILABLE',
            this.linkState.reason?.message ?? `Gateway ${this.options.url} did not answer`,
          ),
        );
      }, timeoutMs);
      const off = this.onState((state) => {
        if (state.status === 'online') {
          clearTimeout(timer);
          off();
          resolve();
        } else if (
          state.reason &&
          (state.reason.code === 'PROTOCOL_VERSION' || state.reason.code === 'UNAUTHENTICATED')
        ) {
          clearTimeout(timer);
          off();
          reject(new DeskError(state.reason.code, state.reason.message));
        }
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    const ws = this.ws;
    this.ws = null;
    this.failPending(new DeskError('GATEWAY_UNAVAILABLE', 'Connection closed'));
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000);
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    }
    this.setState('offline', null);
  }

  async request<M extends GatewayMethod>(method: M, params: GatewayParams<M>): Promise<GatewayResult<M>> {
    const ws = this.ws;
    if (!ws || this.linkState.status !== 'online') {
      throw new DeskError('GATEWAY_UNAVAILABLE', 'The gateway is not reachable');
    }
    const id = randomUUID();
    const result = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DeskError('TIMEOUT', `${method} timed out after ${this.requestTimeoutMs} ms`));
      }, this.requestTimeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      ws.send(JSON.stringify({ type: 'req', id, method, params }));
    });
    const parsed = gatewayMethods[method].result.safeParse(result);
    if (!parsed.success) throw new DeskError('INTERNAL', `Gateway sent an invalid ${method} result`);
    return parsed.data as GatewayResult<M>;
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting', this.linkState.reason);
    const ws = new WebSocket(this.options.url, { maxPayload: 16 * MAX_FRAME_BYTES, handshakeTimeout: 5000 });
    this.ws = ws;
    let helloDone = false;

    ws.on('open', () => {
      ws.send(
        JSON.stringify({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          client: this.options.client,
          ...this.helloCredential(),
        }),
      );
    });

    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: ServerFrame;
      try {
        frame = ServerFrame.parse(JSON.parse(data.toString()));
      } catch {
        return; // A frame we cannot read is the server's bug; ignoring it keeps the session alive.
      }
      if (frame.type === 'hello.ok') {
        helloDone = true;
        this.attempt = 0;
        if (frame.renewed) this.renewed(frame.renewed);
        this.setState('online', null);
        if (this.renewalDue) void this.renew();
      } else if (frame.type === 'res') {
        const pending = this.pending.get(frame.id);
        if (!pending) return;
        this.pending.delete(frame.id);
        clearTimeout(pending.timer);
        if (frame.ok) pending.resolve(frame.result);
        else pending.reject(new DeskError(frame.error.code, frame.error.message, frame.error.details));
      } else if (frame.type === 'event') {
        this.emitter.emit('event', frame.event);
      } else if (frame.type === 'resync') {
        this.emitter.emit('resync', frame);
      } else if (frame.type === 'notice') {
        this.emitter.emit('notice', frame.notice);
      } else if (frame.type === 'cobrowse') {
        this.emitter.emit('cobrowse', frame);
      } else if (frame.type === 'error') {
        // Before the hello's answer: the credential was refused. After it: the gateway ended the
        // session (it expired: reconnect and renew; anything else: it is over).
        const ended = frame.error.code === 'SESSION_ENDED';
        if (!helloDone || ended) {
          this.linkState = { ...this.linkState, reason: frame.error };
          if (ended || frame.error.code === 'UNAUTHENTICATED')
            this.emitter.emit('session-rejected', frame.error);
        }
      }
    });

    ws.on('error', (err) => {
      this.linkState = {
        ...this.linkState,
        reason: this.linkState.reason ?? { code: 'GATEWAY_UNAVAILABLE', message: err.message },
      };
    });

    ws.on('close', (code) => {
      if (this.ws === ws) this.ws = null;
      this.failPending(new DeskError('GATEWAY_UNAVAILABLE', 'Connection to the gateway was lost'));
      if (this.stopped) return;
      const reason = this.linkState.reason ?? {
        code: 'GATEWAY_UNAVAILABLE' as const,
        message: `Connection closed (${code})`,
      };
      this.setState('offline', reason);
      // A refused or ended session, or another protocol, will not get better by retrying.
      if (['UNAUTHENTICATED', 'SESSION_ENDED', 'PROTOCOL_VERSION'].includes(reason.code)) return;
      this.scheduleReconnect();
    });
  }

  /** The hello's credential: the access token while it lasts, then the refresh token. */
  private helloCredential(): { token: string } | { refreshToken: string } | Record<string, never> {
    const credentials = this.credentials;
    if (!credentials) return {};
    const now = Date.now();
    if (credentials.expiresAtMs - now > TOKEN_MARGIN_MS || !credentials.refreshToken) {
      return { token: credentials.token };
    }
    return credentials.refreshExpiresAtMs > now
      ? { refreshToken: credentials.refreshToken }
      : { token: credentials.token };
  }

  private renewed(result: LoginResult): void {
    this.setSignIn(result);
    this.emitter.emit('renewed', result);
  }

  private scheduleRenewal(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    const credentials = this.credentials;
    if (!credentials?.refreshToken || this.stopped) return;
    const msLeft = credentials.expiresAtMs - Date.now();
    this.renewTimer = setTimeout(
      () => {
        this.renewTimer = null;
        void this.renew();
      },
      Math.min(Math.max(msLeft * RENEW_AT_SHARE, 0), 2 ** 31 - 1),
    );
    this.renewTimer.unref();
  }

  /**
   * Trades the refresh token for a new pair over the open connection. Offline, or when the
   * answer is lost with the connection, it is done on the next connection instead (a retry of
   * a lost answer is accepted by the gateway for a short while).
   */
  private async renew(): Promise<void> {
    const refreshToken = this.credentials?.refreshToken;
    if (!refreshToken) return;
    this.renewalDue = true;
    if (this.linkState.status !== 'online') return;
    try {
      const result = await this.request('auth.refresh', { refreshToken });
      if (this.credentials?.refreshToken !== refreshToken) return;
      this.renewed(result);
    } catch (err) {
      const error = DeskError.from(err);
      if (error.code === 'UNAUTHENTICATED') {
        this.emitter.emit('session-rejected', error.toInfo());
        return;
      }
      // Connection lost: renewalDue stays set and the next hello.ok retries. Still online (the
      // answer timed out): retry soon, inside the gateway's window for retries.
      if (this.linkState.status === 'online' && !this.stopped) {
        this.renewTimer = setTimeout(() => void this.renew(), RENEW_RETRY_MS);
        this.renewTimer.unref();
      }
    }
  }

  private scheduleReconnect(): void {
    const base = Math.min(this.backoff.maxMs, this.backoff.minMs * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.linkState = { ...this.linkState, reason: null };
      this.connect();
    }, delay);
  }

  private failPending(err: DeskError): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(err);
      this.pending.delete(id);
    }
  }

  private setState(status: LinkStatus, reason: ErrorInfo | null): void {
    if (this.linkState.status === status && this.linkState.reason === reason) return;
    this.linkState = {
      status,
      since: status === this.linkState.status ? this.linkState.since : this.now(),
      reason,
    };
    this.emitter.emit('state', this.linkState);
  }
}
