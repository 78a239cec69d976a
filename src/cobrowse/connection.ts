import type { CustomerFrame, GatewayToCustomerFrame } from '../shared/cobrowse-protocol';
import { parseGatewayFrame } from './contract';

/** Waits before the attempt after `failures` failed ones: 0.5 s doubling to 15 s, with jitter. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.min(failures, 10));
  return Math.round(base * (0.5 + random() / 2));
}

export interface ConnectionHandlers {
  /** The socket is open (first time or again): say hello or resume. */
  onOpen(): void;
  onFrame(frame: GatewayToCustomerFrame): void;
  /** The socket is gone; another attempt follows after `delayMs`. */
  onRetry(failures: number, delayMs: number): void;
  /** No more attempts (maxFailures in a row). */
  onGiveUp(): void;
}

export interface ConnectionOptions {
  WebSocket?: typeof WebSocket;
  /** Failed attempts in a row before giving up. */
  maxFailures?: number;
  random?: () => number;
}

/**
 * The snippet's one websocket to the gateway, reconnecting with backoff when it drops. The
 * failure count is reset only by a valid frame, so a gateway that accepts and at once closes
 * (wrong origin, say) is not hammered.
 */
export class GatewayConnection {
  private socket: WebSocket | null = null;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = true;
  /** Failed attempts in a row before giving up (fewer while asking for a first code). */
  maxFailures = 12;
  private readonly WebSocketImpl: typeof WebSocket;

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
    private readonly options: ConnectionOptions = {},
  ) {
    this.WebSocketImpl = options.WebSocket ?? WebSocket;
  }

  get open(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Bytes queued in the socket, not yet on the wire. */
  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  connect(maxFailures = this.options.maxFailures ?? 12): void {
    this.close();
    this.closed = false;
    this.failures = 0;
    this.maxFailures = maxFailures;
    this.attempt();
  }

  private attempt(): void {
    this.retryTimer = null;
    if (this.closed) return;
    let socket: WebSocket;
    try {
      socket = new this.WebSocketImpl(this.url);
    } catch {
      this.failed(null);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket === socket) this.handlers.onOpen();
    };
    socket.onmessage = (message: MessageEvent) => {
      if (this.socket !== socket) return;
      const frame = parseGatewayFrame(message.data);
      if (!frame) return;
      this.failures = 0;
      this.handlers.onFrame(frame);
    };
    socket.onclose = () => this.failed(socket);
    socket.onerror = () => undefined; // a close follows
  }

  private failed(socket: WebSocket | null): void {
    if (socket !== this.socket || this.closed) return;
    this.socket = null;
    this.failures++;
    if (this.failures >= this.maxFailures) {
      this.closed = true;
      this.handlers.onGiveUp();
      return;
    }
    const delayMs = backoffMs(this.failures - 1, this.options.random);
    this.retryTimer = setTimeout(() => this.attempt(), delayMs);
    this.handlers.onRetry(this.failures, delayMs);
  }

  send(frame: CustomerFrame): boolean {
    return this.sendText(JSON.stringify(frame));
  }

  /** Sends a frame already serialized. */
  sendText(text: string): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== 1) return false;
    try {
      socket.send(text);
      return true;
    } catch {
      return false;
    }
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000);
      } catch {
        // already closing
      }
    }
  }
}
