import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { AGENT_WS_PATH, MAX_FRAME_BYTES } from '../shared/protocol';
import { AuthService } from './auth/auth-service';
import { SqliteUserStore } from './auth/sqlite-user-store';
import { loadTokenSecret } from './auth/token-secret';
import { DEFAULT_TOKEN_TTL_SECONDS, TokenService } from './auth/token-service';
import { openDatabase } from './db/open-database';
import { seedDemoData } from './demo/seed';
import { handleHttpRequest, pathOf } from './http-routes';
import { SqliteOrderStore } from './orders/sqlite-order-store';
import { AgentConnection } from './ws/agent-connection';
import { CLOSE_CODES } from './ws/close-codes';
import { startHeartbeat } from './ws/heartbeat';
import { createMethodHandlers } from './ws/method-handlers';

export interface GatewayOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to loopback: exposing the gateway is a deliberate choice. */
  host?: string;
  dbPath: string;
  /** Seeds demo users, and demo orders if the store has none. */
  demo?: { orders: number; seed?: number };
  logger?: Logger;
  tokenTtlSeconds?: number;
}

export interface Gateway {
  /** ws://host:port; agents connect to `${url}${AGENT_WS_PATH}`. */
  url: string;
  httpUrl: string;
  port: number;
  close(): Promise<void>;
}

export const GATEWAY_SERVER_INFO = { name: 'agent-desk-gateway', version: '0.1.0' } as const;

const HEARTBEAT_INTERVAL_MS = 30_000;
/** How long clients get to answer a close before they are cut off. */
const CLOSE_GRACE_MS = 2_000;

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? pino({ name: 'agent-desk-gateway' });
  const host = options.host ?? '127.0.0.1';
  const db = openDatabase(options.dbPath);
  try {
    const orders = new SqliteOrderStore(db);
    const users = new SqliteUserStore(db);
    if (options.demo) {
      const report = await seedDemoData({ orders, users }, { ...options.demo, logger });
      logger.info(report, 'demo data ready');
    }
    const auth = new AuthService(
      users,
      new TokenService(loadTokenSecret(db), options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS),
    );
    const handlers = createMethodHandlers({ auth, orders });

    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    let connectionsAccepted = 0;
    wss.on('connection', (socket: WebSocket) => {
      connectionsAccepted += 1;
      new AgentConnection(socket, {
        auth,
        handlers,
        server: GATEWAY_SERVER_INFO,
        logger: logger.child({ connection: connectionsAccepted }),
      });
    });
    const stopHeartbeat = startHeartbeat(wss, HEARTBEAT_INTERVAL_MS);

    const httpServer = createServer(handleHttpRequest);
    httpServer.on('upgrade', (request, socket, head) => {
      if (pathOf(request.url) !== AGENT_WS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    });
    await listen(httpServer, options.port ?? 0, host);

    const { port } = httpServer.address() as AddressInfo;
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ url: `ws://${authority}${AGENT_WS_PATH}` }, 'gateway listening');

    let closing: Promise<void> | null = null;
    const close = async () => {
      stopHeartbeat();
      const serverClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await closeClients(wss);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections();
      await serverClosed;
      db.close();
      logger.info('gateway closed');
    };
    return {
      url: `ws://${authority}`,
      httpUrl: `http://${authority}`,
      port,
      close: () => (closing ??= close()),
    };
  } catch (err) {
    // Nothing is listening yet (listen is the last step that can fail): only the file is open.
    db.close();
    throw err;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Says goodbye (1001) to every client, then cuts off those that do not answer in time. */
async function closeClients(wss: WebSocketServer): Promise<void> {
  const clients = [...wss.clients];
  const closed = clients.map(
    (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
  );
  for (const client of clients) client.close(CLOSE_CODES.goingAway, 'gateway shutting down');
  const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
  await Promise.race([Promise.all(closed), grace]);
  for (const client of wss.clients) client.terminate();
}
