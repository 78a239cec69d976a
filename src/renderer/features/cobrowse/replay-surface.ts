import type { RecordedEvent } from './batch-assembler';
import type { Point, Rect, Size } from './coordinates';

/** An element of the customer's page under the agent's pointer. */
export interface ReplayTarget {
  /** rrweb's mirror id: how the customer's page finds the same element. */
  nodeId: number;
  /** Where it is in the customer's viewport. */
  rect: Rect;
  /** A text field the agent may type into (with control). */
  editable: boolean;
}

/** The customer's page replayed live: what the co-browse panel needs of rrweb's Replayer. */
export interface ReplaySurface {
  /** Applies a whole batch, in order, as soon as it can. */
  add(events: RecordedEvent[]): void;
  /** The customer's viewport (null before the first snapshot). */
  viewport(): Size | null;
  /** How far the customer's page is scrolled. */
  scroll(): Point;
  /** How far it can be scrolled. */
  maxScroll(): Point;
  /** The element at a point of the customer's viewport. */
  targetAt(point: Point): ReplayTarget | null;
  /** Where an element is now (it moves as the page scrolls or changes). */
  rectOf(nodeId: number): Rect | null;
  /** Called at most once a frame after the replay changed (size, scroll, page). */
  onChange(listener: () => void): () => void;
  destroy(): void;
}

export interface ReplayOptions {
  /** Written over areas the customer's page did not send (blocked), in the agent's language. */
  hiddenLabel: string;
}

export type ReplayFactory = (root: HTMLElement, options: ReplayOptions) => Promise<ReplaySurface>;

/**
 * How the panel makes its replay. rrweb is loaded when the first session opens (it is not needed
 * before); component tests, whose DOM cannot lay out a page, put a stand-in here.
 */
export const replayFactory: { create: ReplayFactory } = {
  create: async (root, options) => (await import('./live-replay')).createLiveReplay(root, options),
};
