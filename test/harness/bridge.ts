/**
 * Browser side of the harness: installs `window.agentDesk`, generated from the same contract as
 * the Electron preload, but carried over a loopback websocket to the real main-process services.
 * The per-launch token arrives in the URL fragment (#token=...) and is kept for reloads.
 */
import type { Envelope, EventMessage } from '../../src/shared/contract';
import { createBridge } from '../../src/shared/contract-client';

const TOKEN_KEY = 'agent-desk-harness-token';

function takeToken(): string {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = takeToken();
const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__harness/ipc?token=${token}`;
const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
const listeners = new Set<(message: EventMessage) => void>();
let nextId = 1;
const socket = new WebSocket(socketUrl);
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve());
  socket.addEventListener('close', () => reject(new Error('harness connection closed')));
});
socket.addEventListener('close', () => {
  for (const [id, settle] of pending) {
    settle({ ok: false, error: { code: 'INTERNAL', message: 'Harness connection closed' } });
    pending.delete(id);
  }
});
socket.addEventListener('message', (msg) => {
  const data = JSON.parse(String(msg.data)) as
    { kind: 'result'; id: number; envelope: Envelope<unknown> } | { kind: 'event'; message: EventMessage };
  if (data.kind === 'result') {
    pending.get(data.id)?.(data.envelope);
    pending.delete(data.id);
  } else {
    for (const listener of listeners) listener(data.message);
  }
});

// `window.agentDesk` is declared in src/renderer/global.d.ts, like the preload's.
window.agentDesk = createBridge({
  async invoke(method, args) {
    try {
      await opened;
    } catch {
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'The harness refused or lost the bridge connection' },
      };
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, args }));
    });
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
});
