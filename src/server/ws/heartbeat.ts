import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Pings every client each interval and drops those that did not answer the previous ping, so
 * half-open connections (a laptop lid closed, a NAT timeout) do not pile up. Returns a stop function.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  const alive = new WeakMap<WebSocket, boolean>();
  const onConnection = (socket: WebSocket) => {
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
  };
  wss.on('connection', onConnection);

  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();

  return () => {
    clearInterval(timer);
    wss.off('connection', onConnection);
  };
}
