import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_COBROWSE_FRAME_BYTES } from '../../shared/cobrowse-protocol';
import { answerUpgrade } from '../edge/upgrade-response';
import { CLOSE_CODES } from '../ws/close-codes';
import { startHeartbeat } from '../ws/heartbeat';
import type { CobrowseMetrics } from './cobrowse-metrics';
import type { CobrowseOrigins } from './cobrowse-origins';
import type { RelayedFrame } from './cobrowse-room';
import { CustomerConnection, type CustomerLimits, type CustomerRooms } from './customer-connection';

export interface CobrowseEndpointDeps {
  rooms: CustomerRooms;
  origins: CobrowseOrigins;
  limits: CustomerLimits;
  metrics: CobrowseMetrics;
  logger: Logger;
  /** The gateway serves TLS itself (its own pages' origin is https). */
  secure: boolean;
  heartbeatIntervalMs: number;
  tap?: (frame: RelayedFrame) => void;
}

/** How long customers get to answer a close before they are cut off. */
const CLOSE_GRACE_MS = 2_000;

/**
 * The customers' websocket endpoint (COBROWSE_WS_PATH): an upgrade from an origin not on the
 * allowlist is refused before the handshake (403); the connection caps are the gateway's edge's,
 * checked by the caller between `allows` and `accept`.
 */
export class CobrowseEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_COBROWSE_FRAME_BYTES });
  private readonly stopHeartbeat: () => void;
  private accepted = 0;

  constructor(private readonly deps: CobrowseEndpointDeps) {
    this.stopHeartbeat = startHeartbeat(this.wss, deps.heartbeatIntervalMs);
  }

  get customersConnected(): number {
    return this.wss.clients.size;
  }

  /** Whether the upgrade's Origin may co-browse; if not, it has been answered 403 and closed. */
  admitOrigin(request: IncomingMessage, socket: Duplex, client: string): boolean {
    if (this.deps.origins.allows(request, this.deps.secure)) return true;
    this.deps.metrics.customerRefused('origin');
    this.deps.logger.warn(
      { client, origin: request.headers.origin ?? null },
      'co-browse refused: origin not allowed',
    );
    answerUpgrade(
      socket,
      '403 Forbidden',
      { 'Content-Type': 'application/json; charset=utf-8' },
      JSON.stringify({
        error: { code: 'FORBIDDEN', message: 'This page may not open a co-browse session with this gateway' },
      }),
    );
    return false;
  }

  /** Completes the handshake of an admitted upgrade; `client` is the customer's address. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer, client: string): void {
    this.wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      // The heartbeat watches sockets from their 'connection' on.
      this.wss.emit('connection', ws, request);
      this.accepted += 1;
      new CustomerConnection(ws, {
        address: client,
        rooms: this.deps.rooms,
        limits: this.deps.limits,
        metrics: this.deps.metrics,
        logger: this.deps.logger.child({ customer: this.accepted }),
        ...(this.deps.tap ? { tap: this.deps.tap } : {}),
      });
    });
  }

  /** Closes every customer socket (after the rooms ended) and stops the endpoint. */
  async close(): Promise<void> {
    this.stopHeartbeat();
    const clients = [...this.wss.clients];
    const closed = clients.map(
      (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
    );
    for (const client of clients) client.close(CLOSE_CODES.goingAway, 'gateway shutting down');
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    await Promise.race([Promise.all(closed), grace]);
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
