import type { EventFrame, OrderEvent } from '../../shared/protocol';

/**
 * An event's wire frame, encoded once: the same bytes go to every connection streaming it,
 * so fan-out to thousands of agents costs one JSON.stringify per event, not one per agent.
 */
export function encodeEventFrame(event: OrderEvent): Buffer {
  const frame: EventFrame = { type: 'event', event };
  return Buffer.from(JSON.stringify(frame), 'utf8');
}
