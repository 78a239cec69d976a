import type { Logger } from 'pino';
import type { Role } from '../../shared/domain';
import type { OrderEvent } from '../../shared/protocol';
import { encodeEventFrame, type EventFrameCache } from './event-frame';

/** A committed event, as handed to live listeners, with its frame for each role. */
export interface LiveEvent {
  event: OrderEvent;
  /**
   * The event's frame as `role` may see it: encoded on first use and shared by every
   * listener of that role, so one event costs at most one encoding per role (five).
   */
  frameFor(role: Role): Buffer;
}

export type LiveEventListener = (live: LiveEvent) => void;

/**
 * In-process fan-out of committed events to the connections streaming them. Writers publish
 * right after their commit, in the same synchronous step, so listeners see events in seq order
 * and an event is never published before it can be read from the log.
 */
export class LiveEvents {
  private readonly listeners = new Set<LiveEventListener>();

  constructor(
    private readonly logger: Pick<Logger, 'error'>,
    /** Shared with the streams' replays, so a frame encoded live is not encoded again. */
    private readonly frameCache?: EventFrameCache,
  ) {}

  /** Registers `listener`; returns the function that removes it. */
  subscribe(listener: LiveEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: OrderEvent): void {
    if (this.listeners.size === 0) return;
    const frames = new Map<Role, Buffer>();
    const live: LiveEvent = {
      event,
      frameFor: (role) => {
        let frame = frames.get(role);
        if (!frame) {
          frame = this.frameCache?.frameFor(event, role) ?? encodeEventFrame(event, role);
          frames.set(role, frame);
        }
        return frame;
      },
    };
    for (const listener of this.listeners) {
      // One broken listener must neither starve the others nor fail a write that committed.
      try {
        listener(live);
      } catch (err) {
        this.logger.error({ err, seq: event.seq }, 'live event listener failed');
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
