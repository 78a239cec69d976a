import { BatchAssembler, type BatchMessage, type RecordedEvent } from './batch-assembler';

/** Batches kept since the last snapshot, for a replay that attaches later; beyond it, a resync. */
const MAX_KEPT_BATCHES = 2_000;

const startsOver = (batch: RecordedEvent[]) => batch.some((event) => event.type === 2 || event.type === 4);

/**
 * One session's events on their way to the replay: reassembled and ordered, and kept from the
 * last snapshot on, so that a replay attached later (the panel mounts after the first batch, a
 * window reload takes a session up again) starts from a whole page instead of half of one.
 */
export class ReplayFeed {
  private readonly assembler = new BatchAssembler();
  private kept: RecordedEvent[][] = [];
  private keptWhole = true;
  private consumer: ((batch: RecordedEvent[]) => void) | null = null;

  constructor(private readonly requestResync: () => void) {}

  push(message: BatchMessage): void {
    const { batches, resync } = this.assembler.push(message);
    if (resync) this.requestResync();
    for (const batch of batches) {
      this.keep(batch);
      this.consumer?.(batch);
    }
  }

  /** The customer's page is loading again: what is kept belongs to the page it left. */
  expectSnapshot(): void {
    this.assembler.expectSnapshot();
  }

  /** Feeds `consumer` from the last snapshot on, then live; returns the detacher. */
  attach(consumer: (batch: RecordedEvent[]) => void): () => void {
    this.consumer = consumer;
    if (this.keptWhole) for (const batch of this.kept) consumer(batch);
    else this.requestResync();
    return () => {
      if (this.consumer === consumer) this.consumer = null;
    };
  }

  private keep(batch: RecordedEvent[]): void {
    if (startsOver(batch)) {
      this.kept = [batch];
      this.keptWhole = true;
    } else if (this.kept.length >= MAX_KEPT_BATCHES) {
      this.kept = [];
      this.keptWhole = false;
    } else if (this.keptWhole) {
      this.kept.push(batch);
    }
  }
}
