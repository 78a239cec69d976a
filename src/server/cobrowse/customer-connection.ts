import type { Logger } from 'pino';
import WebSocket, { type RawData } from 'ws';
import {
  COBROWSE_PROTOCOL_VERSION,
  CustomerFrame,
  type GatewayToCustomerFrame,
} from '../../shared/cobrowse-protocol';
import type { ErrorInfo } from '../../shared/errors';
import { TokenBucket } from '../../shared/token-bucket';
import { CLOSE_CODES } from '../ws/close-codes';
import { summarizeIssues } from '../ws/summarize-issues';
import type { CobrowseMetrics } from './cobrowse-metrics';
import type { CobrowseRoom, CustomerLink, RelayedFrame } from './cobrowse-room';

export interface CustomerLimits {
  /** Frames per second a snippet may send, sustained... */
  framesPerSecond: number;
  /** ...and at once (a large batch split into chunks arrives together). */
  frameBurst: number;
  /** Bytes per second, sustained... */
  bytesPerSecond: number;
  /** ...and at once: one whole full snapshot of a large page. */
  byteBurst: number;
  /** Frames dropped in a row over the rate before the socket is closed. */
  maxDroppedInRow: number;
  /** A socket that has not said hello (or resume) by then is closed. */
  helloTimeoutMs: number;
  /** Resumes one socket may try (a wrong token) before it is closed. */
  maxResumeTries: number;
}

/**
 * A busy page (animations, a live price ticker, typing) makes the snippet send a batch every
 * 50-100 ms, 10-20 frames and up to a few hundred KB a second; a full snapshot of a large page is
 * a few MB in 256 KB chunks, sent at once, and every minute or so. So: 50 frames a second with
 * bursts of 200, 1 MiB a second with bursts of 16 MiB (the largest batch, 64 chunks).
 */
export const DEFAULT_CUSTOMER_LIMITS: CustomerLimits = {
  framesPerSecond: 50,
  frameBurst: 200,
  bytesPerSecond: 1024 * 1024,
  byteBurst: 16 * 1024 * 1024,
  maxDroppedInRow: 200,
  helloTimeoutMs: 10_000,
  maxResumeTries: 3,
};

/** What the customer's socket needs of the registry of rooms. */
export interface CustomerRooms {
  /** A new session and the frame with its code (or the error that refuses one). */
  open(
    customer: CustomerLink,
    hello: Extract<CustomerFrame, { type: 'hello' }>,
    address: string,
  ): { room: CobrowseRoom; codeFrame: GatewayToCustomerFrame } | ErrorInfo;
  /** The session after a page load, or null for an unknown session or a wrong token. */
  resume(frame: Extract<CustomerFrame, { type: 'resume' }>): CobrowseRoom | null;
}

export interface CustomerConnectionDeps {
  /** The client's address (the peer, or what a trusted proxy forwarded). */
  address: string;
  rooms: CustomerRooms;
  limits: CustomerLimits;
  metrics: CobrowseMetrics;
  logger: Logger;
  tap?: (frame: RelayedFrame) => void;
}

/**
 * One snippet's websocket on COBROWSE_WS_PATH: hello (a new session, answered with a code) or
 * resume (the same session after a page load), then the session's messages. Every frame is
 * counted against the rate caps before it is parsed and validated with CustomerFrame; a
 * malformed one gets an error frame, never a crash.
 */
export class CustomerConnection implements CustomerLink {
  private state: 'awaiting_hello' | 'bound' | 'closing' = 'awaiting_hello';
  private room: CobrowseRoom | null = null;
  private readonly frames: TokenBucket;
  private readonly bytes: TokenBucket;
  private droppedInRow = 0;
  private resumeTries = 0;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: CustomerConnectionDeps,
  ) {
    const { limits } = deps;
    this.frames = new TokenBucket(limits.framesPerSecond, limits.frameBurst);
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst);
    this.helloTimer = setTimeout(() => {
      if (this.state !== 'awaiting_hello') return;
      this.sendError({ code: 'TIMEOUT', message: 'No hello received in time' });
      this.closeSocket(CLOSE_CODES.helloTimeout, 'no hello in time');
    }, limits.helloTimeoutMs);
    this.helloTimer.unref();
    socket.on('message', (data, isBinary) => {
      try {
        this.onMessage(data, isBinary);
      } catch (err) {
        deps.logger.error({ err }, 'co-browse frame handling failed');
        this.sendError({ code: 'INTERNAL', message: 'Internal gateway error' });
      }
    });
    socket.on('error', (err) => deps.logger.warn({ err: err.message }, 'co-browse websocket error'));
    socket.on('close', () => {
      this.state = 'closing';
      clearTimeout(this.helloTimer);
      this.room?.customerGone(this);
    });
  }

  // ---- CustomerLink ----

  send(frame: GatewayToCustomerFrame): number {
    if (this.socket.readyState !== WebSocket.OPEN) return 0;
    const text = JSON.stringify(frame);
    this.socket.send(text);
    this.deps.tap?.({ sessionId: this.room?.id ?? null, direction: 'to_customer', text });
    return Buffer.byteLength(text);
  }

  replaced(): void {
    this.room = null;
    this.sendError({ code: 'SESSION_ENDED', message: 'This session continues in another page' });
    this.closeSocket(CLOSE_CODES.replaced, 'session resumed elsewhere');
  }

  close(): void {
    this.room = null;
    this.closeSocket(1000, 'session ended');
  }

  // ---- frames ----

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.state === 'closing') return;
    // What left the customer's browser, dropped or not.
    if (this.deps.tap) {
      const sessionId = this.room?.id ?? null;
      this.deps.tap({ sessionId, direction: 'from_customer', text: rawDataToString(data) });
    }
    // Counted before parsing: a flood costs a comparison per frame, not a JSON parse.
    if (!this.frames.tryTake() || !this.bytes.tryTake(rawDataSize(data))) return this.overRate();
    this.droppedInRow = 0;
    if (isBinary) return this.sendError({ code: 'BAD_REQUEST', message: 'Binary frames are not supported' });
    const text = rawDataToString(data);

    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.sendError({ code: 'BAD_REQUEST', message: 'Malformed JSON' });
    }
    const version = (value as { protocol?: unknown } | null)?.protocol;
    if (typeof version === 'number' && version !== COBROWSE_PROTOCOL_VERSION) {
      this.sendError({
        code: 'PROTOCOL_VERSION',
        message: `This gateway speaks co-browse protocol ${COBROWSE_PROTOCOL_VERSION}, the snippet ${version}`,
      });
      return this.closeSocket(CLOSE_CODES.protocolError, 'protocol version mismatch');
    }
    const parsed = CustomerFrame.safeParse(value);
    if (!parsed.success) {
      return this.sendError({
        code: 'BAD_REQUEST',
        message: `Invalid frame: ${summarizeIssues(parsed.error)}`,
      });
    }
    const frame = parsed.data;

    if (frame.type === 'hello' || frame.type === 'resume') {
      if (this.state !== 'awaiting_hello') {
        return this.sendError({ code: 'BAD_REQUEST', message: `${frame.type} was already received` });
      }
      return frame.type === 'hello' ? this.onHello(frame) : this.onResume(frame);
    }
    if (!this.room) return this.sendError({ code: 'BAD_REQUEST', message: 'Send hello or resume first' });
    this.room.fromCustomer(frame);
  }

  private onHello(hello: Extract<CustomerFrame, { type: 'hello' }>): void {
    const opened = this.deps.rooms.open(this, hello, this.deps.address);
    if (!('room' in opened)) {
      this.sendError(opened);
      return this.closeSocket(CLOSE_CODES.cobrowseRefused, 'no code');
    }
    this.bind(opened.room);
    this.send(opened.codeFrame);
  }

  private onResume(frame: Extract<CustomerFrame, { type: 'resume' }>): void {
    const room = this.deps.rooms.resume(frame);
    if (room) {
      this.bind(room);
      return room.resumed(this, frame.page);
    }
    this.resumeTries += 1;
    // The same answer for an unknown session and a wrong token; a new session can start with hello.
    this.sendError({
      code: 'NOT_FOUND',
      message: 'No such co-browse session: it ended, or the token is wrong',
    });
    if (this.resumeTries >= this.deps.limits.maxResumeTries) {
      this.closeSocket(CLOSE_CODES.cobrowseRefused, 'too many resume tries');
    }
  }

  private bind(room: CobrowseRoom): void {
    this.state = 'bound';
    this.room = room;
    clearTimeout(this.helloTimer);
  }

  /** Over the frame or byte rate: the frame is dropped (its events are resynced), a flood is cut off. */
  private overRate(): void {
    this.droppedInRow += 1;
    this.deps.metrics.eventsDropped('rate');
    this.room?.lostEvents();
    if (this.droppedInRow === 1) {
      this.sendError({ code: 'RATE_LIMITED', message: 'Too many co-browse frames: some were dropped' });
    }
    if (this.droppedInRow >= this.deps.limits.maxDroppedInRow) {
      this.deps.logger.warn({ address: this.deps.address }, 'co-browse socket closed: over its rate');
      this.closeSocket(CLOSE_CODES.policyViolation, 'over the co-browse rate');
    }
  }

  private sendError(error: ErrorInfo): void {
    this.send({ type: 'error', error: { code: error.code, message: error.message } });
  }

  private closeSocket(code: number, reason: string): void {
    if (this.state === 'closing') return;
    this.state = 'closing';
    this.socket.close(code, reason);
  }
}

function rawDataSize(data: RawData): number {
  return Array.isArray(data) ? data.reduce((sum, part) => sum + part.byteLength, 0) : data.byteLength;
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
