import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RequestCutError } from './edge/read-body';
import type { GatewayMetrics } from './metrics/gateway-metrics';
import { PROMETHEUS_CONTENT_TYPE } from './metrics/prometheus-registry';
import type { WebhookPlatform } from './platforms/webhook-endpoints';
import type { WebhookEndpoint } from './platforms/webhooks/webhook-endpoint';
import { QUEUE_ANNOUNCE_PATH, type QueueEndpoint } from './queue/queue-endpoint';

export interface HttpRoutesDeps {
  webhooks: ReadonlyMap<WebhookPlatform, WebhookEndpoint>;
  metrics: GatewayMetrics;
  logger: Logger;
  /** The ACD/PBX's queue announcements; none without a queue secret (the path answers 404). */
  queue?: QueueEndpoint | null;
  /** The client's address for logs: the peer, or what a trusted proxy forwarded. */
  clientAddressOf(request: IncomingMessage): string;
  /** Static files (the co-browse snippet, the demo shop); true when it answered the path. */
  files?: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;
}

const WEBHOOK_PATHS: ReadonlyMap<string, WebhookPlatform> = new Map([
  ['/webhooks/shopify', 'shopify'],
  ['/webhooks/woocommerce', 'woocommerce'],
]);

/**
 * Plain HTTP beside the websocket: a health check for load balancers and start scripts,
 * Prometheus metrics, the shop platforms' webhooks, the ACD/PBX's queue announcements, and the
 * co-browse snippet (with the demo shop in --demo).
 */
export function createHttpHandler(
  deps: HttpRoutesDeps,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    route(request, response, deps).catch((err: unknown) => {
      const client = deps.clientAddressOf(request);
      // The request timeout (or the client) closed the connection: there is no one to answer.
      if (err instanceof RequestCutError) {
        deps.logger.info({ client, url: request.url }, 'http request cut before its body arrived');
        return;
      }
      deps.logger.error({ err, client, url: request.url }, 'http request failed');
      if (!response.headersSent)
        sendJson(response, 500, { error: { code: 'INTERNAL', message: 'Internal gateway error' } });
      else response.destroy();
    });
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  deps: HttpRoutesDeps,
): Promise<void> {
  const path = pathOf(request.url);
  if (request.method === 'GET' && path === '/healthz') return sendJson(response, 200, { status: 'ok' });
  if (request.method === 'GET' && path === '/metrics') return sendText(response, 200, deps.metrics.render());

  if (deps.queue && path === QUEUE_ANNOUNCE_PATH) {
    const outcome = await deps.queue.receive(request, deps.clientAddressOf(request));
    deps.metrics.queueAnnouncementHandled(outcome.httpStatus);
    for (const [name, value] of Object.entries(outcome.headers ?? {})) response.setHeader(name, value);
    return sendJson(response, outcome.httpStatus, outcome.body);
  }

  const platform = WEBHOOK_PATHS.get(path);
  const endpoint = platform && deps.webhooks.get(platform);
  if (platform && endpoint) {
    const outcome = await endpoint.receive(request, deps.clientAddressOf(request));
    deps.metrics.webhookHandled(platform, outcome.result);
    if (outcome.result === 'method_not_allowed') response.setHeader('allow', 'POST');
    // The rest of an oversize body is not read: the connection cannot carry another request.
    if (outcome.result === 'too_large') response.setHeader('connection', 'close');
    return sendJson(response, outcome.httpStatus, outcome.body);
  }
  if (deps.files && (await deps.files(request, response, path))) return;
  sendJson(response, 404, {
    error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${path}` },
  });
}

/** The request's path; '' (matching no route) for a target that is not a URL, e.g. 'http://[::1'. */
export function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://gateway.invalid').pathname;
  } catch {
    // Must not throw: the websocket upgrade handler calls this outside any request handler.
    return '';
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': PROMETHEUS_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
