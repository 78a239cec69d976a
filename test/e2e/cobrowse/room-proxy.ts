import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { AgentCobrowseMessage, CustomerMessage, PageInfo } from '../../../src/shared/cobrowse-protocol';
import type { ErrorInfo } from '../../../src/shared/errors';
import { AGENT_WS_PATH, type GatewayParams } from '../../../src/shared/protocol';

/**
 * Between a desk and the real gateway: everything passes through except the `cobrowse.*`
 * requests, which this proxy answers as a room would, and the `cobrowse` frames, which the spec
 * sends as the customer's side. It stands in for the gateway's rooms (branch wt-cb-gateway) so
 * that the desk's side is tested through its real main process, IPC and renderer; the rooms
 * themselves are the integration spec's business.
 */
export class CobrowseRoomProxy {
  readonly code = '482913';
  readonly sessionId = 'cb_e2e_session_1';
  /** Every message the desk sent into the room, in order. */
  readonly sent: AgentCobrowseMessage[] = [];
  readonly joins: Array<GatewayParams<'cobrowse.join'>> = [];
  readonly leaves: string[] = [];
  /** The next join is refused with this instead of joining. */
  refuseNext: ErrorInfo | null = null;
  /** Batches larger than this (JSON characters) are sent in chunks of this size. */
  chunkChars = Number.POSITIVE_INFINITY;
  private room: WebSocket | null = null;
  private seq = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: WebSocketServer,
    private readonly port: number,
    private readonly page: PageInfo,
  ) {}

  static async start(gatewayWsUrl: string, page: PageInfo): Promise<CobrowseRoomProxy> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: AGENT_WS_PATH });
    await new Promise<void>((done) => server.once('listening', done));
    const proxy = new CobrowseRoomProxy(server, (server.address() as AddressInfo).port, page);
    server.on('connection', (desk) => proxy.bridge(desk, gatewayWsUrl));
    return proxy;
  }

  /** Where the desk signs in. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}${AGENT_WS_PATH}`;
  }

  /** Sends a message from the customer's side to the desk that joined (as `sessionId`'s, if given). */
  toDesk(message: CustomerMessage, sessionId = this.sessionId): void {
    this.room?.send(JSON.stringify({ type: 'cobrowse', sessionId, message }));
  }

  /** Cuts every desk's connection (they reconnect through the proxy). */
  dropDesks(): void {
    for (const client of this.server.clients) client.terminate();
  }

  /** A batch of recorded events, numbered as the snippet numbers them. */
  events(events: unknown[]): void {
    const text = JSON.stringify({ events });
    if (text.length > this.chunkChars) this.chunked(events, Math.ceil(text.length / this.chunkChars));
    else this.toDesk({ type: 'events', seq: ++this.seq, events });
  }

  /** A batch split into `parts` chunks, as the snippet sends a large one. */
  chunked(events: unknown[], parts: number): void {
    const text = JSON.stringify({ events });
    const size = Math.ceil(text.length / parts);
    const seq = ++this.seq;
    for (let part = 0; part < parts; part++) {
      this.toDesk({ type: 'chunk', seq, part, parts, data: text.slice(part * size, (part + 1) * size) });
    }
  }

  /** Skips a batch number: the desk sees a gap. */
  loseBatch(): void {
    this.seq += 1;
  }

  /**
   * Resolves with the first message the desk sent (from `from` on) that `matches`; fails with what
   * was sent instead if none comes within `withinMs` (a readable failure, not a hung test).
   */
  async waitForSent<T extends AgentCobrowseMessage>(
    matches: (message: AgentCobrowseMessage) => message is T,
    from = 0,
    withinMs = 10_000,
  ): Promise<T> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const found = this.sent.slice(from).find(matches);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Not sent; the desk sent: ${JSON.stringify(this.sent.slice(from))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private answer(desk: WebSocket, id: string, method: string, params: unknown): void {
    const reply = (result: unknown) => desk.send(JSON.stringify({ type: 'res', id, ok: true, result }));
    const refuse = (error: ErrorInfo) => desk.send(JSON.stringify({ type: 'res', id, ok: false, error }));
    if (method === 'cobrowse.join') {
      const join = params as GatewayParams<'cobrowse.join'>;
      this.joins.push(join);
      if (this.refuseNext) {
        refuse(this.refuseNext);
        this.refuseNext = null;
      } else if (join.code !== this.code) {
        refuse({ code: 'NOT_FOUND', message: 'No co-browse session has this code' });
      } else {
        this.room = desk;
        reply({ sessionId: this.sessionId, state: 'waiting_consent', consent: [], page: this.page });
      }
    } else if (method === 'cobrowse.send') {
      const { message } = params as GatewayParams<'cobrowse.send'>;
      this.sent.push(message);
      for (const wake of this.waiters) wake();
      this.waiters.clear();
      reply({});
    } else {
      this.leaves.push((params as GatewayParams<'cobrowse.leave'>).sessionId);
      reply({});
    }
  }

  private bridge(desk: WebSocket, gatewayWsUrl: string): void {
    const gateway = new WebSocket(gatewayWsUrl);
    const early: RawData[] = [];
    const toGateway = (data: RawData) => {
      if (gateway.readyState === WebSocket.OPEN) gateway.send(data.toString());
    };
    gateway.on('open', () => {
      for (const data of early.splice(0)) toGateway(data);
    });
    gateway.on('message', (data) => {
      if (desk.readyState === WebSocket.OPEN) desk.send(data.toString());
    });
    desk.on('message', (data) => {
      const request = cobrowseRequest(data);
      if (request) this.answer(desk, request.id, request.method, request.params);
      else if (gateway.readyState === WebSocket.CONNECTING) early.push(data);
      else toGateway(data);
    });
    gateway.on('close', () => desk.close());
    gateway.on('error', () => desk.terminate());
    desk.on('close', () => gateway.close());
    desk.on('error', () => gateway.terminate());
  }
}

function cobrowseRequest(data: RawData): { id: string; method: string; params: unknown } | null {
  try {
    const frame = JSON.parse(data.toString()) as {
      type?: unknown;
      id?: unknown;
      method?: unknown;
      params?: unknown;
    };
    if (frame.type !== 'req' || typeof frame.method !== 'string' || !frame.method.startsWith('cobrowse.'))
      return null;
    return { id: String(frame.id), method: frame.method, params: frame.params };
  } catch {
    return null;
  }
}
