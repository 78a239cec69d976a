import { afterEach, describe, expect, it } from 'vitest';
import { generateDemoOrders } from '../../../src/server/demo/demo-orders';
import type { NewOrderEvent } from '../../../src/server/events/event-log';
import { SqliteEventLog } from '../../../src/server/events/sqlite-event-log';
import { FIXTURE_NOW_MS } from './support/seeded-store';
import { openOrderChangesFixture, type OrderChangesFixture } from './support/order-changes-fixture';

const [order] = [...generateDemoOrders({ count: 1, seed: 4, nowMs: FIXTURE_NOW_MS })];
const newEvent = (version: number): NewOrderEvent => ({
  at: '2026-03-01T08:00:00.000Z',
  kind: 'order.updated',
  orderId: order!.id,
  version,
  cause: { source: 'system' },
  order: { ...order!, version },
});

let fixture: OrderChangesFixture | null = null;
afterEach(() => {
  fixture?.dispose();
  fixture = null;
});

function openLog(retainEvents?: number): { log: SqliteEventLog; append(count: number): void } {
  fixture = openOrderChangesFixture(retainEvents === undefined ? {} : { retainEvents });
  const { db, log } = fixture;
  let version = 0;
  return {
    log,
    append: (count) =>
      db.transaction(() => {
        for (let i = 0; i < count; i += 1) log.append(db, newEvent((version += 1)));
      })(),
  };
}

describe('SqliteEventLog', () => {
  it('starts empty: head 0, oldest 1, nothing to read', async () => {
    const { log } = openLog();
    expect(await log.headSeq()).toBe(0);
    expect(await log.oldestSeq()).toBe(1);
    expect(await log.readAfter(0, 10)).toEqual([]);
  });

  it('assigns consecutive seqs and reads them back in pages, oldest first', async () => {
    const { log, append } = openLog();
    append(25);
    expect(await log.headSeq()).toBe(25);
    expect(await log.oldestSeq()).toBe(1);
    const first = await log.readAfter(0, 10);
    expect(first.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first[0]).toEqual({ ...newEvent(1), seq: 1 });
    expect((await log.readAfter(20, 10)).map((event) => event.seq)).toEqual([21, 22, 23, 24, 25]);
    expect(await log.readAfter(25, 10)).toEqual([]);
  });

  it('refuses to append outside a transaction', () => {
    const { log } = openLog();
    expect(() => log.append(fixture!.db, newEvent(1))).toThrow(/inside a transaction/);
  });

  it('forgets an append whose transaction rolled back, without leaving a gap', async () => {
    const { log, append } = openLog();
    const { db } = fixture!;
    expect(() =>
      db.transaction(() => {
        log.append(db, newEvent(1));
        throw new Error('the write failed');
      })(),
    ).toThrow('the write failed');
    append(1);
    expect((await log.readAfter(0, 10)).map((event) => event.seq)).toEqual([1]);
  });

  it('keeps only the newest retainEvents, never reusing a seq', async () => {
    const { log, append } = openLog(10);
    append(25);
    expect(await log.headSeq()).toBe(25);
    expect(await log.oldestSeq()).toBe(16);
    expect((await log.readAfter(0, 100)).map((event) => event.seq)).toEqual([
      16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
    ]);
    append(1);
    expect(await log.oldestSeq()).toBe(17);
    expect(await log.headSeq()).toBe(26);
  });

  it('refuses a retention cap that is not a positive integer', () => {
    fixture = openOrderChangesFixture();
    expect(() => new SqliteEventLog(fixture!.db, { retainEvents: 0 })).toThrow(RangeError);
  });
});
