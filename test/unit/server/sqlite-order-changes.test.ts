import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDemoOrders } from '../../../src/server/demo/demo-orders';
import type { LiveEvent } from '../../../src/server/events/live-events';
import { ROLES, type Order } from '../../../src/shared/domain';
import { ROLE_FIELD_POLICIES, visibleOrder } from '../../../src/shared/visibility';
import { DeskError } from '../../../src/shared/errors';
import { OrderEvent, OrderSearchQuery, type EventCause } from '../../../src/shared/protocol';
import { FIXTURE_NOW_MS } from './support/seeded-store';
import { openOrderChangesFixture, type OrderChangesFixture } from './support/order-changes-fixture';

const WEBHOOK: EventCause = { source: 'webhook', actor: 'shopify', action: 'orders/updated' };
const AGENT: EventCause = { source: 'agent', actor: 'u_1', action: 'note' };
const sampleOrders = [...generateDemoOrders({ count: 30, seed: 3, nowMs: FIXTURE_NOW_MS })];
const sample = (index: number): Order => structuredClone(sampleOrders[index]!);

let fixture: OrderChangesFixture;
beforeEach(() => {
  fixture = openOrderChangesFixture();
});
afterEach(() => fixture.dispose());

const searchIds = async (text: string) =>
  (await fixture.orders.search(OrderSearchQuery.parse({ text }))).items.map((item) => item.id);

/** Everything the log holds, oldest first. */
const allEvents = () => fixture.log.readAfter(0, 1000);

describe('SqliteOrderChanges.upsert', () => {
  it('creates an order at version 1 with an order.created event in the same write', async () => {
    const order = sample(0);
    const { order: stored, event } = await fixture.changes.upsert({ ...order, version: 7 }, WEBHOOK);

    expect(stored).toEqual({ ...order, version: 1 });
    expect(await fixture.orders.get(order.id)).toEqual(stored);
    expect(event).toEqual({
      seq: 1,
      at: new Date(fixture.clock.nowMs).toISOString(),
      kind: 'order.created',
      orderId: order.id,
      version: 1,
      cause: WEBHOOK,
      order: stored,
    });
    expect(OrderEvent.parse(event)).toEqual(event);
    expect(await allEvents()).toEqual([event]);
    expect(await searchIds(order.displayNumber)).toEqual([order.id]);
  });

  it('replaces the order with the same platform id: next version, same id, search row replaced', async () => {
    const order = sample(1);
    await fixture.changes.upsert(order, WEBHOOK);
    const renamed: Order = {
      ...order,
      // A platform that resends the order may not know our id.
      id: 'ord_other_id',
      customer: { ...order.customer, name: 'Zebediah Quill' },
      status: 'cancelled',
    };
    const { order: stored, event } = await fixture.changes.upsert(renamed, WEBHOOK);

    expect(stored).toEqual({ ...renamed, id: order.id, version: 2 });
    expect(event).toMatchObject({ seq: 2, kind: 'order.updated', orderId: order.id, version: 2 });
    expect(await fixture.orders.get(order.id)).toEqual(stored);
    expect(await fixture.orders.get('ord_other_id')).toBeNull();
    expect(await fixture.orders.count()).toBe(1);
    expect(await searchIds('Zebediah')).toEqual([order.id]);
    expect(await searchIds(order.customer.name)).toEqual([]);
    const byStatus = await fixture.orders.search(OrderSearchQuery.parse({ statuses: ['cancelled'] }));
    expect(byStatus.items.map((item) => item.id)).toEqual([order.id]);
  });

  it('moves an order between status filters of a text search when only its status changes', async () => {
    const order = { ...sample(4), status: 'delivered' as const };
    await fixture.changes.upsert(order, WEBHOOK);
    const searchWith = async (status: Order['status']) =>
      (
        await fixture.orders.search(
          OrderSearchQuery.parse({
            text: order.displayNumber,
            statuses: [status],
            platforms: [order.platform],
          }),
        )
      ).items.map((item) => item.id);
    expect(await searchWith('delivered')).toEqual([order.id]);

    await fixture.changes.update(order.id, null, (current) => ({ ...current, status: 'refunding' }), AGENT);
    expect(await searchWith('refunding')).toEqual([order.id]);
    expect(await searchWith('delivered')).toEqual([]);
    expect(await searchIds(order.displayNumber)).toEqual([order.id]);
  });

  it('keeps "newest first" by creation: an updated old order does not jump ahead', async () => {
    await fixture.changes.upsert(sample(2), WEBHOOK);
    await fixture.changes.upsert(sample(3), WEBHOOK);
    await fixture.changes.upsert({ ...sample(2), status: 'closed' }, WEBHOOK);
    expect(await searchIds('')).toEqual([sample(3).id, sample(2).id]);
  });

  it('refuses an invalid order or cause with BAD_REQUEST and writes nothing', async () => {
    const invalid = {
      ...sample(4),
      payment: { ...sample(4).payment, amount: { amount: 1.5, currency: 'CNY' } },
    };
    await expect(fixture.changes.upsert(invalid, WEBHOOK)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/payment\.amount\.amount/),
    });
    await expect(
      fixture.changes.upsert(sample(4), { source: 'nobody' } as unknown as EventCause),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await fixture.orders.count()).toBe(0);
    expect(await fixture.log.headSeq()).toBe(0);
  });

  it('refuses a new order whose display number belongs to another order, writing nothing', async () => {
    await fixture.changes.upsert(sample(5), WEBHOOK);
    const clash = { ...sample(6), displayNumber: sample(5).displayNumber };
    await expect(fixture.changes.upsert(clash, WEBHOOK)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await fixture.orders.count()).toBe(1);
    expect(await fixture.log.headSeq()).toBe(1);
  });
});

describe('SqliteOrderChanges.update', () => {
  it('applies the change, bumps version and updatedAt, and appends the event with the new version', async () => {
    const { order } = await fixture.changes.upsert(sample(7), WEBHOOK);
    fixture.clock.nowMs += 60_000;
    const note = { at: new Date(fixture.clock.nowMs).toISOString(), author: 'Agent', text: 'Called back' };
    const { order: updated, event } = await fixture.changes.update(
      order.id,
      1,
      (current) => ({ ...current, notes: [...current.notes, note] }),
      AGENT,
    );

    expect(updated).toEqual({
      ...order,
      notes: [...order.notes, note],
      version: 2,
      updatedAt: new Date(fixture.clock.nowMs).toISOString(),
    });
    expect(event).toEqual({
      seq: 2,
      at: updated.updatedAt,
      kind: 'order.updated',
      orderId: order.id,
      version: 2,
      cause: AGENT,
      order: updated,
    });
    expect(await fixture.orders.get(order.id)).toEqual(updated);
    expect((await allEvents()).map((e) => e.version)).toEqual([1, 2]);
    // The indexed text did not change, and the order is still found by it.
    expect(await searchIds(order.displayNumber)).toEqual([order.id]);
  });

  it('with a null expected version applies to whatever version is current', async () => {
    const { order } = await fixture.changes.upsert(sample(8), WEBHOOK);
    await fixture.changes.update(order.id, null, (current) => current, AGENT);
    const { order: third } = await fixture.changes.update(
      order.id,
      null,
      (c) => ({ ...c, status: 'closed' }),
      AGENT,
    );
    expect(third.version).toBe(3);
  });

  it('answers a stale version with VERSION_CONFLICT carrying the current order, and writes nothing', async () => {
    const { order } = await fixture.changes.upsert(sample(9), WEBHOOK);
    const { order: current } = await fixture.changes.update(
      order.id,
      1,
      (c) => ({ ...c, status: 'closed' }),
      AGENT,
    );
    let changeCalled = false;

    const error = await fixture.changes
      .update(
        order.id,
        1,
        (c) => {
          changeCalled = true;
          return c;
        },
        AGENT,
      )
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(DeskError);
    expect(error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentOrder: current } });
    expect(changeCalled).toBe(false);
    expect(await fixture.orders.get(order.id)).toEqual(current);
    expect(await fixture.log.headSeq()).toBe(2);
  });

  it('answers an unknown order with NOT_FOUND', async () => {
    await expect(fixture.changes.update('ord_missing', null, (c) => c, AGENT)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('rolls back when the change throws or breaks the schema or the identity', async () => {
    const { order } = await fixture.changes.upsert(sample(10), WEBHOOK);
    await expect(
      fixture.changes.update(
        order.id,
        1,
        () => {
          throw new DeskError('NOT_ELIGIBLE', 'no');
        },
        AGENT,
      ),
    ).rejects.toMatchObject({ code: 'NOT_ELIGIBLE' });
    await expect(
      fixture.changes.update(order.id, 1, (c) => ({ ...c, status: 'lost' as Order['status'] }), AGENT),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      fixture.changes.update(order.id, 1, (c) => ({ ...c, platformOrderId: 'other' }), AGENT),
    ).rejects.toThrow(/identity/);
    expect(await fixture.orders.get(order.id)).toEqual(order);
    expect(await fixture.log.headSeq()).toBe(1);
  });
});

describe('SqliteOrderChanges.update alsoInTransaction', () => {
  it('commits the caller writes with the change, seeing the appended event', async () => {
    fixture.db.exec('CREATE TABLE side_effects (event_seq INTEGER NOT NULL)');
    const { order } = await fixture.changes.upsert(sample(13), WEBHOOK);
    const { event } = await fixture.changes.update(order.id, 1, (c) => c, AGENT, {
      alsoInTransaction: (change) => {
        fixture.db.prepare('INSERT INTO side_effects (event_seq) VALUES (?)').run(change.event.seq);
      },
    });
    expect(fixture.db.prepare('SELECT event_seq FROM side_effects').all()).toEqual([
      { event_seq: event.seq },
    ]);
  });

  it('rolls back the change, its event and the caller writes when the hook throws, and publishes nothing', async () => {
    fixture.db.exec('CREATE TABLE side_effects (event_seq INTEGER NOT NULL)');
    const { order } = await fixture.changes.upsert(sample(14), WEBHOOK);
    const heard: number[] = [];
    fixture.live.subscribe((live) => heard.push(live.event.seq));
    await expect(
      fixture.changes.update(order.id, 1, (c) => ({ ...c, status: 'closed' }), AGENT, {
        alsoInTransaction: (change) => {
          fixture.db.prepare('INSERT INTO side_effects (event_seq) VALUES (?)').run(change.event.seq);
          throw new Error('audit write failed');
        },
      }),
    ).rejects.toThrow('audit write failed');

    expect(await fixture.orders.get(order.id)).toEqual(order);
    expect(await fixture.log.headSeq()).toBe(1);
    expect(fixture.db.prepare('SELECT count(*) AS n FROM side_effects').get()).toEqual({ n: 0 });
    expect(heard).toEqual([]);
  });
});

describe('live publication', () => {
  it('publishes each event after commit, in seq order, readable from the log when heard', async () => {
    const heard: { live: LiveEvent; inLog: boolean }[] = [];
    const stopListening = fixture.live.subscribe((live) => {
      // Synchronous read: at publish time the event must already be committed.
      const row = fixture.db.prepare('SELECT seq FROM events WHERE seq = ?').get(live.event.seq);
      heard.push({ live, inLog: row !== undefined });
    });
    const { order } = await fixture.changes.upsert(sample(11), WEBHOOK);
    await Promise.all([1, 2, 3].map(() => fixture.changes.update(order.id, null, (c) => c, AGENT)));
    await expect(fixture.changes.update(order.id, 1, (c) => c, AGENT)).rejects.toThrow();
    stopListening();
    await fixture.changes.update(order.id, null, (c) => c, AGENT);

    expect(heard.map(({ live }) => live.event.seq)).toEqual([1, 2, 3, 4]);
    expect(heard.every(({ inLog }) => inLog)).toBe(true);
    const { live } = heard[3]!;
    // Each role's frame carries the order as that role may see it, encoded once and shared.
    for (const role of ROLES) {
      expect(JSON.parse(live.frameFor(role).toString('utf8'))).toEqual({
        type: 'event',
        event: { ...live.event, order: visibleOrder(live.event.order as Order, ROLE_FIELD_POLICIES[role]) },
      });
      expect(live.frameFor(role)).toBe(live.frameFor(role));
    }
  });

  it('does not fail a committed write when a listener throws', async () => {
    fixture.live.subscribe(() => {
      throw new Error('broken listener');
    });
    const heard: number[] = [];
    fixture.live.subscribe((live) => heard.push(live.event.seq));
    await expect(fixture.changes.upsert(sample(12), WEBHOOK)).resolves.toMatchObject({ event: { seq: 1 } });
    expect(heard).toEqual([1]);
  });
});
