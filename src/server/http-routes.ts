import type { IncomingMessage, ServerResponse } from 'node:http';

/** Plain HTTP beside the websocket: a health check for load balancers and start scripts. */
export function handleHttpRequest(request: IncomingMessage, response: ServerResponse): void {
  const path = pathOf(request.url);
  if (request.method === 'GET' && path === '/healthz') return sendJson(response, 200, { status: 'ok' });
  sendJson(response, 404, {
    error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${path}` },
  });
}

export function pathOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://gateway.invalid').pathname;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
