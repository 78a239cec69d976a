import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { Prng } from './prng';

export interface FrameFaults {
  /** Probability that a frame is silently dropped (each direction). */
  drop: number;
  /** Probability that a frame is delivered twice. */
  duplicate: number;
}

export interface FaultCounts {
  dropped: number;
  duplicated: number;
  connectionsCut: number;
}

/** What the proxy does with a frame from the gateway, decided by the scenario (e.g. a kill). */
export type ServerFrameHook = (frame: {
  type?: string;
  result?: unknown;
  event?: { seq: number };
}) => 'kill' | void;

/**
 * A websocket proxy on loopback between the desk's GatewayClient and the gateway that drops and
 * duplicates frames and cuts connections. The handshake frames (hello / hello.ok) always pass:
 * without them a connection never becomes a session, which the desk's reconnect already covers.
 */
export class FaultProxy {
  faults: FrameFaults = { drop: 0, duplicate: 0 };
  readonly counts: FaultCounts = { dropped: 0, duplicated: 0, connectionsCut: 0 };
  onServerFrame: ServerFrameHook | null = null;
  onKill: (() => void) | null = null;
  private readonly pairs = new Set<{ client: WebSocket; upstream: WebSocket }>();

  private constructor(
    private readonly server: WebSocketServer,
    private readonly rng: Prng,
    private target: string,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: string, rng: Prng): Promise<FaultProxy> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new FaultProxy(server, rng, target);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** After a gateway restart on another port. */
  retarget(target: string): void {
    this.target = target;
  }

  /** Cuts every connection at once, without a close handshake (a network drop). */
  cutAll(): void {
    for (const pair of this.pairs) {
      this.counts.connectionsCut += 1;
      pair.client.terminate();
      pair.upstream.terminate();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: WebSocket): void {
    const upstream = new WebSocket(this.target);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const early: string[] = [];
    const cut = () => {
      this.pairs.delete(pair);
      client.terminate();
      upstream.terminate();
    };
    upstream.on('open', () => {
      for (const text of early) upstream.send(text);
      early.length = 0;
    });
    upstream.on('error', cut);
    upstream.on('close', cut);
    client.on('error', cut);
    client.on('close', cut);

    client.on('message', (data) => {
      const text = data.toString();
      const send = (t: string) => {
        if (upstream.readyState === WebSocket.OPEN) upstream.send(t);
        else if (upstream.readyState === WebSocket.CONNECTING) early.push(t);
      };
      this.forward(text, send, text.startsWith('{"type":"hello"'));
    });

    upstream.on('message', (data) => {
      const text = data.toString();
      let frame: { type?: string; result?: unknown; event?: { seq: number } } = {};
      try {
        frame = JSON.parse(text) as typeof frame;
      } catch {
        // Forwarded as is: the client decides what to do with it.
      }
      if (this.onServerFrame?.(frame) === 'kill') {
        // The gateway did its part; the desk dies before it hears the answer.
        this.onKill?.();
        return;
      }
      const send = (t: string) => {
        if (client.readyState === WebSocket.OPEN) client.send(t);
      };
      this.forward(text, send, frame.type === 'hello.ok');
    });
  }

  private forward(text: string, send: (text: string) => void, handshake: boolean): void {
    if (!handshake && this.faults.drop > 0 && this.rng.chance(this.faults.drop)) {
      this.counts.dropped += 1;
      return;
    }
    send(text);
    if (!handshake && this.faults.duplicate > 0 && this.rng.chance(this.faults.duplicate)) {
      this.counts.duplicated += 1;
      send(text);
    }
  }
}
