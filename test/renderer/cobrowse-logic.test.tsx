import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BatchAssembler,
  RESYNC_AGAIN_AFTER,
  type BatchMessage,
  type RecordedEvent,
} from '../../src/renderer/features/cobrowse/batch-assembler';
import {
  fitScale,
  isOnPage,
  scrollTarget,
  toDocument,
  toPanel,
  toViewport,
} from '../../src/renderer/features/cobrowse/coordinates';
import { ReplayFeed } from '../../src/renderer/features/cobrowse/replay-feed';
import { throttle } from '../../src/renderer/features/cobrowse/throttle';
import { useCobrowseStore } from '../../src/renderer/stores/cobrowse';

// rrweb's event types: 4 Meta, 2 FullSnapshot, 3 IncrementalSnapshot.
const meta: RecordedEvent = {
  type: 4,
  timestamp: 1,
  data: { href: 'https://shop.example/', width: 1280, height: 720 },
};
const full: RecordedEvent = { type: 2, timestamp: 2, data: { node: {}, initialOffset: { top: 0, left: 0 } } };
const change = (n: number): RecordedEvent => ({ type: 3, timestamp: 10 + n, data: { source: 0, n } });

const batch = (seq: number, events: RecordedEvent[]): BatchMessage => ({ type: 'events', seq, events });

/** A batch as the snippet chunks it: the JSON text of `{ events }`, split into `parts`. */
function chunks(seq: number, events: unknown[], parts: number): BatchMessage[] {
  const text = JSON.stringify({ events });
  const size = Math.ceil(text.length / parts);
  return Array.from({ length: parts }, (_, part) => ({
    type: 'chunk' as const,
    seq,
    part,
    parts,
    data: text.slice(part * size, (part + 1) * size),
  }));
}

describe('co-browse batches: reassembly, order and resync', () => {
  it('starts from a snapshot: a first batch without one asks for it, and is not replayed', () => {
    const assembler = new BatchAssembler();
    expect(assembler.push(batch(5, [change(1)]))).toEqual({ batches: [], resync: true });
    expect(assembler.push(batch(6, [change(2)]))).toEqual({ batches: [], resync: false });
    expect(assembler.push(batch(7, [meta, full]))).toEqual({ batches: [[meta, full]], resync: false });
    expect(assembler.push(batch(8, [change(3)]))).toEqual({ batches: [[change(3)]], resync: false });
  });

  it('takes batches in seq order and ignores one it already applied', () => {
    const assembler = new BatchAssembler();
    assembler.push(batch(1, [meta, full]));
    expect(assembler.push(batch(2, [change(1)])).batches).toEqual([[change(1)]]);
    expect(assembler.push(batch(2, [change(1)]))).toEqual({ batches: [], resync: false });
    expect(assembler.push(batch(3, [change(2)])).batches).toEqual([[change(2)]]);
  });

  it('answers a gap with one resync, drops batches until the snapshot, and asks again if none comes', () => {
    const assembler = new BatchAssembler();
    assembler.push(batch(1, [meta, full]));
    expect(assembler.push(batch(3, [change(3)]))).toEqual({ batches: [], resync: true });
    for (let seq = 4; seq < 4 + RESYNC_AGAIN_AFTER; seq++) {
      expect(assembler.push(batch(seq, [change(seq)]))).toEqual({ batches: [], resync: false });
    }
    // The request (or its answer) was lost: asked once more.
    expect(assembler.push(batch(4 + RESYNC_AGAIN_AFTER, [change(0)])).resync).toBe(true);
    const snapshot = batch(30, [meta, full, change(30)]);
    expect(assembler.push(snapshot)).toEqual({ batches: [[meta, full, change(30)]], resync: false });
    expect(assembler.push(batch(31, [change(31)])).batches).toEqual([[change(31)]]);
  });

  it('reassembles a chunked batch by part, in order or not', () => {
    const assembler = new BatchAssembler();
    const parts = chunks(1, [meta, full, change(1)], 3);
    expect(assembler.push(parts[2]!)).toEqual({ batches: [], resync: false });
    expect(assembler.push(parts[0]!)).toEqual({ batches: [], resync: false });
    expect(assembler.push(parts[1]!)).toEqual({ batches: [[meta, full, change(1)]], resync: false });
    // A chunked batch in sequence after a whole one.
    const next = chunks(2, [change(2), change(3)], 2);
    assembler.push(next[0]!);
    expect(assembler.push(next[1]!).batches).toEqual([[change(2), change(3)]]);
  });

  it.each([
    [
      'a part goes missing (the next batch starts)',
      (seq: number) => [chunks(seq, [change(1)], 3)[0]!, batch(seq + 1, [change(2)])],
    ],
    [
      'the next batch’s chunks start before this one is whole',
      (seq: number) => [chunks(seq, [change(1)], 3)[0]!, chunks(seq + 1, [change(2)], 2)[0]!],
    ],
    [
      'a part comes twice',
      (seq: number) => [chunks(seq, [change(1)], 3)[0]!, chunks(seq, [change(1)], 3)[0]!],
    ],
    [
      'the parts disagree on their count',
      (seq: number) => [chunks(seq, [change(1)], 3)[0]!, { ...chunks(seq, [change(1)], 3)[1]!, parts: 4 }],
    ],
    [
      'the joined text does not parse',
      (seq: number) => [{ type: 'chunk' as const, seq, part: 0, parts: 1, data: '{"events": [' }],
    ],
    [
      'an event is not an rrweb event',
      (seq: number) => [batch(seq, [{ type: 'x' } as unknown as RecordedEvent])],
    ],
  ])('asks for a resync when %s', (_what, broken) => {
    const assembler = new BatchAssembler();
    assembler.push(batch(1, [meta, full]));
    const results = broken(2).map((message) => assembler.push(message));
    expect(results.some((result) => result.resync)).toBe(true);
    expect(results.flatMap((result) => result.batches)).toEqual([]);
    // Nothing is replayed until a snapshot.
    expect(assembler.push(batch(9, [change(9)])).batches).toEqual([]);
    expect(assembler.push(batch(10, [meta, full])).batches).toEqual([[meta, full]]);
  });

  it('takes a reloaded page’s batches from 1 again, starting with its snapshot', () => {
    const assembler = new BatchAssembler();
    assembler.push(batch(1, [meta, full]));
    assembler.push(batch(2, [change(2)]));
    assembler.expectSnapshot(); // state: reconnecting
    // Not a snapshot: dropped, but the page sends one by itself, so no request yet.
    expect(assembler.push(batch(3, [change(3)]))).toEqual({ batches: [], resync: false });
    expect(assembler.push(batch(1, [meta, full]))).toEqual({ batches: [[meta, full]], resync: false });
    expect(assembler.push(batch(2, [change(1)])).batches).toEqual([[change(1)]]);
  });
});

describe('co-browse replay feed', () => {
  it('gives a replay attached later the page from its last snapshot, then what follows live', () => {
    const resyncs: number[] = [];
    const feed = new ReplayFeed(() => resyncs.push(1));
    feed.push(batch(1, [meta, full]));
    feed.push(batch(2, [change(2)]));
    feed.push(batch(3, [meta, full, change(3)])); // a periodic snapshot: what came before is not needed
    feed.push(batch(4, [change(4)]));
    const seen: RecordedEvent[][] = [];
    const detach = feed.attach((events) => seen.push(events));
    expect(seen).toEqual([[meta, full, change(3)], [change(4)]]);
    feed.push(batch(5, [change(5)]));
    expect(seen.at(-1)).toEqual([change(5)]);
    detach();
    feed.push(batch(6, [change(6)]));
    expect(seen).toHaveLength(3);
    expect(resyncs).toEqual([]);
  });

  it('asks for a resync on a gap', () => {
    const resyncs: number[] = [];
    const feed = new ReplayFeed(() => resyncs.push(1));
    feed.push(batch(1, [meta, full]));
    feed.push(batch(3, [change(3)]));
    expect(resyncs).toEqual([1]);
  });
});

describe('co-browse coordinates', () => {
  it('fits the whole viewport into the panel, never enlarged', () => {
    expect(fitScale({ width: 1280, height: 720 }, { width: 640, height: 600 })).toBe(0.5);
    expect(fitScale({ width: 390, height: 844 }, { width: 700, height: 422 })).toBe(0.5);
    expect(fitScale({ width: 800, height: 600 }, { width: 1600, height: 1200 })).toBe(1);
    expect(fitScale({ width: 0, height: 0 }, { width: 100, height: 100 })).toBe(1);
  });

  it('maps a point over the drawn replay to the customer’s viewport and document', () => {
    expect(toViewport({ x: 50, y: 20 }, 0.5)).toEqual({ x: 100, y: 40 });
    // Scaled by half, the page scrolled 300 down: the document point is further down by that.
    expect(toDocument({ x: 50, y: 20 }, 0.5, { x: 0, y: 300 })).toEqual({ x: 100, y: 340 });
    expect(toDocument({ x: 10.4, y: 10.4 }, 0.8, { x: 0, y: 0 })).toEqual({ x: 13, y: 13 });
    expect(toPanel({ x: 100, y: 40, width: 200, height: 30 }, 0.5)).toEqual({
      x: 50,
      y: 20,
      width: 100,
      height: 15,
    });
  });

  it('knows the margin around a smaller drawing is not the page', () => {
    const viewport = { width: 1280, height: 720 };
    expect(isOnPage({ x: 0, y: 0 }, viewport)).toBe(true);
    expect(isOnPage({ x: 1279, y: 719 }, viewport)).toBe(true);
    expect(isOnPage({ x: 1280, y: 10 }, viewport)).toBe(false);
    expect(isOnPage({ x: -1, y: 10 }, viewport)).toBe(false);
  });

  it('scrolls on from the last position asked for, within the page', () => {
    const max = { x: 0, y: 2000 };
    expect(scrollTarget({ x: 0, y: 300 }, { x: 0, y: 120 }, max)).toEqual({ x: 0, y: 420 });
    expect(scrollTarget({ x: 0, y: 1950 }, { x: 0, y: 120 }, max)).toEqual({ x: 0, y: 2000 });
    expect(scrollTarget({ x: 0, y: 50 }, { x: -40, y: -120 }, max)).toEqual({ x: 0, y: 0 });
  });
});

describe('co-browse throttle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first value at once and the latest one at the end of the interval', () => {
    const sent: number[] = [];
    const pointer = throttle<number>((value) => sent.push(value), 50);
    pointer.push(1);
    pointer.push(2);
    pointer.push(3);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([1, 3]);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([1, 3]);
    pointer.push(4);
    expect(sent).toEqual([1, 3, 4]);
  });

  it('flushes a waiting value now, or drops it', () => {
    const sent: number[] = [];
    const typing = throttle<number>((value) => sent.push(value), 150);
    typing.push(1);
    typing.push(2);
    typing.flush();
    expect(sent).toEqual([1, 2]);
    typing.push(3);
    typing.cancel();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1, 2]);
  });
});

describe('co-browse session state', () => {
  const join = () =>
    useCobrowseStore.getState().joined(
      {
        sessionId: 's1',
        state: 'waiting_consent',
        consent: [],
        page: null,
        interactionId: null,
        orderId: null,
        joinedAt: '2026-03-05T09:00:00.000Z',
      },
      { interactionId: null, number: null, orderId: null, displayNumber: null },
    );
  const session = () => useCobrowseStore.getState().session!;

  beforeEach(() => useCobrowseStore.getState().reset());

  it('follows consent level by level: asked, granted, declined, control handed back', () => {
    join();
    const store = useCobrowseStore.getState();
    store.apply({ type: 'state', state: 'live', consent: ['view'], page: null });
    expect(session()).toMatchObject({ state: 'live', consent: ['view'], wasLive: true });
    store.asked('scroll');
    expect(session().asks).toEqual({ scroll: 'asked' });
    store.apply({ type: 'consent', level: 'scroll', granted: true });
    expect(session()).toMatchObject({ consent: ['view', 'scroll'], asks: {} });
    store.asked('control');
    store.apply({ type: 'consent', level: 'control', granted: false });
    expect(session()).toMatchObject({ consent: ['view', 'scroll'], asks: { control: 'declined' } });
    store.asked('control');
    store.apply({ type: 'consent', level: 'control', granted: true });
    expect(session().consent).toEqual(['view', 'scroll', 'control']);
    store.apply({ type: 'control-released', reason: 'hidden' });
    expect(session()).toMatchObject({ consent: ['view', 'scroll'], controlReleased: 'hidden' });
    // A level counts only with every level before it.
    store.apply({ type: 'consent', level: 'view', granted: false });
    expect(session().consent).toEqual([]);
  });

  it('keeps an ended session on screen until closed, and ignores what comes after its end', () => {
    join();
    const store = useCobrowseStore.getState();
    store.apply({ type: 'ended', by: 'customer', reason: 'stopped' });
    store.apply({ type: 'state', state: 'live', consent: ['view'], page: null });
    expect(session()).toMatchObject({ state: 'ended', ended: { by: 'customer', reason: 'stopped' } });
    store.close();
    expect(useCobrowseStore.getState().session).toBeNull();
  });
});
