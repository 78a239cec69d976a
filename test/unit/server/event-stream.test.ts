import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDemoOrders } from '../../../src/server/demo/demo-orders';
import type { EventLog } from '../../../src/server/events/event-log';
import {
  EventStream,
  type EventSink,
  type EventStreamLimits,
  type EventStreamSource,
} from '../../../src/server/events/event-stream';
import type { Order } from '../../../src/shared/domain';
import { ServerFrame, type EventCause } from '../../../src/shared/protocol';
import { FIXTURE_NOW_MS } from './support/seeded-store';
import { openOrderChangesFixture, type OrderChangesFixture } from './support/order-changes-fixture';

const CAUSE: EventCause = { source: 'system' };
const [sampleOrder] = [...generateDemoOrders({ count: 1, seed: 8, nowMs: FIXTURE_NOW_MS })];

/**
 * A sink standing in for a socket: records frames, and can hold back "written" callbacks to
 * act as a client that reads slowly, or report a large send queue.
 */
class RecordingSink implements EventSink {
  readonly frames: ServerFrame[] = [];
  readonly failures: unknown[] = [];
  bufferedAmount = 0;
  holdWrites = false;
  private held: (() => void)[] = [];

  write(frame: Buffer | string, onWritten?: () => void): void {
    this.frames.push(ServerFrame.parse(JSON.parse(frame.toString())));
    if (!onWritten) return;
    if (this.holdWrites) this.held.push(onWritten);
    else queueMicrotask(onWritten);
  }

  fail(err: unknown): void {
    this.failures.push(err);
  }

  releaseWrites(): void {
    this.holdWrites = false;
    for (const onWritten of this.held.splice(0)) onWritten();
  }

  get eventSeqs(): number[] {
    return this.frames.flatMap((frame) => (frame.type === 'event' ? [frame.event.seq] : []));
  }
}

let fixture: OrderChangesFixture;
/** The one order the tests change; created by the first write. */
let order: Order | null;

function setUp(options: { retainEvents?: number } = {}): void {
  fixture?.dispose();
  fixture = openOrderChangesFixture(options);
  order = null;
}

beforeEach(() => setUp());
afterEach(() => fixture.dispose());

function source(limits: Partial<EventStreamLimits> = {}): EventStreamSource {
  return {
    log: fixture.log,
    live: fixture.live,
    limits: { replayPageSize: 4, maxBufferedBytes: 64 * 1024, ...limits },
  };
}

/** Writes `count` changes (the first creates the order). */
async function write(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    if (order) await fixture.changes.update(order.id, null, (current) => current, CAUSE);
    else order = (await fixture.changes.upsert(sampleOrder!, CAUSE)).order;
  }
}

/** The fixture's log with some methods replaced. */
function logWith(overrides: Partial<EventLog>): EventLog {
  const { log } = fixture;
  return {
    append: (transaction, event) => log.append(fixture.db, event),
    readAfter: (afterSeq, limit) => log.readAfter(afterSeq, limit),
    headSeq: () => log.headSeq(),
    oldestSeq: () => log.oldestSeq(),
    ...overrides,
  };
}

/** Lets the replay loop run: its reads and written-callbacks are promise steps. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('EventStream', () => {
  it('sends nothing before start, then replays after fromSeq and goes live', async () => {
    await write(10);
    const sink = new RecordingSink();
    const stream = await EventStream.open(source(), sink, 3, 'admin');
    expect(stream.headSeq).toBe(10);
    await settle();
    expect(sink.frames).toEqual([]);

    stream.start();
    await settle();
    expect(sink.eventSeqs).toEqual(range(4, 10));
    await write(3);
    expect(sink.eventSeqs).toEqual(range(4, 13));
    stream.stop();
  });

  it('hands off from replay to live with no gap and no duplicate while writes land mid-replay', async () => {
    await write(10);
    const sink = new RecordingSink();
    sink.holdWrites = true;
    const stream = await EventStream.open(source(), sink, 0, 'admin');
    await write(2);
    stream.start();
    for (let round = 0; round < 8; round += 1) {
      await settle();
      // Writes published while a page is still on its way: the replay picks them up from the log.
      await write(3);
      sink.releaseWrites();
      sink.holdWrites = round % 2 === 0;
    }
    sink.releaseWrites();
    await settle();
    await write(2);
    expect(sink.eventSeqs).toEqual(range(1, 10 + 2 + 24 + 2));
    stream.stop();
  });

  it('waits for each replayed page to be written before reading the next', async () => {
    await write(20);
    const sink = new RecordingSink();
    sink.holdWrites = true;
    const stream = await EventStream.open(source({ replayPageSize: 5 }), sink, 0, 'admin');
    stream.start();
    await settle();
    await settle();
    expect(sink.eventSeqs).toEqual(range(1, 5));
    sink.releaseWrites();
    await settle();
    expect(sink.eventSeqs.length).toBeGreaterThan(5);
    stream.stop();
  });

  it('resyncs a client older than the oldest kept event, or ahead of the log', async () => {
    setUp({ retainEvents: 5 });
    await write(12);
    for (const fromSeq of [0, 6, 13]) {
      const sink = new RecordingSink();
      const stream = await EventStream.open(source(), sink, fromSeq, 'admin');
      stream.start();
      await settle();
      expect(sink.frames).toEqual([{ type: 'resync', reason: 'log_truncated', headSeq: 12 }]);
      expect(fixture.live.listenerCount).toBe(0);
    }
    const sink = new RecordingSink();
    (await EventStream.open(source(), sink, 7, 'admin')).start();
    await settle();
    expect(sink.eventSeqs).toEqual(range(8, 12));
  });

  it('resyncs when retention deletes events the replay has not sent yet', async () => {
    setUp({ retainEvents: 10 });
    await write(10);
    const sink = new RecordingSink();
    sink.holdWrites = true;
    const stream = await EventStream.open(source({ replayPageSize: 4 }), sink, 0, 'admin');
    stream.start();
    await settle();
    expect(sink.eventSeqs).toEqual([1, 2, 3, 4]);
    await write(10);
    sink.releaseWrites();
    await settle();
    expect(sink.frames.at(-1)).toEqual({ type: 'resync', reason: 'log_truncated', headSeq: 20 });
    expect(sink.eventSeqs).toEqual([1, 2, 3, 4]);
    expect(fixture.live.listenerCount).toBe(0);
  });

  it('tells a live client whose send queue is over the limit to resync, and stops', async () => {
    await write(2);
    const sink = new RecordingSink();
    const stream = await EventStream.open(source({ maxBufferedBytes: 1000 }), sink, 0, 'admin');
    stream.start();
    await settle();
    await write(1);
    sink.bufferedAmount = 1001;
    await write(1);
    sink.bufferedAmount = 0;
    await write(1);
    expect(sink.eventSeqs).toEqual([1, 2, 3]);
    expect(sink.frames.at(-1)).toEqual({ type: 'resync', reason: 'slow_consumer', headSeq: 4 });
    expect(fixture.live.listenerCount).toBe(0);
    stream.start();
    await write(1);
    expect(sink.frames).toHaveLength(4);
  });

  it('delivers an event committed while its last replay read was in flight, with no later write', async () => {
    await write(5);
    const sink = new RecordingSink();
    let injected = false;
    const racing = logWith({
      readAfter: async (afterSeq, limit) => {
        const page = await fixture.log.readAfter(afterSeq, limit);
        if (!injected && page.length < limit) {
          injected = true;
          await write(1);
        }
        return page;
      },
    });
    const stream = await EventStream.open({ ...source(), log: racing }, sink, 0, 'admin');
    stream.start();
    await settle();
    expect(injected).toBe(true);
    expect(sink.eventSeqs).toEqual(range(1, 6));
    stream.stop();
  });

  it('fetches from the log an event it never heard live (appended by another process)', async () => {
    await write(2);
    const sink = new RecordingSink();
    const stream = await EventStream.open(source(), sink, 0, 'admin');
    stream.start();
    await settle();
    const { db, log } = fixture;
    const current = order!;
    db.transaction(() =>
      log.append(db, {
        at: new Date(FIXTURE_NOW_MS).toISOString(),
        kind: 'order.updated',
        orderId: current.id,
        version: 99,
        cause: CAUSE,
        order: { ...current, version: 99 },
      }),
    )();
    await write(1);
    await settle();
    expect(sink.eventSeqs).toEqual([1, 2, 3, 4]);
    await write(1);
    expect(sink.eventSeqs).toEqual([1, 2, 3, 4, 5]);
    stream.stop();
  });

  it('stops listening on stop, and reports a log that cannot be read', async () => {
    await write(3);
    const stopped = await EventStream.open(source(), new RecordingSink(), 0, 'admin');
    expect(fixture.live.listenerCount).toBe(1);
    stopped.stop();
    expect(fixture.live.listenerCount).toBe(0);

    const sink = new RecordingSink();
    const broken = { ...source(), log: logWith({ readAfter: () => Promise.reject(new Error('disk gone')) }) };
    const stream = await EventStream.open(broken, sink, 0, 'admin');
    stream.start();
    await settle();
    expect(sink.failures).toEqual([new Error('disk gone')]);
    expect(fixture.live.listenerCount).toBe(0);
  });
});
