import type { Logger } from 'pino';
import type { OrderEvent } from '../../shared/protocol';
import { encodeEventFrame } from './event-frame';

/** A committed event and its encoded frame, as handed to live listeners. */
export interface LiveEvent {
  event: OrderEvent;
  frame: Buffer;
}

export type LiveEventListener = (live: LiveEvent) => void;

/**
 * In-process fan-out of committed events to the connections streaming them. Writers publish
 * right after their commit, in the same synchronous step, so listeners see events in seq order
 * and an event is never published before it can be read from the log.
 */
export class LiveEvents {
  private readonly listeners = new Set<LiveEventListener>();

  constructor(private readonly logger: Pick<Logger, 'error'>) {}

  /** Registers `listener`; returns the function that removes it. */
  subscribe(listener: LiveEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: OrderEvent): void {
    if (this.listeners.size === 0) return;
    const live: LiveEvent = { event, frame: encodeEventFrame(event) };
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
