import type { Order, Role } from '../../shared/domain';
import type { EventFrame, OrderEvent } from '../../shared/protocol';
import { ROLE_FIELD_POLICIES, visibleOrder } from '../../shared/visibility';

/**
 * An event's wire frame for one role: the order withheld and masked as the role may see it
 * (the log keeps the full order). Encoded once per role, not per connection: live fan-out
 * shares the bytes among every connection of the role (see LiveEvents).
 */
export function encodeEventFrame(event: OrderEvent, role: Role): Buffer {
  // The log and OrderChanges carry full orders; OrderEvent types its order as the wire's
  // VisibleOrder, which a full Order is a case of.
  const order = visibleOrder(event.order as Order, ROLE_FIELD_POLICIES[role]);
  const frame: EventFrame = { type: 'event', event: { ...event, order } };
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

/**
 * Recent events' frames by (seq, role), shared by every stream of one gateway: when many
 * clients replay the same events (a reconnect storm), each event is encoded once per role, not
 * once per client. Events never change once logged, so an entry stays right until evicted.
 */
export class EventFrameCache {
  private readonly frames = new Map<string, Buffer>();

  /** About 3 KB per frame: the default keeps the newest few thousand, a few MB. */
  constructor(private readonly capacity = 2048) {}

  frameFor(event: OrderEvent, role: Role): Buffer {
    const key = `${event.seq}:${role}`;
    let frame = this.frames.get(key);
    if (!frame) {
      frame = encodeEventFrame(event, role);
      // Oldest inserted first out: replays and live fan-out both move forward through seqs.
      if (this.frames.size >= this.capacity) this.frames.delete(this.frames.keys().next().value!);
      this.frames.set(key, frame);
    }
    return frame;
  }
}
