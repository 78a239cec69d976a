import { createServer as createHttpServer, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

export interface HttpTimeouts {
  /** Until a request's headers have all arrived; also the TLS handshake's limit. */
  headersMs: number;
  /** Until a whole request, body included, has arrived: a trickled body is cut here. */
  requestMs: number;
  /** How long an idle keep-alive connection is kept for its next request. */
  keepAliveMs: number;
}

/**
 * Generous for a webhook or a load balancer's probe on a slow link, short enough that a
 * slow-loris client holds a socket for seconds instead of Node's default of 300.
 */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
};

/** PEM text of the gateway's certificate (chain) and private key. */
export interface TlsCredentials {
  cert: string | Buffer;
  key: string | Buffer;
}

/** Where a connection was cut for being slow (a metric label: keep the set fixed). */
export const HTTP_TIMEOUT_PHASES = ['tls_handshake', 'headers', 'request'] as const;
export type HttpTimeoutPhase = (typeof HTTP_TIMEOUT_PHASES)[number];

export interface EdgeServerMetrics {
  httpTimedOut(phase: HttpTimeoutPhase): void;
}

export interface EdgeServerOptions {
  timeouts: HttpTimeouts;
  /** Serve HTTPS (and so WSS) with these; null: plain HTTP. */
  tls: TlsCredentials | null;
  metrics: EdgeServerMetrics;
  logger: Logger;
}

/**
 * Node checks the header and request timeouts only this often (30 s by default, which would let
 * a 30 s request run for up to a minute); a shorter limit is checked four times per period.
 */
const MAX_TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** Answers Node writes itself when nobody listens to 'clientError' (a listener replaces them). */
const CLIENT_ERROR_RESPONSES: Readonly<Record<string, string>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
};
const BAD_REQUEST_RESPONSE = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/**
 * The gateway's HTTP or HTTPS server with its timeouts set: headers, whole request and keep-alive
 * (and the TLS handshake), each cut counted by phase. Throws a readable Error for timeouts out
 * of range or TLS credentials that do not load.
 */
export function createEdgeServer(handler: RequestListener, options: EdgeServerOptions) {
  const { timeouts, metrics, logger } = options;
  checkTimeouts(timeouts);
  const serverOptions = {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: timeoutCheckIntervalMs(timeouts),
  };
  const server = options.tls
    ? createTlsServer(options.tls, { ...serverOptions, handshakeTimeout: timeouts.headersMs }, handler)
    : createHttpServer(serverOptions, handler);

  // The response in progress on each socket: a timeout before there is one is a headers timeout.
  const responses = new WeakMap<Socket, ServerResponse>();
  server.on('request', (request, response) => {
    responses.set(request.socket, response);
    response.once('close', () => {
      if (responses.get(request.socket) === response) responses.delete(request.socket);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const response = responses.get(socket);
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      const phase = response ? 'request' : 'headers';
      metrics.httpTimedOut(phase);
      logger.info({ phase, peer: socket.remoteAddress }, 'http request too slow: connection cut');
    }
    if (socket.writable && !response?.headersSent) {
      socket.write(CLIENT_ERROR_RESPONSES[err.code ?? ''] ?? BAD_REQUEST_RESPONSE);
    }
    socket.destroy();
  });
  // Node closes the socket itself after a failed handshake.
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
      metrics.httpTimedOut('tls_handshake');
      logger.info({ peer: socket.remoteAddress }, 'tls handshake too slow: connection cut');
    } else logger.debug({ err: err.message, peer: socket.remoteAddress }, 'tls handshake failed');
  });
  return server;
}

function createTlsServer(
  tls: TlsCredentials,
  options: Parameters<typeof createHttpsServer>[0],
  handler: RequestListener,
) {
  try {
    return createHttpsServer({ ...options, cert: tls.cert, key: tls.key }, handler);
  } catch (err) {
    throw new Error(`The TLS certificate or key cannot be used: ${(err as Error).message}`, { cause: err });
  }
}

function checkTimeouts(timeouts: HttpTimeouts): void {
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`HTTP timeout ${name} must be a positive integer`);
  }
  if (timeouts.headersMs > timeouts.requestMs) {
    throw new Error(
      `The headers timeout (${timeouts.headersMs} ms) must not exceed the request timeout (${timeouts.requestMs} ms)`,
    );
  }
}

function timeoutCheckIntervalMs(timeouts: HttpTimeouts): number {
  const shortest = Math.min(timeouts.headersMs, timeouts.requestMs);
  return Math.max(1, Math.min(MAX_TIMEOUT_CHECK_INTERVAL_MS, Math.floor(shortest / 4)));
}
