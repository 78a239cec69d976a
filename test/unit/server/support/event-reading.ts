import type { OrderChanges } from '../../../../src/server/orders/order-changes';
import type { OrderEvent, ResyncFrame, ServerFrame } from '../../../../src/shared/protocol';
import type { AgentClient } from './agent-client';

/** The next frame, which must be an event; returns the event. */
export async function nextEvent(client: AgentClient, timeoutMs?: number): Promise<OrderEvent> {
  const frame = await client.next(timeoutMs);
  if (frame.type !== 'event') throw new Error(`expected an event frame, got ${describeFrame(frame)}`);
  return frame.event;
}

/** The next `count` frames, which must be events. */
export async function nextEvents(client: AgentClient, count: number): Promise<OrderEvent[]> {
  const events: OrderEvent[] = [];
  for (let i = 0; i < count; i += 1) events.push(await nextEvent(client));
  return events;
}

/** The next frame, which must be a resync. */
export async function nextResync(client: AgentClient): Promise<ResyncFrame> {
  const frame = await client.next();
  if (frame.type !== 'resync') throw new Error(`expected a resync frame, got ${describeFrame(frame)}`);
  return frame;
}

/**
 * Writes `count` order changes round-robin over `orderIds`, yielding in between. Each sets the
 * order's notes to one new note, so events keep their size however many are written.
 */
export async function writeNotes(
  changes: OrderChanges,
  orderIds: readonly string[],
  count: number,
  /** Pads each note to this many characters, for large events. */
  noteLength = 0,
): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const orderId = orderIds[i % orderIds.length]!;
    await changes.update(
      orderId,
      null,
      (current) => ({
        ...current,
        notes: [{ at: new Date().toISOString(), author: 'test', text: `note ${i}`.padEnd(noteLength, '.') }],
      }),
      { source: 'system', action: 'test' },
    );
    // Let sockets flush and other clients run, as separate requests would.
    if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
}

export function describeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame).slice(0, 160);
}
