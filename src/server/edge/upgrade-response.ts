import type { Duplex } from 'node:stream';

/**
 * Answers a websocket upgrade request with a plain HTTP response instead of a handshake, then
 * closes the socket once the response is written: the HTTP server no longer watches an upgrade
 * socket, so a peer that never closes its side would otherwise keep it open for good.
 */
export function answerUpgrade(
  socket: Duplex,
  statusLine: string,
  headers: Readonly<Record<string, string | number>> = {},
  body = '',
): void {
  const head = Object.entries({ ...headers, 'Content-Length': Buffer.byteLength(body), Connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${statusLine}\r\n${head}\r\n${body}`, () => socket.destroy());
}
