import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemoOrders } from '../../../src/server/demo/demo-orders';
import { STEP_FROM_STATUS, type SimulatedStep } from '../../../src/server/demo/simulated-changes';
import { DemoSimulator } from '../../../src/server/demo/simulator';
import type { Order } from '../../../src/shared/domain';
import type { OrderEvent } from '../../../src/shared/protocol';
import { FIXTURE_NOW_MS } from './support/seeded-store';
import { openOrderChangesFixture, type OrderChangesFixture } from './support/order-changes-fixture';

const ORDER_COUNT = 200;
const fixtures: OrderChangesFixture[] = [];
afterEach(() => {
  for (const fixture of fixtures.splice(0)) fixture.dispose();
});

/** A store with the demo orders, and a simulator on a clock that moves a minute per change. */
async function simulatorOn(
  seed: number,
): Promise<{ fixture: OrderChangesFixture; simulator: DemoSimulator }> {
  const fixture = openOrderChangesFixture({ nowMs: FIXTURE_NOW_MS });
  fixtures.push(fixture);
  await fixture.orders.insertMany(generateDemoOrders({ count: ORDER_COUNT, seed: 5, nowMs: FIXTURE_NOW_MS }));
  const simulator = new DemoSimulator(
    { orders: fixture.orders, changes: fixture.changes, logger: pino({ level: 'silent' }) },
    { intervalMs: 1, seed, now: () => (fixture.clock.nowMs += 60_000) },
  );
  return { fixture, simulator };
}

async function run(
  seed: number,
  steps: number,
): Promise<{ events: OrderEvent[]; fixture: OrderChangesFixture }> {
  const { fixture, simulator } = await simulatorOn(seed);
  for (let i = 0; i < steps; i += 1) await simulator.step();
  return { fixture, events: await fixture.log.readAfter(0, 10_000) };
}

describe('DemoSimulator', () => {
  it('makes the same changes given the same seed, store and clock, and others for another seed', async () => {
    const first = await run(77, 50);
    const again = await run(77, 50);
    const other = await run(78, 50);
    expect(first.events).toHaveLength(50);
    expect(again.events).toEqual(first.events);
    expect(other.events).not.toEqual(first.events);
  });

  it('plays a plausible lifecycle: payment, picking, shipping, carrier scans, exceptions, delivery, new orders', async () => {
    const { events, fixture } = await run(5, 400);
    const seeded = new Map(
      [...generateDemoOrders({ count: ORDER_COUNT, seed: 5, nowMs: FIXTURE_NOW_MS })].map((o) => [o.id, o]),
    );
    const latest = new Map<string, Order>(seeded);
    const seen = new Set<string>();

    for (const event of events) {
      expect(event.cause.source).toBe('simulator');
      const action = event.cause.action!;
      const before = latest.get(event.orderId);
      // Read from the log, which holds full orders (only the wire withholds fields per role).
      const after = event.order as Order;
      seen.add(action);
      if (action === 'place') {
        expect(event.kind).toBe('order.created');
        expect(before).toBeUndefined();
        expect(after).toMatchObject({
          status: 'pending_payment',
          version: 1,
          payment: { status: 'pending' },
        });
      } else {
        expect(event.kind).toBe('order.updated');
        expect(before!.status).toBe(STEP_FROM_STATUS[action as SimulatedStep]);
        expect(after.version).toBe(before!.version + 1);
        expect(after.updatedAt).toBe(event.at);
      }
      if (action === 'pay')
        expect(after).toMatchObject({ status: 'paid', payment: { status: 'paid', paidAt: event.at } });
      if (action === 'fulfil') expect(['fulfilling', 'completed']).toContain(after.status);
      if (action === 'ship') {
        expect(after.status).toBe('shipped');
        const shipment = after.shipments.at(-1)!;
        expect(shipment.trackingNumber).toMatch(/^[0-9A-Z]{10,}$/);
        expect(shipment.events.map((e) => e.status)).toEqual(['label_created']);
        expect(after.timeline.at(-1)!.note).toContain(shipment.trackingNumber);
      }
      if (action === 'advance_shipment') {
        const scans = after.shipments.at(-1)!.events;
        expect(scans).toHaveLength(before!.shipments.at(-1)!.events.length + 1);
        expect(scans.at(-1)!.at).toBe(event.at);
        expect(after.status).toBe(scans.at(-1)!.status === 'delivered' ? 'delivered' : 'shipped');
        if (scans.at(-1)!.status === 'exception') seen.add('exception');
        if (scans.at(-1)!.status === 'delivered') seen.add('delivered');
      }
      latest.set(event.orderId, after);
    }

    expect([...seen].sort()).toEqual(
      ['advance_shipment', 'delivered', 'exception', 'fulfil', 'pay', 'place', 'ship'].sort(),
    );
    // Every event's order is what the store holds for that version (the last one per order).
    for (const [id, order] of latest) {
      if (!seeded.has(id) || order !== seeded.get(id)) expect(await fixture.orders.get(id)).toEqual(order);
    }
  });

  it('runs on its timer and stops on close', async () => {
    const { fixture, simulator } = await simulatorOn(9);
    simulator.start();
    await expect.poll(() => fixture.log.headSeq(), { timeout: 5_000 }).toBeGreaterThanOrEqual(5);
    await simulator.close();
    const head = await fixture.log.headSeq();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await fixture.log.headSeq()).toBe(head);
  });

  it('refuses an interval under 1 ms', async () => {
    const { fixture } = await simulatorOn(1);
    expect(
      () =>
        new DemoSimulator(
          { orders: fixture.orders, changes: fixture.changes, logger: pino({ level: 'silent' }) },
          { intervalMs: 0, seed: 1 },
        ),
    ).toThrow(RangeError);
  });
});
