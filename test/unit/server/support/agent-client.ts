import WebSocket from 'ws';
import type { AgentUser } from '../../../../src/shared/domain';
import type { ErrorInfo } from '../../../../src/shared/errors';
import {
  AGENT_WS_PATH,
  HelloOkFrame,
  PROTOCOL_VERSION,
  ServerFrame,
  gatewayMethods,
  type GatewayMethod,
  type GatewayParams,
  type CobrowseFrame,
  type GatewayResult,
  type Notice,
} from '../../../../src/shared/protocol';

const FRAME_TIMEOUT_MS = 5_000;

export type RequestOutcome<M extends GatewayMethod> =
  { ok: true; result: GatewayResult<M> } | { ok: false; error: ErrorInfo };

/**
 * A real `ws` client for tests. Every frame the gateway sends is validated against the shared
 * `ServerFrame` schema, and every successful result against its method's result schema, exactly
 * as the desktop would: a gateway sending anything else fails the test.
 */
export class AgentClient {
  /** Frames not yet read; an Error stands for a frame that broke the protocol. */
  private readonly frames: (ServerFrame | Error)[] = [];
  private readonly waiters: ((frame: ServerFrame | Error) => void)[] = [];
  /**
   * Notice frames arrive whenever the gateway has news (a view saved, an approval decided, the
   * team changed), unrelated to requests: they are kept apart, read with nextNotice.
   */
  private readonly notices: Notice[] = [];
  private readonly noticeWaiters: ((notice: Notice) => void)[] = [];
  /** Co-browse frames (a session's relayed messages) come unasked too: read with nextCobrowse. */
  private readonly cobrowseFrames: CobrowseFrame[] = [];
  private readonly cobrowseWaiters: ((frame: CobrowseFrame) => void)[] = [];
  private nextRequestId = 1;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const frame = isBinary ? new Error('gateway sent a binary frame') : parseServerFrame(String(data));
      if (!(frame instanceof Error) && frame.type === 'notice') {
        const noticeWaiter = this.noticeWaiters.shift();
        if (noticeWaiter) noticeWaiter(frame.notice);
        else this.notices.push(frame.notice);
        return;
      }
      if (!(frame instanceof Error) && frame.type === 'cobrowse') {
        const cobrowseWaiter = this.cobrowseWaiters.shift();
        if (cobrowseWaiter) cobrowseWaiter(frame);
        else this.cobrowseFrames.push(frame);
        return;
      }
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /**
   * `options.localAddress`: the loopback address to connect from (127.0.0.2, ...), as another
   * client machine; `options.ca`: what a wss:// gateway's test certificate needs.
   */
  static async connect(
    baseUrl: string,
    path: string = AGENT_WS_PATH,
    options: WebSocket.ClientOptions = {},
  ): Promise<AgentClient> {
    const socket = new WebSocket(`${baseUrl}${path}`, options);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new AgentClient(socket);
  }

  /** Connects and completes the hello; returns the client and the hello's user. */
  static async ready(
    baseUrl: string,
    token?: string,
  ): Promise<{ client: AgentClient; user: AgentUser | null }> {
    const client = await AgentClient.connect(baseUrl);
    const ok = await client.hello(token);
    return { client, user: ok.user };
  }

  async hello(token?: string): Promise<HelloOkFrame> {
    this.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      client: { name: 'unit-test', version: '1.0.0' },
      ...(token ? { token } : {}),
    });
    return HelloOkFrame.parse(await this.next());
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** The next frame from the gateway, in arrival order. */
  next(timeoutMs = FRAME_TIMEOUT_MS): Promise<ServerFrame> {
    const queued = this.frames.shift();
    if (queued) return queued instanceof Error ? Promise.reject(queued) : Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no frame from the gateway within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (frame: ServerFrame | Error) => {
        clearTimeout(timer);
        if (frame instanceof Error) reject(frame);
        else resolve(frame);
      };
      this.waiters.push(waiter);
    });
  }

  /** The next notice of `kind` (earlier notices of other kinds are dropped). */
  async nextNotice<K extends Notice['kind']>(
    kind: K,
    timeoutMs = FRAME_TIMEOUT_MS,
  ): Promise<Extract<Notice, { kind: K }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const notice = this.notices.shift() ?? (await this.waitForNotice(deadline - Date.now()));
      if (notice.kind === kind) return notice as Extract<Notice, { kind: K }>;
    }
  }

  /** The next co-browse frame, in arrival order. */
  nextCobrowse(timeoutMs = FRAME_TIMEOUT_MS): Promise<CobrowseFrame> {
    const queued = this.cobrowseFrames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.cobrowseWaiters.splice(this.cobrowseWaiters.indexOf(waiter), 1);
        reject(new Error(`no co-browse frame from the gateway within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (frame: CobrowseFrame) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.cobrowseWaiters.push(waiter);
    });
  }

  /** Co-browse frames received and not read yet. */
  get pendingCobrowse(): readonly CobrowseFrame[] {
    return this.cobrowseFrames;
  }

  /** Notices received and not read yet. */
  get pendingNotices(): readonly Notice[] {
    return this.notices;
  }

  private waitForNotice(timeoutMs: number): Promise<Notice> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.noticeWaiters.splice(this.noticeWaiters.indexOf(waiter), 1);
          reject(new Error(`no notice from the gateway within the time given`));
        },
        Math.max(timeoutMs, 0),
      );
      const waiter = (notice: Notice) => {
        clearTimeout(timer);
        resolve(notice);
      };
      this.noticeWaiters.push(waiter);
    });
  }

  /** True when no frame is waiting to be read. */
  get idle(): boolean {
    return this.frames.length === 0;
  }

  /** Sends a request and waits for its response (other frames in between fail the test). */
  async request<M extends GatewayMethod>(method: M, params?: GatewayParams<M>): Promise<RequestOutcome<M>> {
    const id = `r${this.nextRequestId++}`;
    this.send({ type: 'req', id, method, ...(params === undefined ? {} : { params }) });
    const frame = await this.next();
    if (frame.type !== 'res' || frame.id !== id)
      throw new Error(`expected res ${id}, got ${JSON.stringify(frame)}`);
    if (!frame.ok) return { ok: false, error: frame.error };
    return { ok: true, result: gatewayMethods[method].result.parse(frame.result) as GatewayResult<M> };
  }

  /** A request that must succeed. */
  async call<M extends GatewayMethod>(method: M, params?: GatewayParams<M>): Promise<GatewayResult<M>> {
    const outcome = await this.request(method, params);
    if (!outcome.ok) throw new Error(`${method} failed: ${outcome.error.code} ${outcome.error.message}`);
    return outcome.result;
  }

  /** A request that must fail; returns its error. */
  async callFailing<M extends GatewayMethod>(method: M, params?: unknown): Promise<ErrorInfo> {
    const outcome = await this.request(method, params as GatewayParams<M>);
    if (outcome.ok) throw new Error(`${method} unexpectedly succeeded`);
    return outcome.error;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }
}

function parseServerFrame(text: string): ServerFrame | Error {
  try {
    return ServerFrame.parse(JSON.parse(text));
  } catch (err) {
    return new Error(`gateway sent an invalid frame: ${text.slice(0, 200)}`, { cause: err });
  }
}
