/**
 * The client side of the fan-out benchmark (fanout.bench.ts forks it): a fleet of real `ws`
 * agent connections in their own process, so that their work does not share the gateway's
 * event loop. It records when each event reaches each client (CLOCK_MONOTONIC, which both
 * processes read), checks that every client gets every event once and in order, and can drop
 * and reconnect every client at once (a reconnect storm).
 */
import WebSocket from 'ws';
import { AGENT_WS_PATH, PROTOCOL_VERSION } from '../../src/shared/protocol';
import { percentiles, type Percentiles } from './percentiles';

export type FleetCommand =
  | { type: 'start'; url: string; token: string; clients: number; maxEvents: number }
  | { type: 'storm' }
  | { type: 'finish'; lastSeq: number; writeTimesUs: number[]; latencyThroughSeq: number; waitMs: number };

export type FleetReport =
  | { type: 'ready'; connectMs: number }
  | { type: 'back'; allBackMs: number; backMs: Percentiles }
  | { type: 'failed'; message: string }
  | {
      type: 'result';
      deliveries: number;
      expected: number;
      duplicates: number;
      outOfOrder: number;
      resyncs: number;
      /** Over the events up to latencyThroughSeq (the steady phase). */
      lastLatencyReceiptUs: number;
      latenciesMs: Percentiles;
    };

/** Connections opened at once for the initial setup: more would overflow the listen backlog. */
const CONNECT_BATCH = 200;
const EVENT_PREFIX = Buffer.from('{"type":"event"');
const SEQ_KEY = '"seq":';

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** The event's seq: the frame's last "seq" key (the log writes it after the order). */
function eventSeq(frame: Buffer): number {
  let at = frame.lastIndexOf(SEQ_KEY) + SEQ_KEY.length;
  let seq = 0;
  for (let digit = frame[at]! - 48; digit >= 0 && digit <= 9; digit = frame[(at += 1)]! - 48) {
    seq = seq * 10 + digit;
  }
  return seq;
}

interface FleetClient {
  index: number;
  socket: WebSocket | null;
  /** The last seq this client applied; it resubscribes from here. */
  lastSeq: number;
  /** Waiting for the client to reach a seq (after a resubscribe). */
  caughtUp: { seq: number; resolve: () => void } | null;
}

class Fleet {
  private clients: FleetClient[] = [];
  /** Receipt time per (client, event): receipts[client * maxEvents + seq - 1]. */
  private receipts = new Float64Array(0);
  private received = 0;
  private duplicates = 0;
  private outOfOrder = 0;
  private resyncs = 0;
  private config: Extract<FleetCommand, { type: 'start' }> | null = null;

  async start(command: Extract<FleetCommand, { type: 'start' }>): Promise<void> {
    this.config = command;
    this.receipts = new Float64Array(command.clients * command.maxEvents);
    this.clients = Array.from({ length: command.clients }, (_, index) => ({
      index,
      socket: null,
      lastSeq: 0,
      caughtUp: null,
    }));
    for (let first = 0; first < this.clients.length; first += CONNECT_BATCH) {
      await Promise.all(
        this.clients.slice(first, first + CONNECT_BATCH).map((client) => this.subscribe(client)),
      );
    }
  }

  /** Drops every connection at once, reconnects them all at once, and times their way back. */
  async storm(): Promise<Extract<FleetReport, { type: 'back' }>> {
    const stormUs = nowUs();
    for (const client of this.clients) client.socket?.terminate();
    const backMs = await Promise.all(
      this.clients.map(async (client) => {
        const headSeq = await this.subscribe(client);
        if (client.lastSeq < headSeq) {
          await new Promise<void>((resolve) => (client.caughtUp = { seq: headSeq, resolve }));
        }
        return (nowUs() - stormUs) / 1000;
      }),
    );
    backMs.sort((a, b) => a - b);
    return { type: 'back', allBackMs: backMs.at(-1)!, backMs: percentiles(backMs) };
  }

  async finish(command: Extract<FleetCommand, { type: 'finish' }>): Promise<FleetReport> {
    const { maxEvents } = this.config!;
    const expected = this.clients.length * command.lastSeq;
    const deadline = Date.now() + command.waitMs;
    while (this.received < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const latencies: number[] = [];
    let lastLatencyReceiptUs = 0;
    for (const client of this.clients) {
      for (let seq = 1; seq <= command.latencyThroughSeq; seq += 1) {
        const receivedUs = this.receipts[client.index * maxEvents + seq - 1]!;
        if (receivedUs === 0) continue;
        lastLatencyReceiptUs = Math.max(lastLatencyReceiptUs, receivedUs);
        latencies.push((receivedUs - command.writeTimesUs[seq - 1]!) / 1000);
      }
    }
    for (const client of this.clients) client.socket?.terminate();
    return {
      type: 'result',
      deliveries: this.received,
      expected,
      duplicates: this.duplicates,
      outOfOrder: this.outOfOrder,
      resyncs: this.resyncs,
      latenciesMs: percentiles(latencies.sort((a, b) => a - b)),
      lastLatencyReceiptUs,
    };
  }

  /** Connects, says hello, subscribes from the client's last seq; resolves with the head. */
  private subscribe(client: FleetClient): Promise<number> {
    const { url, token } = this.config!;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url}${AGENT_WS_PATH}`);
      client.socket = socket;
      socket.once('error', reject);
      socket.once('open', () =>
        socket.send(
          JSON.stringify({
            type: 'hello',
            protocol: PROTOCOL_VERSION,
            client: { name: 'fanout-bench', version: '1' },
            token,
          }),
        ),
      );
      socket.on('message', (data: Buffer) => {
        const receivedUs = nowUs();
        // Event frames are only located, not parsed: the fleet shares the machine with the
        // gateway, and its JSON.parse would be measured as gateway latency.
        if (data.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX))
          return this.onEvent(client, eventSeq(data), receivedUs);
        const frame = JSON.parse(String(data)) as {
          type: string;
          ok?: boolean;
          result?: { headSeq: number };
        };
        if (frame.type === 'hello.ok') {
          const params = { fromSeq: client.lastSeq };
          socket.send(JSON.stringify({ type: 'req', id: 's', method: 'events.subscribe', params }));
        } else if (frame.type === 'res' && frame.ok) {
          resolve(frame.result!.headSeq);
        } else if (frame.type === 'resync') {
          this.resyncs += 1;
        } else {
          reject(new Error(`unexpected frame: ${String(data).slice(0, 200)}`));
        }
      });
    });
  }

  private onEvent(client: FleetClient, seq: number, receivedUs: number): void {
    if (seq <= client.lastSeq) {
      this.duplicates += 1;
      return;
    }
    if (seq !== client.lastSeq + 1) this.outOfOrder += 1;
    client.lastSeq = seq;
    this.received += 1;
    this.receipts[client.index * this.config!.maxEvents + seq - 1] = receivedUs;
    if (client.caughtUp && seq >= client.caughtUp.seq) {
      client.caughtUp.resolve();
      client.caughtUp = null;
    }
  }
}

const fleet = new Fleet();
const report = (message: FleetReport) => process.send!(message);
const fail = (err: unknown) => report({ type: 'failed', message: String(err) });
process.on('message', (command: FleetCommand) => {
  if (command.type === 'start') {
    const startedAt = performance.now();
    fleet
      .start(command)
      .then(() => report({ type: 'ready', connectMs: Math.round(performance.now() - startedAt) }), fail);
  } else if (command.type === 'storm') {
    fleet.storm().then(report, fail);
  } else {
    fleet.finish(command).then((result) => {
      report(result);
      process.disconnect();
    }, fail);
  }
});
