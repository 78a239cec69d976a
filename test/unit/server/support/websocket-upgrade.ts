import type { IncomingHttpHeaders } from 'node:http';
import WebSocket, { type ClientOptions } from 'ws';

/** What an HTTP server answered instead of upgrading. */
export interface UpgradeRefusal {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A websocket that opened, or the HTTP answer that refused the upgrade. */
export type UpgradeOutcome = { opened: WebSocket } | { refused: UpgradeRefusal };

/** Opens a websocket (e.g. from another loopback address via `localAddress`), or reads its refusal. */
export function tryUpgrade(url: string, options: ClientOptions = {}): Promise<UpgradeOutcome> {
  const socket = new WebSocket(url, options);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ opened: socket }));
    socket.once('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        request.destroy();
        resolve({ refused: { status: response.statusCode ?? 0, headers: response.headers, body } });
      });
    });
    socket.once('error', reject);
  });
}

/** A websocket that must open. */
export async function mustOpen(url: string, options: ClientOptions = {}): Promise<WebSocket> {
  const outcome = await tryUpgrade(url, options);
  if ('refused' in outcome) throw new Error(`upgrade refused with ${outcome.refused.status}`);
  return outcome.opened;
}

/** An upgrade that must be refused. */
export async function mustBeRefused(url: string, options: ClientOptions = {}): Promise<UpgradeRefusal> {
  const outcome = await tryUpgrade(url, options);
  if ('opened' in outcome) {
    outcome.opened.terminate();
    throw new Error('the upgrade was accepted');
  }
  return outcome.refused;
}
