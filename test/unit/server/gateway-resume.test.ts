import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/server/demo/random';
import type { Gateway } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import type { OrderEvent } from '../../../src/shared/protocol';
import { AgentClient } from './support/agent-client';
import { describeFrame, nextEvent } from './support/event-reading';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const CYCLES = 100;
const tempDir = makeTempDir();
let gateway: Gateway;
let token: string;

beforeAll(async () => {
  gateway = await startTestGateway({
    dbPath: join(tempDir.path, 'gateway.db'),
    demo: { orders: 400, seed: 31 },
    // A change every few ms; small replay pages so that most resumes replay several pages.
    simulate: { intervalMs: 2, seed: 31 },
    eventStreamLimits: { replayPageSize: 16 },
  });
  const { client } = await AgentClient.ready(gateway.url);
  token = (await client.call('auth.login', DEMO_LOGIN)).token;
  await client.close();
});

afterAll(async () => {
  await gateway?.close();
  tempDir.remove();
});

/** Where in a subscription the connection is cut. */
type CutPoint = 'before_answer' | 'after_answer' | 'mid_stream';
// prettier-ignore
const CUT_POINTS: readonly (readonly [CutPoint, number])[] = [['before_answer', 1], ['after_answer', 1], ['mid_stream', 6]];

const yieldTimes = async (count: number) => {
  for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('resume (acceptance)', () => {
  it(`a client cut off at random points ${CYCLES} times while the simulator writes receives every event exactly once`, async () => {
    const random = new SeededRandom(2024);
    const applied = new Map<number, OrderEvent>();
    let lastSeq = 0;
    const apply = (event: OrderEvent) => {
      // The invariant, checked at every event: the next one is exactly the one after the last applied.
      if (event.seq !== lastSeq + 1) throw new Error(`expected seq ${lastSeq + 1}, got ${event.seq}`);
      applied.set(event.seq, event);
      lastSeq = event.seq;
    };
    let resumesThatReplayed = 0;
    let resumesThatWentLive = 0;

    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const { client } = await AgentClient.ready(gateway.url, token);
      const cut = random.weighted(CUT_POINTS);
      client.send({
        type: 'req',
        id: `sub${cycle}`,
        method: 'events.subscribe',
        params: { fromSeq: lastSeq },
      });

      if (cut === 'before_answer') {
        await yieldTimes(random.int(0, 3));
      } else {
        const answer = await client.next();
        if (answer.type !== 'res' || !answer.ok)
          throw new Error(`subscribe failed: ${describeFrame(answer)}`);
        const { headSeq } = answer.result as { headSeq: number };
        if (headSeq > lastSeq) resumesThatReplayed += 1;
        if (cut === 'mid_stream') {
          const wanted = random.int(1, 40);
          for (let i = 0; i < wanted; i += 1) apply(await nextEvent(client));
          if (lastSeq > headSeq) resumesThatWentLive += 1;
          // Sometimes leave frames in flight, unread, when the cut comes.
          await yieldTimes(random.int(0, 2));
        }
      }
      // Abrupt (a crash or a dropped network) or polite.
      if (random.chance(0.7)) client.socket.terminate();
      else await client.close();
    }

    // Finally catch up, and check the union against what a fresh subscriber replays from 0.
    const { client: resumed } = await AgentClient.ready(gateway.url, token);
    const { headSeq } = await resumed.call('events.subscribe', { fromSeq: lastSeq });
    while (lastSeq < headSeq) apply(await nextEvent(resumed));
    await resumed.close();

    const { client: fresh } = await AgentClient.ready(gateway.url, token);
    await fresh.call('events.subscribe', { fromSeq: 0 });
    for (let seq = 1; seq <= lastSeq; seq += 1) {
      const event = await nextEvent(fresh);
      expect(event.seq).toBe(seq);
      expect(applied.get(seq)).toEqual(event);
    }
    await fresh.close();

    expect([...applied.keys()]).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    // The run really exercised resumes with a gap to replay and handoffs to live events.
    expect(lastSeq).toBeGreaterThan(300);
    expect(resumesThatReplayed).toBeGreaterThan(30);
    expect(resumesThatWentLive).toBeGreaterThan(10);
  });
});
