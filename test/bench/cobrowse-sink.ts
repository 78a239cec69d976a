import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  COBROWSE_WS_PATH,
  type CustomerFrame,
  type GatewayToCustomerFrame,
  type MaskingPolicy,
} from '../../src/shared/cobrowse-protocol';

const SNIPPET = resolve(import.meta.dirname, '../../out/cobrowse/agent-desk-cobrowse.js');

export const DEMO_MASKING: MaskingPolicy = {
  classes: {
    public: 'full',
    contact: 'masked',
    address: 'masked',
    payment: 'hidden',
    internal: 'hidden',
    risk: 'hidden',
  },
  rules: [],
};

export interface ReceivedFrame {
  at: number;
  bytes: number;
  text: string;
  frame: CustomerFrame;
}

/**
 * A stand-in for the gateway's co-browse endpoint (the benchmark measures the snippet, not the
 * relay): serves test pages and the built snippet, answers `hello` with a code and `resume`
 * with the session as the test set it, and keeps every frame the snippet sent.
 */
export interface CobrowseSink {
  origin: string;
  frames: ReceivedFrame[];
  /** Sends a frame to the snippet's newest connection. */
  send(frame: GatewayToCustomerFrame): void;
  /** What `resumed` answers after a page load. */
  resumeWith: Omit<Extract<GatewayToCustomerFrame, { type: 'resumed' }>, 'type'>;
  /** The first frame from index `after` on (default: only frames still to come) that matches. */
  waitFor(predicate: (frame: CustomerFrame) => boolean, after?: number): Promise<ReceivedFrame>;
  /** The rrweb id of the element with this id attribute in the newest full snapshot received. */
  nodeIdOf(elementId: string): number | null;
  close(): Promise<void>;
}

export async function startCobrowseSink(pages: Record<string, string>): Promise<CobrowseSink> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/cobrowse/agent-desk-cobrowse.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(SNIPPET));
    } else if (pages[path] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[path]);
    } else {
      res.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ server, path: COBROWSE_WS_PATH });
  const frames: ReceivedFrame[] = [];
  let latest: WebSocket | null = null;
  let sessions = 0;
  const waiters: { predicate: (frame: CustomerFrame) => boolean; done: (frame: ReceivedFrame) => void }[] =
    [];
  const sink: CobrowseSink = {
    origin: '',
    frames,
    resumeWith: { agent: null, consent: [], masking: null },
    send(frame) {
      latest?.send(JSON.stringify(frame));
    },
    waitFor(predicate, after = frames.length) {
      const timeoutMs = 15_000;
      const found = frames.slice(after).find((received) => predicate(received.frame));
      if (found) return Promise.resolve(found);
      return new Promise((resolveFrame, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
        waiters.push({
          predicate,
          done: (frame) => {
            clearTimeout(timer);
            resolveFrame(frame);
          },
        });
      });
    },
    nodeIdOf(elementId) {
      const batches: unknown[][] = [];
      let parts: string[] = [];
      for (const { frame } of frames) {
        if (frame.type === 'events') batches.push(frame.events);
        if (frame.type !== 'chunk') continue;
        parts.push(frame.data);
        if (frame.part === frame.parts - 1) {
          batches.push((JSON.parse(parts.join('')) as { events: unknown[] }).events);
          parts = [];
        }
      }
      interface SerializedNode {
        id: number;
        attributes?: Record<string, unknown>;
        childNodes?: SerializedNode[];
      }
      const find = (node: SerializedNode): number | null => {
        if (node.attributes?.id === elementId) return node.id;
        for (const child of node.childNodes ?? []) {
          const found = find(child);
          if (found !== null) return found;
        }
        return null;
      };
      const snapshots = batches
        .flat()
        .filter(
          (event): event is { type: 2; data: { node: SerializedNode } } =>
            (event as { type: number }).type === 2,
        );
      const newest = snapshots.at(-1);
      return newest ? find(newest.data.node) : null;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  wss.on('connection', (socket) => {
    latest = socket;
    socket.on('message', (data) => {
      const text = data.toString();
      const frame = JSON.parse(text) as CustomerFrame;
      const received = { at: performance.now(), bytes: Buffer.byteLength(text), text, frame };
      frames.push(received);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(frame)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.done(received);
        }
      }
      if (frame.type === 'hello') {
        sessions++;
        socket.send(
          JSON.stringify({
            type: 'code',
            code: String(100000 + sessions * 4321).slice(0, 6),
            expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
            sessionId: `session-${sessions}`,
            resumeToken: `token-${sessions}`,
          } satisfies GatewayToCustomerFrame),
        );
      } else if (frame.type === 'resume') {
        socket.send(JSON.stringify({ type: 'resumed', ...sink.resumeWith } satisfies GatewayToCustomerFrame));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  sink.origin = `http://127.0.0.1:${port}`;
  return sink;
}
