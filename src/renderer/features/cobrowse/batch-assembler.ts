import type { CustomerMessage } from '../../../shared/cobrowse-protocol';

/** An rrweb event as the replay needs it: the rest is rrweb's business. */
export interface RecordedEvent {
  type: number;
  timestamp: number;
  data?: unknown;
  [key: string]: unknown;
}

export type BatchMessage = Extract<CustomerMessage, { type: 'events' | 'chunk' }>;

export interface Assembled {
  /** Complete batches, in order, to replay now. */
  batches: RecordedEvent[][];
  /** The replay lost track: ask the customer's page for a full snapshot. */
  resync: boolean;
}

// rrweb's EventType: a Meta event (viewport size) and a FullSnapshot start a page over.
const FULL_SNAPSHOT = 2;
const META = 4;

/** While waiting for a snapshot, the request is repeated after this many batches without one. */
export const RESYNC_AGAIN_AFTER = 20;

/**
 * Turns the customer's `events` and `chunk` messages into whole batches in `seq` order. A batch
 * that starts the page over (a Meta or FullSnapshot event: the first one, a resync's answer, a
 * reloaded page counting from 1 again) is always taken. Otherwise batches must follow each other:
 * a gap, a chunk missing or out of place, or a batch that does not parse means the replay no
 * longer matches the page, so batches are dropped until a snapshot arrives and one is asked for.
 * Pure bookkeeping: no timers, no DOM.
 */
export class BatchAssembler {
  /** The seq the next batch must have; null while waiting for a snapshot. */
  private nextSeq: number | null = null;
  private partial: { seq: number; parts: Array<string | undefined>; received: number } | null = null;
  /** Batches dropped since the last resync request (null: none asked for). */
  private droppedSinceAsk: number | null = null;

  push(message: BatchMessage): Assembled {
    if (message.type === 'chunk') return this.chunk(message);
    // A batch in the middle of another's chunks: that one lost its remaining parts.
    const resync = this.partial !== null ? this.lost() : false;
    this.partial = null;
    return settle(this.batch(message.seq, message.events), resync);
  }

  /** The customer's page is loading again: its next batch starts over with a snapshot. */
  expectSnapshot(): void {
    this.nextSeq = null;
    this.partial = null;
    // The page sends a snapshot when it is back; ask only if it does not.
    this.droppedSinceAsk = 0;
  }

  private chunk({ seq, part, parts, data }: Extract<BatchMessage, { type: 'chunk' }>): Assembled {
    let resync = false;
    if (this.partial && this.partial.seq !== seq) {
      // The batch before lost a part: it is gone.
      this.partial = null;
      resync = this.lost();
    }
    const partial = (this.partial ??= { seq, parts: new Array<string | undefined>(parts), received: 0 });
    if (partial.parts.length !== parts || part >= parts || partial.parts[part] !== undefined) {
      this.partial = null;
      return { batches: [], resync: this.lost() || resync };
    }
    partial.parts[part] = data;
    partial.received += 1;
    if (partial.received < parts) return { batches: [], resync };
    this.partial = null;
    const events = parseBatch(partial.parts.join(''));
    if (!events) return { batches: [], resync: this.lost() || resync };
    return settle(this.batch(seq, events), resync);
  }

  private batch(seq: number, raw: readonly unknown[]): Assembled {
    if (!raw.every(isRecordedEvent)) return { batches: [], resync: this.lost() };
    const events = raw as RecordedEvent[];
    if (events.some((event) => event.type === FULL_SNAPSHOT || event.type === META)) {
      this.nextSeq = seq + 1;
      this.droppedSinceAsk = null;
      return { batches: [events], resync: false };
    }
    if (this.nextSeq === null) return { batches: [], resync: this.dropWhileWaiting() };
    if (seq < this.nextSeq) return { batches: [], resync: false }; // already applied
    if (seq > this.nextSeq) return { batches: [], resync: this.lost() };
    this.nextSeq = seq + 1;
    return { batches: [events], resync: false };
  }

  /** The replay lost track: wait for a snapshot, asking for one unless already waiting for it. */
  private lost(): boolean {
    this.nextSeq = null;
    return this.dropWhileWaiting();
  }

  private dropWhileWaiting(): boolean {
    if (this.droppedSinceAsk === null || this.droppedSinceAsk >= RESYNC_AGAIN_AFTER) {
      this.droppedSinceAsk = 0;
      return true;
    }
    this.droppedSinceAsk += 1;
    return false;
  }
}

/** A batch taken needs no resync; one dropped keeps any resync asked for on the way. */
function settle(out: Assembled, resyncBefore: boolean): Assembled {
  return out.batches.length > 0 ? out : { batches: [], resync: out.resync || resyncBefore };
}

function isRecordedEvent(value: unknown): value is RecordedEvent {
  if (typeof value !== 'object' || value === null) return false;
  const { type, timestamp } = value as { type?: unknown; timestamp?: unknown };
  return (
    typeof type === 'number' && Number.isInteger(type) && type >= 0 && Number.isFinite(timestamp as number)
  );
}

/** A chunked batch is the JSON text of `{ events }`, split; null when it does not parse. */
function parseBatch(text: string): unknown[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    const events = (parsed as { events?: unknown } | null)?.events;
    return Array.isArray(events) ? events : null;
  } catch {
    return null;
  }
}
