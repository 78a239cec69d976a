import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { DeskError, type ErrorInfo } from '../../../shared/errors';
import {
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  ServerFrame,
  gatewayMethods,
  type GatewayMethod,
  type GatewayParams,
  type GatewayResult,
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
  private token: string | null = null;
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

  setToken(token: string | null): void {
    this.token = token;
  }

  onState(listener: (state: LinkState) => void): () => void {
    this.emitter.on('state', listener);
    return () => this.emitter.off('state', listener);
  }

  /** Fired when the gateway refuses the session (expired or revoked token). */
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
          ...(this.token ? { token: this.token } : {}),
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
        this.setState('online', null);
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
      } else if (frame.type === 'error') {
        if (!helloDone) {
          this.linkState = { ...this.linkState, reason: frame.error };
          if (frame.error.code === 'UNAUTHENTICATED') this.emitter.emit('session-rejected', frame.error);
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
      // A refused session or protocol will not get better by retrying.
      if (reason.code === 'UNAUTHENTICATED' || reason.code === 'PROTOCOL_VERSION') return;
      this.scheduleReconnect();
    });
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
