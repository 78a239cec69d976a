import WebSocket, { type ClientOptions } from 'ws';
import {
  COBROWSE_PROTOCOL_VERSION,
  COBROWSE_WS_PATH,
  GatewayToCustomerFrame,
  type CustomerFrame,
  type PageInfo,
} from '../../../../src/shared/cobrowse-protocol';

const FRAME_TIMEOUT_MS = 5_000;

export const SHOP_ORIGIN = 'https://shop.example';
export const SHOP_PAGE: PageInfo = { url: 'https://shop.example/orders/SH-100482', title: 'Order status' };

type CodeFrame = Extract<GatewayToCustomerFrame, { type: 'code' }>;

/**
 * A fake snippet: a real `ws` client speaking CustomerFrame to the gateway's co-browse endpoint.
 * Every frame the gateway sends is validated against GatewayToCustomerFrame, as the snippet would.
 */
export class FakeCustomer {
  private readonly frames: (GatewayToCustomerFrame | Error)[] = [];
  private readonly waiters: ((frame: GatewayToCustomerFrame | Error) => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      let frame: GatewayToCustomerFrame | Error;
      try {
        frame = GatewayToCustomerFrame.parse(JSON.parse(String(data)));
      } catch (err) {
        frame = new Error(`gateway sent an invalid co-browse frame: ${String(data).slice(0, 200)}`, {
          cause: err,
        });
      }
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens the socket from the shop's origin (or `options.origin`). */
  static async connect(
    gatewayUrl: string,
    options: ClientOptions & { origin?: string } = {},
  ): Promise<FakeCustomer> {
    const socket = new WebSocket(`${gatewayUrl}${COBROWSE_WS_PATH}`, { origin: SHOP_ORIGIN, ...options });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new FakeCustomer(socket);
  }

  /** Connects, says hello and returns the code frame. */
  static async withCode(
    gatewayUrl: string,
    options: ClientOptions & { origin?: string; page?: PageInfo } = {},
  ): Promise<{ customer: FakeCustomer; code: CodeFrame }> {
    const customer = await FakeCustomer.connect(gatewayUrl, options);
    const code = await customer.hello(options.page);
    return { customer, code };
  }

  /** Connects again after a "reload" and resumes the session. */
  static async resumed(
    gatewayUrl: string,
    session: { sessionId: string; resumeToken: string },
    page: PageInfo = SHOP_PAGE,
  ): Promise<{ customer: FakeCustomer; resumed: Extract<GatewayToCustomerFrame, { type: 'resumed' }> }> {
    const customer = await FakeCustomer.connect(gatewayUrl);
    const { sessionId, resumeToken } = session;
    customer.send({ type: 'resume', protocol: COBROWSE_PROTOCOL_VERSION, sessionId, resumeToken, page });
    return { customer, resumed: await customer.nextOf('resumed') };
  }

  async hello(page: PageInfo = SHOP_PAGE): Promise<CodeFrame> {
    this.send({ type: 'hello', protocol: COBROWSE_PROTOCOL_VERSION, page, language: 'en' });
    return this.nextOf('code');
  }

  send(frame: CustomerFrame): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  next(timeoutMs = FRAME_TIMEOUT_MS): Promise<GatewayToCustomerFrame> {
    const queued = this.frames.shift();
    if (queued) return queued instanceof Error ? Promise.reject(queued) : Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no co-browse frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (frame: GatewayToCustomerFrame | Error) => {
        clearTimeout(timer);
        if (frame instanceof Error) reject(frame);
        else resolve(frame);
      };
      this.waiters.push(waiter);
    });
  }

  /** The next frame, which must be of `type`. */
  async nextOf<T extends GatewayToCustomerFrame['type']>(
    type: T,
    timeoutMs = FRAME_TIMEOUT_MS,
  ): Promise<Extract<GatewayToCustomerFrame, { type: T }>> {
    const frame = await this.next(timeoutMs);
    if (frame.type !== type) throw new Error(`expected a ${type} frame, got ${JSON.stringify(frame)}`);
    return frame as Extract<GatewayToCustomerFrame, { type: T }>;
  }

  /** True when no frame is waiting to be read. */
  get idle(): boolean {
    return this.frames.length === 0;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }
}
