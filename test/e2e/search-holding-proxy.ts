import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AGENT_WS_PATH } from '../../src/shared/protocol';

/**
 * A websocket proxy between a desk and the gateway that can hold the desk's `orders.search`
 * requests: a slow gateway, deterministically, with nothing in the app waiting on a timer.
 * Everything else passes straight through in both directions.
 */
export class SearchHoldingProxy {
  private holding = false;
  private readonly held: Array<() => void> = [];

  private constructor(
    private readonly server: WebSocketServer,
    private readonly port: number,
  ) {}

  static async start(gatewayWsUrl: string): Promise<SearchHoldingProxy> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: AGENT_WS_PATH });
    await new Promise<void>((done) => server.once('listening', done));
    const proxy = new SearchHoldingProxy(server, (server.address() as AddressInfo).port);
    server.on('connection', (desk) => proxy.bridge(desk, gatewayWsUrl));
    return proxy;
  }

  /** Where the desk signs in. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}${AGENT_WS_PATH}`;
  }

  /** Searches sent from now on wait until `release`. */
  hold(): void {
    this.holding = true;
  }

  /** How many searches are waiting. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Sends the held searches on, in order, and stops holding. */
  release(): void {
    this.holding = false;
    for (const send of this.held.splice(0)) send();
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((done) => this.server.close(() => done()));
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
      if (this.holding && isSearchRequest(data)) this.held.push(() => toGateway(data));
      else if (gateway.readyState === WebSocket.CONNECTING) early.push(data);
      else toGateway(data);
    });
    gateway.on('close', () => desk.close());
    gateway.on('error', () => desk.terminate());
    desk.on('close', () => gateway.close());
    desk.on('error', () => gateway.terminate());
  }
}

function isSearchRequest(data: RawData): boolean {
  try {
    const frame = JSON.parse(data.toString()) as { type?: unknown; method?: unknown };
    return frame.type === 'req' && frame.method === 'orders.search';
  } catch {
    return false;
  }
}
