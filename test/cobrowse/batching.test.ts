import { describe, expect, it } from 'vitest';
import { CustomerFrame, MAX_COBROWSE_FRAME_BYTES } from '../../src/shared/cobrowse-protocol';
import {
  encodeBatch as encodeFrames,
  EventBatcher,
  MAX_BATCH_EVENTS,
  splitForFrames,
  utf8Bytes,
} from '../../src/cobrowse/batching';

type Chunk = Extract<CustomerFrame, { type: 'chunk' }>;

/** What the desk does with chunks: parts of one seq, in part order, joined, parsed. */
function reassemble(frames: CustomerFrame[]): { seq: number; events: unknown[] }[] {
  const batches: { seq: number; events: unknown[] }[] = [];
  let parts: Chunk[] = [];
  for (const frame of frames) {
    if (frame.type === 'events') batches.push({ seq: frame.seq, events: frame.events });
    if (frame.type !== 'chunk') continue;
    parts.push(frame);
    if (parts.length === frame.parts) {
      expect(parts.map((part) => part.part)).toEqual([...Array(frame.parts).keys()]);
      expect(new Set(parts.map((part) => part.seq))).toEqual(new Set([frame.seq]));
      batches.push({
        seq: frame.seq,
        ...(JSON.parse(parts.map((part) => part.data).join('')) as { events: unknown[] }),
      });
      parts = [];
    }
  }
  expect(parts).toEqual([]);
  return batches;
}

/** The frames of a batch, each checked to be sent as exactly its own serialization. */
function encodeBatch(...args: Parameters<typeof encodeFrames>): CustomerFrame[] {
  return encodeFrames(...args).map(({ frame, text }) => {
    expect(text).toBe(JSON.stringify(frame));
    return frame;
  });
}

const bigEvent = (i: number, text: string) => ({
  type: 3,
  data: { source: 0, texts: [{ id: i, value: text }] },
  timestamp: i,
});

describe('event batches as frames', () => {
  it('sends a small batch as one events frame', () => {
    const frames = encodeBatch(1, [bigEvent(1, 'hello')]);
    expect(frames).toEqual([{ type: 'events', seq: 1, events: [bigEvent(1, 'hello')] }]);
  });

  it('splits a batch over the chunk size into chunks that reassemble, in order, to the same events', () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      bigEvent(i, `"quoted" \\ 中文 😀 ${'x'.repeat(20_000)}`),
    );
    const frames = encodeBatch(7, events, 64 * 1024);
    expect(frames.length).toBeGreaterThan(5);
    for (const frame of frames) {
      expect(frame.type).toBe('chunk');
      expect(CustomerFrame.safeParse(frame).success).toBe(true);
      // Each frame, as sent, stays within the chunk size plus its envelope.
      expect(utf8Bytes(JSON.stringify(frame))).toBeLessThanOrEqual(64 * 1024 + 100);
    }
    expect(reassemble(frames)).toEqual([{ seq: 7, events }]);
  });

  it('keeps real frames under the protocol frame limit with the default chunk size', () => {
    const events = Array.from({ length: 10 }, (_, i) => bigEvent(i, '"'.repeat(100_000)));
    const frames = encodeBatch(1, events);
    for (const frame of frames)
      expect(utf8Bytes(JSON.stringify(frame))).toBeLessThanOrEqual(MAX_COBROWSE_FRAME_BYTES);
    expect(reassemble(frames)).toEqual([{ seq: 1, events }]);
  });

  it('never splits a surrogate pair', () => {
    for (const max of [3, 4, 7, 100]) {
      const text = `a${'😀'.repeat(300)}b"${'中'.repeat(50)}`;
      const parts = splitForFrames(text, max);
      expect(parts.join('')).toBe(text);
      for (const part of parts) {
        expect(part).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
        if (part.length > 2) expect(utf8Bytes(JSON.stringify(part)) - 2).toBeLessThanOrEqual(max);
      }
    }
  });

  it('measures UTF-8 as the websocket sends it', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('中文')).toBe(6);
    expect(utf8Bytes('😀')).toBe(4);
  });

  it('gives no frames for a batch that would need more than 64 parts', () => {
    expect(encodeBatch(1, [bigEvent(1, 'x'.repeat(70_000))], 1024)).toEqual([]);
  });
});

describe('EventBatcher', () => {
  function setup(options: { send?: (frame: CustomerFrame) => boolean; beforeFlush?: () => boolean } = {}) {
    const sent: CustomerFrame[] = [];
    const timers: (() => void)[] = [];
    let seq = 0;
    const batcher = new EventBatcher({
      send: ({ frame, text }) => {
        expect(text).toBe(JSON.stringify(frame));
        return options.send ? options.send(frame) : (sent.push(frame), true);
      },
      nextSeq: () => ++seq,
      beforeFlush: options.beforeFlush,
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => undefined,
      chunkBytes: 4096,
    });
    return { batcher, sent, timers };
  }

  it('sends what arrived in one flush period as one batch, numbered from 1', () => {
    const { batcher, sent, timers } = setup();
    batcher.push({ n: 1 });
    batcher.push({ n: 2 });
    expect(sent).toEqual([]);
    expect(timers).toHaveLength(1);
    timers[0]!();
    batcher.push({ n: 3 });
    timers[1]!();
    expect(sent).toEqual([
      { type: 'events', seq: 1, events: [{ n: 1 }, { n: 2 }] },
      { type: 'events', seq: 2, events: [{ n: 3 }] },
    ]);
  });

  it('sends at once when a batch reaches the event limit', () => {
    const { batcher, sent } = setup();
    for (let i = 0; i < MAX_BATCH_EVENTS; i++) batcher.push(i);
    const batches = reassemble(sent);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.events).toHaveLength(MAX_BATCH_EVENTS);
  });

  it('sends the chunks of one batch before the next batch', () => {
    const { batcher, sent } = setup();
    batcher.push(bigEvent(1, 'a'.repeat(10_000)));
    batcher.flush();
    batcher.push(bigEvent(2, 'small'));
    batcher.flush();
    expect(sent.map((frame) => [frame.type, (frame as { seq: number }).seq])).toEqual([
      ['chunk', 1],
      ['chunk', 1],
      ['chunk', 1],
      ['events', 2],
    ]);
    expect(reassemble(sent)).toEqual([
      { seq: 1, events: [bigEvent(1, 'a'.repeat(10_000))] },
      { seq: 2, events: [bigEvent(2, 'small')] },
    ]);
  });

  it('drops what is pending when told to', () => {
    const { batcher, sent } = setup({ beforeFlush: () => false });
    batcher.push(1);
    batcher.flush();
    expect(sent).toEqual([]);
    expect(batcher.size).toBe(0);
  });
});
