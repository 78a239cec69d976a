import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway, GatewayOptions } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { ROLE_FIELD_POLICIES, visibleOrder } from '../../../src/shared/visibility';
import { AgentClient } from './support/agent-client';
import { nextEvent, nextEvents, nextResync, writeNotes } from './support/event-reading';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const tempDir = makeTempDir();
const opened: { gateway: Gateway; clients: AgentClient[] }[] = [];

afterAll(async () => {
  for (const { gateway, clients } of opened) {
    await Promise.all(clients.map((client) => client.close()));
    await gateway.close();
  }
  tempDir.remove();
});

/**
 * A gateway with 60 demo orders and no events yet; `connect()` opens a signed-in client.
 * Each describe gets its own, so that retention or limits of one do not affect another.
 */
async function openGateway(name: string, options: Partial<GatewayOptions> = {}) {
  const gateway = await startTestGateway({
    dbPath: join(tempDir.path, `${name}.db`),
    demo: { orders: 60, seed: 21 },
    ...options,
  });
  const entry = { gateway, clients: [] as AgentClient[] };
  opened.push(entry);
  const first = (await AgentClient.ready(gateway.url)).client;
  entry.clients.push(first);
  const { token } = await first.call('auth.login', DEMO_LOGIN);
  const { items } = await first.call('orders.search', { limit: 20 });
  const orderIds = items.map((item) => item.id);
  return {
    gateway,
    orderIds,
    write: (count: number, noteLength?: number) => writeNotes(gateway.changes, orderIds, count, noteLength),
    connect: async () => {
      const { client } = await AgentClient.ready(gateway.url, token);
      entry.clients.push(client);
      return client;
    },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('events.subscribe', () => {
  let env: Awaited<ReturnType<typeof openGateway>>;
  beforeAll(async () => {
    env = await openGateway('events', { eventStreamLimits: { replayPageSize: 5 } });
  });

  it('needs a signed-in session', async () => {
    const { client } = await AgentClient.ready(env.gateway.url);
    expect(await client.callFailing('events.subscribe', { fromSeq: 0 })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await client.close();
  });

  it('answers headSeq, replays every event after fromSeq in order, then streams live', async () => {
    await env.write(12);
    const client = await env.connect();
    expect(await client.call('events.subscribe', { fromSeq: 3 })).toEqual({ headSeq: 12 });
    const replayed = await nextEvents(client, 9);
    expect(replayed.map((event) => event.seq)).toEqual(range(4, 12));

    const { order } = await env.gateway.changes.update(env.orderIds[0]!, null, (c) => c, {
      source: 'agent',
      actor: 'u_test',
      action: 'note',
    });
    const live = await nextEvent(client);
    expect(live).toMatchObject({
      seq: 13,
      kind: 'order.updated',
      orderId: order.id,
      version: order.version,
      cause: { source: 'agent', actor: 'u_test', action: 'note' },
    });
    // Signed in as frontline: the event's order as that role may see it.
    expect(live.order).toEqual(visibleOrder(order, ROLE_FIELD_POLICIES.frontline));
    expect(client.idle).toBe(true);
    await client.close();
  });

  it('loses and repeats nothing when writes land during the replay', async () => {
    const head = (await (await env.connect()).call('events.subscribe', { fromSeq: 0 })).headSeq;
    const client = await env.connect();
    const writing = env.write(300);
    const { headSeq } = await client.call('events.subscribe', { fromSeq: 0 });
    expect(headSeq).toBeGreaterThanOrEqual(head);
    await writing;
    const events = await nextEvents(client, head + 300);
    expect(events.map((event) => event.seq)).toEqual(range(1, head + 300));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.idle).toBe(true);
    await client.close();
  });

  it('stops on events.unsubscribe, and a second subscribe replaces the first', async () => {
    const client = await env.connect();
    const { headSeq } = await client.call('events.subscribe', { fromSeq: 0 });
    await nextEvents(client, headSeq);
    expect(await client.call('events.unsubscribe')).toEqual({});
    await env.write(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.idle).toBe(true);

    expect(await client.call('events.subscribe', { fromSeq: headSeq + 1 })).toEqual({ headSeq: headSeq + 2 });
    expect((await nextEvent(client)).seq).toBe(headSeq + 2);
    expect(await client.call('events.subscribe', { fromSeq: headSeq })).toEqual({ headSeq: headSeq + 2 });
    expect((await nextEvents(client, 2)).map((event) => event.seq)).toEqual([headSeq + 1, headSeq + 2]);
    await env.write(1);
    expect((await nextEvent(client)).seq).toBe(headSeq + 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.idle).toBe(true);
    await client.close();
  });

  it('refuses a negative or fractional fromSeq with BAD_REQUEST', async () => {
    const client = await env.connect();
    for (const fromSeq of [-1, 1.5, '3']) {
      expect(await client.callFailing('events.subscribe', { fromSeq })).toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
    await client.close();
  });
});

describe('a log that keeps only the newest events', () => {
  let env: Awaited<ReturnType<typeof openGateway>>;
  beforeAll(async () => {
    env = await openGateway('retention', { retainEvents: 10 });
    await env.write(30);
  });

  it('tells a client older than the oldest kept event to resync: log_truncated with the head', async () => {
    const client = await env.connect();
    expect(await client.call('events.subscribe', { fromSeq: 19 })).toEqual({ headSeq: 30 });
    expect(await nextResync(client)).toEqual({ type: 'resync', reason: 'log_truncated', headSeq: 30 });
    // Nothing else follows: the client refetches, then subscribes from the head.
    expect(await client.call('events.subscribe', { fromSeq: 30 })).toEqual({ headSeq: 30 });
    await env.write(1);
    expect((await nextEvent(client)).seq).toBe(31);
    await client.close();
  });

  it('replays for a client whose next event is still kept', async () => {
    const client = await env.connect();
    const { headSeq } = await client.call('events.subscribe', { fromSeq: 21 });
    expect((await nextEvents(client, headSeq - 21)).map((event) => event.seq)).toEqual(range(22, headSeq));
    await client.close();
  });

  it('tells a client ahead of the log (e.g. a restored database) to resync', async () => {
    const client = await env.connect();
    const { headSeq } = await client.call('events.subscribe', { fromSeq: 10_000 });
    expect(await nextResync(client)).toEqual({ type: 'resync', reason: 'log_truncated', headSeq });
    await client.close();
  });
});

describe('a client that does not read', () => {
  const MAX_BUFFERED_BYTES = 64 * 1024;
  let env: Awaited<ReturnType<typeof openGateway>>;
  beforeAll(async () => {
    env = await openGateway('slow', { eventStreamLimits: { maxBufferedBytes: MAX_BUFFERED_BYTES } });
  });

  it('is told to resync (slow_consumer) and gets nothing more, so the gateway buffers a bounded amount', async () => {
    const slow = await env.connect();
    const { headSeq: startSeq } = await slow.call('events.subscribe', { fromSeq: 0 });
    const healthy = await env.connect();
    await healthy.call('events.subscribe', { fromSeq: startSeq });

    // Paused: the kernel's socket buffers fill (a few MB on loopback), then the gateway's send
    // queue grows. 600 events of ~20 KB are more than the kernel can hold. The healthy client
    // reads each batch before the next is written, as a desk keeping up would.
    slow.socket.pause();
    const written = 600;
    for (let batch = 0; batch < 6; batch += 1) {
      await env.write(written / 6, 16 * 1024);
      await nextEvents(healthy, written / 6);
    }
    slow.socket.resume();

    const seqs: number[] = [];
    for (;;) {
      const frame = await slow.next();
      if (frame.type === 'resync') {
        expect(frame).toEqual({ type: 'resync', reason: 'slow_consumer', headSeq: expect.any(Number) });
        expect(frame.headSeq).toBeGreaterThan(seqs.at(-1)!);
        break;
      }
      if (frame.type !== 'event') throw new Error(`unexpected ${frame.type}`);
      seqs.push(frame.event.seq);
    }
    // Got a prefix, in order, then the stream stopped well before the writer did.
    expect(seqs).toEqual(range(startSeq + 1, startSeq + seqs.length));
    expect(seqs.length).toBeLessThan(written);

    await env.write(5);
    await nextEvents(healthy, 5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slow.idle).toBe(true);

    // Subscribing again from the last applied seq replays the rest without a gap.
    const { headSeq } = await slow.call('events.subscribe', { fromSeq: seqs.at(-1)! });
    const rest = await nextEvents(slow, headSeq - seqs.at(-1)!);
    expect(rest[0]!.seq).toBe(seqs.at(-1)! + 1);
    expect(rest.at(-1)!.seq).toBe(headSeq);
  });
});
