import type { OrderStatus, TimelineEntry } from '../../shared/domain';

export interface StatusPoint {
  /** Null when the platform has no timestamp for this step (the step did not happen). */
  at: string | null;
  status: OrderStatus;
}

/**
 * A status timeline rebuilt from the timestamps a platform snapshot carries (created, paid,
 * completed...), given in lifecycle order. Platforms do not send their status history, so this
 * is the best account of it. A step is never placed before the one it follows (Shopify's
 * processed_at can precede created_at by seconds); the last entry is always the current status.
 */
export function timelineFromSnapshot(
  points: readonly StatusPoint[],
  current: OrderStatus,
  updatedAt: string,
  actor: string,
): TimelineEntry[] {
  const timeline: TimelineEntry[] = [];
  for (const point of points) {
    if (point.at === null || timeline.at(-1)?.status === point.status) continue;
    const previous = timeline.at(-1)?.at;
    const at = previous !== undefined && Date.parse(previous) > Date.parse(point.at) ? previous : point.at;
    timeline.push({ at, status: point.status, actor });
  }
  if (timeline.at(-1)?.status !== current) timeline.push({ at: updatedAt, status: current, actor });
  return timeline;
}

/** The timeline with one more entry when the status changed; unchanged otherwise. */
export function withStatusEntry(
  timeline: readonly TimelineEntry[],
  status: OrderStatus,
  at: string,
  actor: string,
  note?: string,
): TimelineEntry[] {
  if (timeline.at(-1)?.status === status) return [...timeline];
  return [...timeline, { at, status, actor, ...(note === undefined ? {} : { note }) }];
}
