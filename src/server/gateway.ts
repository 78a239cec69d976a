import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { pino, type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { AGENT_WS_PATH, MAX_FRAME_BYTES } from '../shared/protocol';
import { DemoPlatformActions, type PlatformActions } from './actions/platform-actions';
import type { ReplacementCatalog } from './catalog/replacement-catalog';
import { OrderActions } from './actions/order-actions';
import { SqliteActionRecords } from './actions/sqlite-action-records';
import { SqliteAuditLog } from './audit/sqlite-audit-log';
import { AuthService } from './auth/auth-service';
import { LiveSessions, SIGNED_OUT_ELSEWHERE } from './auth/live-sessions';
import {
  DEFAULT_LOGIN_THROTTLE_LIMITS,
  LoginThrottle,
  type LoginThrottleLimits,
} from './auth/login-throttle';
import { reportLoginRefusal } from './auth/login-refusals';
import { watchAccountChanges } from './auth/sqlite-account-changes';
import { SqliteRefreshTokenStore } from './auth/sqlite-refresh-token-store';
import { SqliteUserStore } from './auth/sqlite-user-store';
import { DEFAULT_TOKEN_TTL_SECONDS, TokenService } from './auth/token-service';
import { openDatabase } from './db/open-database';
import { DEFAULT_DEMO_SEED, seedDemoData } from './demo/seed';
import { DemoSimulator } from './demo/simulator';
import { DEV_SIP_PATH, DevSipRegistrar } from './demo/sip/dev-sip-registrar';
import { DEFAULT_EVENT_STREAM_LIMITS, type EventStreamLimits } from './events/event-stream';
import { EventFrameCache } from './events/event-frame';
import { LiveEvents } from './events/live-events';
import { SqliteEventLog } from './events/sqlite-event-log';
import { createHttpHandler, pathOf } from './http-routes';
import { GatewayMetrics } from './metrics/gateway-metrics';
import type { OrderChanges } from './orders/order-changes';
import { SqliteOrderChanges } from './orders/sqlite-order-changes';
import { SqliteOrderStore } from './orders/sqlite-order-store';
import {
  DEFAULT_PERSONAL_SEARCH_LIMITS,
  PersonalSearchGuard,
  type PersonalSearchLimits,
} from './orders/personal-search-limits';
import { createWebhookEndpoints, type PlatformSecrets } from './platforms/webhook-endpoints';
import { QueueAnnouncements } from './queue/queue-announcements';
import { QueueEndpoint } from './queue/queue-endpoint';
import { DemoQueueSimulator } from './demo/queue-simulator';
import { AgentConnection } from './ws/agent-connection';
import { CLOSE_CODES } from './ws/close-codes';
import { startHeartbeat } from './ws/heartbeat';
import { createMethodHandlers } from './ws/method-handlers';
// ---- roles (ROLES-GATEWAY) ----
import { ApprovalDecisions } from './actions/approval-decisions';
import { AgentStates } from './agents/agent-states';
import { Team } from './agents/team';
import { FieldReveals } from './views/field-reveals';
import { SqliteRoleViews } from './views/sqlite-role-views';
import { DeskRegistry } from './ws/desk-registry';
// ---- end roles ----
// ---- keys: signing keys outside the database, audit checkpoints ----
import { AuditCheckpointWriter, DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS } from './audit/audit-checkpoint-writer';
import { defaultCheckpointPath } from './audit/audit-checkpoint';
import { openGatewayKeys, type GatewayKeySource } from './keys/key-source';
// ---- end keys ----
// ---- edge (client address, connection caps, HTTP timeouts, TLS) ----
import { TrustedProxies } from './edge/client-address';
import {
  ConnectionLimits,
  DEFAULT_CONNECTION_CAPS,
  refuseUpgrade,
  type ConnectionCaps,
} from './edge/connection-limits';
import {
  createEdgeServer,
  DEFAULT_HTTP_TIMEOUTS,
  type HttpTimeouts,
  type TlsCredentials,
} from './edge/edge-server';
import { answerUpgrade } from './edge/upgrade-response';
// ---- end edge ----
// ---- co-browse: customers on COBROWSE_WS_PATH, rooms, the snippet and the demo shop ----
import { COBROWSE_WS_PATH } from '../shared/cobrowse-protocol';
import { CobrowseEndpoint } from './cobrowse/cobrowse-endpoint';
import { createCobrowseFiles } from './cobrowse/cobrowse-files';
import type { CobrowseOptions } from './cobrowse/cobrowse-options';
import { CobrowseOrigins } from './cobrowse/cobrowse-origins';
import { CobrowseRooms } from './cobrowse/cobrowse-rooms';
import { DEFAULT_CUSTOMER_LIMITS } from './cobrowse/customer-connection';
import { parseMaskingRules } from './cobrowse/masking-policy';
// ---- end co-browse ----

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
  /** Refresh token lifetime (default 12 h). */
  refreshTtlSeconds?: number;
  /** Webhook secrets; a platform without one answers 404 on its webhook path. */
  platforms?: PlatformSecrets;
  /** Where agent actions reach the shop platforms (default: the demo, which needs no calls). */
  platformActions?: PlatformActions;
  /**
   * What an exchanged item may be replaced with: the desk's picker lists exactly these and the
   * exchange rule refuses anything else (default: the demo catalogue's variants, and a
   * like-for-like unit for SKUs it does not know).
   */
  replacementCatalog?: ReplacementCatalog;
  /** A connection that has not said hello by then is closed (default 10 s). */
  helloTimeoutMs?: number;
  /** Demo traffic: a simulated order change every intervalMs (seed: the demo seed). */
  simulate?: { intervalMs: number; seed?: number };
  /** Keep only the newest N events (default: all); older subscribers get a log_truncated resync. */
  retainEvents?: number;
  eventStreamLimits?: Partial<EventStreamLimits>;
  /**
   * Shared secret of the ACD/PBX's queue announcements (`POST /v1/queue/announce`, sent as a
   * bearer token); without one the path answers 404.
   */
  queueSecret?: string;
  /** Demo: announce a few waiting customers every intervalMs (to the frontline and after-sales). */
  simulateQueue?: { intervalMs: number; seed?: number };
  /** Sign-in throttling (defaults in login-throttle.ts: 5 tries per username and address, ...). */
  loginThrottle?: Partial<LoginThrottleLimits>;
  /** How often to look for account changes made by another process (default 250 ms). */
  accountCheckIntervalMs?: number;
  /** Searches by name or phone per agent (default 60 at once, 30 a minute, 400 an hour). */
  personalSearchLimits?: Partial<PersonalSearchLimits>;
  /** DEMO ONLY: a SIP-over-WebSocket registrar at DEV_SIP_PATH for demo calls (never in production). */
  devSip?: boolean;
  /**
   * Where the token and audit keys come from. Default: gateway-keys.json beside dbPath, created
   * on first start (a demo convenience; production keeps keys off the database's volume).
   */
  keys?: GatewayKeySource;
  /**
   * The signed audit checkpoint: its file (default `<db file name>.audit-checkpoint.json` beside
   * the key file) and how often it is rewritten while the log grows (default 10 s).
   */
  auditCheckpoint?: { path?: string; intervalMs?: number };
  // ---- edge ----
  /**
   * Reverse proxies (IPs or CIDRs) whose X-Forwarded-For names the client (default none: the
   * client is the peer). Throws on an entry that is neither.
   */
  trustProxy?: readonly string[];
  /** Websocket caps (default 10,000 in total, 500 per client address); over one, 503. */
  connectionCaps?: Partial<ConnectionCaps>;
  /** A connection that said hello without a token, or signed out, must sign in by then (default 30 s). */
  signInTimeoutMs?: number;
  /** HTTP header, whole-request and keep-alive timeouts (default 10 s, 30 s, 5 s). */
  httpTimeouts?: Partial<HttpTimeouts>;
  /** Serve HTTPS and WSS with this certificate and key (PEM); default plain HTTP and WS. */
  tls?: TlsCredentials;
  // ---- end edge ----
  /**
   * Co-browse: which shop origins may open sessions, the shop's masking rules, limits (defaults
   * in src/server/cobrowse). With `demo` the gateway's own demo shop may co-browse too.
   */
  cobrowse?: CobrowseOptions;
}

export interface Gateway {
  /** ws://host:port (wss:// with TLS); agents connect to `${url}${AGENT_WS_PATH}`. */
  url: string;
  /** http://host:port (https:// with TLS). */
  httpUrl: string;
  port: number;
  /** The order write path, for code embedding the gateway (and tests). */
  changes: OrderChanges;
  /** Who waits in which queue, for code embedding the gateway (the demo simulator, tests). */
  queue: QueueAnnouncements;
  /** Re-reads the key source (the CLI does on SIGHUP); on an error the keys in use stay and it throws. */
  reloadKeys(): void;
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
    const keys = openGatewayKeys(options.keys, options.dbPath, logger);
    const checkpoints = AuditCheckpointWriter.open({
      db,
      keys: keys.ring,
      path: options.auditCheckpoint?.path ?? defaultCheckpointPath(keys.keyFile, options.dbPath),
      logger,
    });
    const orders = new SqliteOrderStore(db);
    const users = new SqliteUserStore(db);
    if (options.demo) {
      const report = await seedDemoData({ orders, users }, { ...options.demo, logger });
      logger.info(report, 'demo data ready');
    }
    // Reveals of masked data, view saves and approval decisions are recorded here too.
    const audit = new SqliteAuditLog(db, keys.ring);
    const views = new SqliteRoleViews(db, audit);
    const liveSessions = new LiveSessions();
    const auth = new AuthService(
      users,
      new TokenService(keys.ring, options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS),
      new SqliteRefreshTokenStore(db),
      {
        refreshTtlSeconds: options.refreshTtlSeconds,
        viewOf: (role) => views.viewOf(role),
        onSignInEnded: (familyId) => liveSessions.endSignIn(familyId, SIGNED_OUT_ELSEWHERE),
        throttle: new LoginThrottle({ ...DEFAULT_LOGIN_THROTTLE_LIMITS, ...options.loginThrottle }),
        onLoginRefused: (refusal) => reportLoginRefusal(refusal, { logger, audit }),
      },
    );
    const frames = new EventFrameCache();
    const live = new LiveEvents(logger, frames);
    const log = new SqliteEventLog(db, { retainEvents: options.retainEvents });
    const changes = new SqliteOrderChanges(db, { log, live });
    const events = {
      log,
      live,
      limits: { ...DEFAULT_EVENT_STREAM_LIMITS, ...options.eventStreamLimits },
      frames,
    };
    const actions = new OrderActions({
      orders,
      changes,
      records: new SqliteActionRecords(db, audit),
      platform: options.platformActions ?? new DemoPlatformActions(),
      ...(options.replacementCatalog ? { replacements: options.replacementCatalog } : {}),
      views,
    });
    const desks = new DeskRegistry();
    const agentStates = new AgentStates();
    const team = new Team({ users, states: agentStates, desks });
    const queue = new QueueAnnouncements({ orders, desks });
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    const metrics = new GatewayMetrics(() => wss.clients.size);
    // ---- co-browse ----
    const cobrowseOptions = options.cobrowse ?? {};
    const cobrowseOrigins = CobrowseOrigins.parse(cobrowseOptions.origins ?? [], {
      allowOwn: cobrowseOptions.allowOwnOrigin ?? options.demo !== undefined,
    });
    const cobrowse = new CobrowseRooms({
      audit,
      changes,
      orders,
      views,
      metrics,
      logger: logger.child({ component: 'cobrowse' }),
      rules: parseMaskingRules(cobrowseOptions.rules ?? []),
      ...(cobrowseOptions.onRelay ? { tap: cobrowseOptions.onRelay } : {}),
      ...(cobrowseOptions.now ? { now: cobrowseOptions.now } : {}),
      ...(cobrowseOptions.codeLimits ? { codeLimits: cobrowseOptions.codeLimits } : {}),
      ...(cobrowseOptions.wrongCodeLimits ? { wrongCodeLimits: cobrowseOptions.wrongCodeLimits } : {}),
      ...(cobrowseOptions.roomLimits ? { roomLimits: cobrowseOptions.roomLimits } : {}),
    });
    const cobrowseEndpoint = new CobrowseEndpoint({
      rooms: cobrowse,
      origins: cobrowseOrigins,
      limits: { ...DEFAULT_CUSTOMER_LIMITS, ...cobrowseOptions.customerLimits },
      metrics,
      logger: logger.child({ component: 'cobrowse' }),
      secure: options.tls !== undefined,
      heartbeatIntervalMs: cobrowseOptions.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
      ...(cobrowseOptions.onRelay ? { tap: cobrowseOptions.onRelay } : {}),
    });
    metrics.watchCobrowse({
      sessionsOpen: () => cobrowse.size,
      customersConnected: () => cobrowseEndpoint.customersConnected,
    });
    // ---- end co-browse ----
    const handlers = createMethodHandlers({
      auth,
      orders,
      changes,
      events,
      actions,
      agentStates,
      views,
      reveals: new FieldReveals({ orders, audit }),
      personalSearches: new PersonalSearchGuard(
        { audit, logger: logger.child({ component: 'search-limits' }) },
        { ...DEFAULT_PERSONAL_SEARCH_LIMITS, ...options.personalSearchLimits },
      ),
      approvals: new ApprovalDecisions({ db, audit, users, actions, desks }),
      team,
      desks,
      cobrowse,
    });
    const simulator = options.simulate
      ? new DemoSimulator(
          { orders, changes, logger: logger.child({ component: 'simulator' }) },
          {
            intervalMs: options.simulate.intervalMs,
            seed: options.simulate.seed ?? options.demo?.seed ?? DEFAULT_DEMO_SEED,
          },
        )
      : null;
    const queueSimulator = options.simulateQueue
      ? new DemoQueueSimulator(
          { orders, queue, logger: logger.child({ component: 'queue-simulator' }) },
          {
            intervalMs: options.simulateQueue.intervalMs,
            seed: options.simulateQueue.seed ?? options.demo?.seed ?? DEFAULT_DEMO_SEED,
          },
        )
      : null;

    const webhooks = createWebhookEndpoints(options.platforms ?? {}, { db, orders, changes, logger });
    // ---- edge ----
    const trustedProxies = TrustedProxies.parse(options.trustProxy ?? []);
    const connectionLimits = new ConnectionLimits({ ...DEFAULT_CONNECTION_CAPS, ...options.connectionCaps });
    // ---- end edge ----
    let connectionsAccepted = 0;
    wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      connectionsAccepted += 1;
      metrics.connectionAccepted();
      new AgentConnection(socket, {
        remoteAddress: trustedProxies.clientAddressOf(request),
        auth,
        handlers,
        server: GATEWAY_SERVER_INFO,
        logger: logger.child({ connection: connectionsAccepted }),
        metrics,
        helloTimeoutMs: options.helloTimeoutMs,
        signInTimeoutMs: options.signInTimeoutMs,
        desks,
        liveSessions,
      });
    });
    const stopHeartbeat = startHeartbeat(wss, HEARTBEAT_INTERVAL_MS);

    const queueEndpoint = options.queueSecret
      ? new QueueEndpoint({ announcements: queue, secret: options.queueSecret, logger })
      : null;
    const httpServer = createEdgeServer(
      createHttpHandler({
        webhooks,
        metrics,
        logger,
        queue: queueEndpoint,
        clientAddressOf: (request) => trustedProxies.clientAddressOf(request),
        files: createCobrowseFiles({
          ...(cobrowseOptions.snippetDir ? { snippetDir: cobrowseOptions.snippetDir } : {}),
          demoShop: options.demo !== undefined,
        }),
      }),
      {
        timeouts: { ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts },
        tls: options.tls ?? null,
        metrics,
        logger,
      },
    );
    const devSip = options.devSip ? new DevSipRegistrar(logger.child({ component: 'dev-sip' })) : null;
    const sipWss = devSip
      ? new WebSocketServer({
          noServer: true,
          maxPayload: MAX_FRAME_BYTES,
          handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
        })
      : null;
    httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = pathOf(request.url);
      const isSip = devSip !== null && sipWss !== null && path === DEV_SIP_PATH;
      const isCobrowse = path === COBROWSE_WS_PATH;
      if (!isSip && !isCobrowse && path !== AGENT_WS_PATH) return answerUpgrade(socket, '404 Not Found');
      const client = trustedProxies.clientAddressOf(request);
      // A customer's page from an origin not on the allowlist is refused before it is counted.
      if (isCobrowse && !cobrowseEndpoint.admitOrigin(request, socket, client)) return;
      // Counted from here, before the handshake; the demo SIP registrar counts in the total only,
      // customers' co-browse sockets in both, like agents'.
      const admission = connectionLimits.admitSocket(socket, isSip ? null : client);
      if (!admission.admitted) {
        metrics.connectionRefused(admission.refusal);
        logger.warn(
          { client, path, refusal: admission.refusal, open: connectionLimits.openConnections },
          'websocket refused: over the connection cap',
        );
        return refuseUpgrade(socket, admission.refusal);
      }
      if (isSip) sipWss.handleUpgrade(request, socket, head, (ws) => devSip.attach(ws));
      else if (isCobrowse) cobrowseEndpoint.accept(request, socket, head, client);
      else wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    });
    await listen(httpServer, options.port ?? 0, host);
    // An operator's role change or sign-out (the users command, another process) ends open sessions.
    const stopWatchingAccounts = watchAccountChanges(db, options.accountCheckIntervalMs ?? 250, () => {
      liveSessions.recheckAll(auth).catch((err: unknown) => logger.error({ err }, 'session recheck failed'));
    });

    const { port } = httpServer.address() as AddressInfo;
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const [wsScheme, httpScheme] = options.tls ? ['wss', 'https'] : ['ws', 'http'];
    const url = `${wsScheme}://${authority}`;
    logger.info(
      { url: `${url}${AGENT_WS_PATH}`, trustedProxies: trustedProxies.entries },
      'gateway listening',
    );
    if (devSip) logger.warn({ url: `${url}${DEV_SIP_PATH}` }, 'demo-only SIP registrar enabled');

    simulator?.start();
    queueSimulator?.start();
    checkpoints.start(options.auditCheckpoint?.intervalMs ?? DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS);

    let closing: Promise<void> | null = null;
    const close = async () => {
      await simulator?.close();
      await queueSimulator?.close();
      team.close();
      stopWatchingAccounts();
      stopHeartbeat();
      const serverClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // ---- co-browse: sessions end (audited) before the agents and the database go ----
      await cobrowse.close();
      await cobrowseEndpoint.close();
      // ---- end co-browse ----
      await closeClients(wss);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (sipWss) {
        for (const client of sipWss.clients) client.terminate();
        await new Promise<void>((resolve) => sipWss.close(() => resolve()));
      }
      httpServer.closeAllConnections();
      await serverClosed;
      try {
        checkpoints.close();
      } finally {
        // The file is closed even when the last checkpoint cannot be written (close then rejects).
        db.close();
      }
      logger.info('gateway closed');
    };
    return {
      url,
      httpUrl: `${httpScheme}://${authority}`,
      port,
      changes,
      queue,
      reloadKeys: () => keys.reload(),
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
