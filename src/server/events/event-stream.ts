import type { Role } from '../../shared/domain';
import type { OrderEvent, ResyncFrame } from '../../shared/protocol';
import { encodeEventFrame, type EventFrameCache } from './event-frame';
import type { EventLog } from './event-log';
import type { LiveEvent, LiveEvents } from './live-events';

export interface EventStreamLimits {
  /** Events read from the log per replay step. */
  replayPageSize: number;
  /**
   * Bytes a connection may have queued for sending (socket.bufferedAmount) before a live event
   * is withheld and the client told to resync: the most the gateway ever buffers per client.
   */
  maxBufferedBytes: number;
}

export const DEFAULT_EVENT_STREAM_LIMITS: EventStreamLimits = {
  replayPageSize: 200,
  maxBufferedBytes: 1024 * 1024,
};

/** What every stream reads from. */
export interface EventStreamSource {
  log: EventLog;
  live: LiveEvents;
  limits: EventStreamLimits;
  /** Frames of recent events per role, shared by all streams (absent: each stream encodes). */
  frames?: EventFrameCache;
}

/** Where a stream's frames go: one agent connection. */
export interface EventSink {
  /** Queues an encoded text frame; `onWritten` runs once it has left the process or the connection closed. */
  write(frame: Buffer | string, onWritten?: () => void): void;
  /** Bytes queued and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** The stream broke (e.g. the log could not be read): log it and tell the client. */
  fail(err: unknown): void;
}

type StreamState = 'opened' | 'replaying' | 'live' | 'stopped';

/**
 * One connection's subscription: every event after the client's `fromSeq`, in seq order, each
 * exactly once — first replayed from the log, then live.
 *
 * The handoff from replay to live: the stream registers for live events before it reads the
 * log. While replaying it does not buffer live events, it only notes the highest seq published
 * (the log is the buffer). When a log read comes back short (the log had nothing more at that
 * moment) and no event was published since, it switches to live in the same synchronous step:
 * commits publish synchronously, so the next event published is exactly the one after the last
 * one replayed. Live events at or below the last sent seq are dropped.
 *
 * Memory: replay sends a page, then waits until it has left the process before reading the
 * next, so a slow reader slows its own replay and nothing piles up. Live events are written as
 * they come; when the connection's queue is over `maxBufferedBytes` the stream sends a
 * `slow_consumer` resync and stops (the client subscribes again and replays from the log).
 */
export class EventStream {
  private state: StreamState = 'opened';
  /** The seq of the last event sent, or the client's fromSeq before any. */
  private sentSeq: number;
  /** The highest seq published since the stream registered for live events. */
  private publishedSeq = 0;
  private readonly stopListening: () => void;
  private readonly limits: EventStreamLimits;
  private headSeqAtOpen = 0;
  private truncatedAtOpen = false;

  private constructor(
    private readonly source: EventStreamSource,
    private readonly sink: EventSink,
    fromSeq: number,
    /** Whose view of the orders the frames carry (see visibility.ts), read at each frame. */
    private readonly role: () => Role,
  ) {
    this.sentSeq = fromSeq;
    this.limits = source.limits;
    this.stopListening = source.live.subscribe((live) => this.onLive(live));
  }

  /**
   * Registers for live events and reads where the log stands; nothing is sent until `start()`,
   * so the caller can answer the subscribe request first.
   */
  static async open(
    source: EventStreamSource,
    sink: EventSink,
    fromSeq: number,
    role: Role | (() => Role),
  ): Promise<EventStream> {
    const stream = new EventStream(source, sink, fromSeq, typeof role === 'function' ? role : () => role);
    try {
      const oldestSeq = await source.log.oldestSeq();
      const headSeq = await source.log.headSeq();
      stream.headSeqAtOpen = Math.max(headSeq, stream.publishedSeq);
      // A client ahead of the log saw events this log does not have (e.g. a restored database):
      // like one behind the retained events, it must refetch rather than wait for seqs it skipped.
      stream.truncatedAtOpen = fromSeq + 1 < oldestSeq || fromSeq > stream.headSeqAtOpen;
    } catch (err) {
      stream.stop();
      throw err;
    }
    return stream;
  }

  /** The newest seq when the stream opened: replay is complete once the client applied it. */
  get headSeq(): number {
    return this.headSeqAtOpen;
  }

  /** Begins sending: a `log_truncated` resync, or the replay then live events. */
  start(): void {
    if (this.state !== 'opened') return;
    if (this.truncatedAtOpen) return this.resync('log_truncated');
    this.state = 'replaying';
    this.runReplay();
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.stopListening();
  }

  private onLive({ event, frameFor }: LiveEvent): void {
    if (event.seq > this.publishedSeq) this.publishedSeq = event.seq;
    // Opened or replaying: the replay reads this event from the log.
    if (this.state !== 'live' || event.seq <= this.sentSeq) return;
    if (event.seq !== this.sentSeq + 1) {
      // Not reachable with one writing process; if another process appended to the same log,
      // its events are in the log though never published here: fetch them from there.
      this.state = 'replaying';
      return this.runReplay();
    }
    if (this.sink.bufferedAmount > this.limits.maxBufferedBytes) return this.resync('slow_consumer');
    this.sink.write(frameFor(this.role()));
    this.sentSeq = event.seq;
  }

  /**
   * Runs one replay loop. Only called on entering 'replaying', and the loop leaves that state
   * in the same synchronous step as it ends, so two loops never run at once.
   */
  private runReplay(): void {
    this.replay().catch((err: unknown) => {
      if (this.state === 'stopped') return;
      this.stop();
      this.sink.fail(err);
    });
  }

  private async replay(): Promise<void> {
    const { replayPageSize } = this.limits;
    while (this.state === 'replaying') {
      const page = await this.source.log.readAfter(this.sentSeq, replayPageSize);
      if (this.state !== 'replaying') return;
      // Seqs are consecutive: a jump means retention deleted events this client still needed.
      if (page.length > 0 && page[0]!.seq !== this.sentSeq + 1) return this.resync('log_truncated');

      const pageWritten = this.writePage(page);
      if (page.length < replayPageSize && this.publishedSeq <= this.sentSeq) {
        this.state = 'live';
        return;
      }
      await pageWritten;
    }
  }

  /** Writes a replayed page; resolves once its last frame has left the process. */
  private writePage(page: readonly OrderEvent[]): Promise<void> {
    return new Promise((resolve) => {
      if (page.length === 0) return resolve();
      page.forEach((event, index) => {
        this.sink.write(this.frameOf(event), index === page.length - 1 ? resolve : undefined);
        this.sentSeq = event.seq;
      });
    });
  }

  private frameOf(event: OrderEvent): Buffer {
    const role = this.role();
    return this.source.frames?.frameFor(event, role) ?? encodeEventFrame(event, role);
  }

  private resync(reason: ResyncFrame['reason']): void {
    this.stop();
    // Every event sent was either in the log at open or published since.
    const headSeq = Math.max(this.publishedSeq, this.headSeqAtOpen);
    const frame: ResyncFrame = { type: 'resync', reason, headSeq };
    this.sink.write(JSON.stringify(frame));
  }
}
