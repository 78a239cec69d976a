import type { CustomerFrame } from '../shared/cobrowse-protocol';
import { COBROWSE_CHUNK_BYTES } from './contract';

/** The most events one batch may carry (the protocol's RecordedEvents). */
export const MAX_BATCH_EVENTS = 5_000;
/** The most chunks one batch may be split into (the protocol's `parts`). */
export const MAX_CHUNK_PARTS = 64;
export const FLUSH_MS = 50;

type EventsFrame = Extract<CustomerFrame, { type: 'events' }>;
type ChunkFrame = Extract<CustomerFrame, { type: 'chunk' }>;

const encoder = new TextEncoder();

/** UTF-8 size of a string (what the websocket sends). */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** What `part` adds to a frame as a JSON string: escaped, UTF-8 encoded, without its quotes. */
function frameBytes(part: string): number {
  return utf8Bytes(JSON.stringify(part)) - 2;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** `end`, moved so that it does not fall between the two halves of a surrogate pair. */
function boundary(text: string, start: number, end: number): number {
  if (end >= text.length || !isHighSurrogate(text.charCodeAt(end - 1))) return end;
  return end - 1 > start ? end - 1 : end + 1;
}

/**
 * Splits `text` so that each part, as a JSON string inside a frame, is at most `maxBytes`
 * (UTF-8), never between the two halves of a surrogate pair. Sizes are measured natively
 * (JSON.stringify and TextEncoder) on whole parts, not character by character in script:
 * a megabyte of events splits in a few milliseconds.
 */
export function splitForFrames(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = boundary(text, start, Math.min(text.length, start + maxBytes));
    for (;;) {
      const bytes = frameBytes(text.slice(start, end));
      if (bytes <= maxBytes || end - start <= 2) break;
      const shorter = Math.max(1, Math.floor(((end - start) * maxBytes * 0.97) / bytes));
      end = boundary(text, start, start + shorter);
    }
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

/** A frame and its text as it goes on the wire (serialized once). */
export interface EncodedFrame {
  frame: EventsFrame | ChunkFrame;
  text: string;
}

/**
 * One batch as frames: an `events` frame, or, when its serialized form is over `chunkBytes`,
 * the JSON text of `{ events }` split into `chunk` frames (parts in order, joined they give
 * that text back). A batch that would need more than MAX_CHUNK_PARTS parts gives no frames.
 * The events are serialized once.
 */
export function encodeBatch(
  seq: number,
  events: readonly unknown[],
  chunkBytes = COBROWSE_CHUNK_BYTES,
): EncodedFrame[] {
  const json = JSON.stringify(events);
  const text = `{"type":"events","seq":${seq},"events":${json}}`;
  // At most three bytes per code unit, at least one.
  if (text.length * 3 <= chunkBytes || (text.length <= chunkBytes && utf8Bytes(text) <= chunkBytes)) {
    return [{ frame: { type: 'events', seq, events: events as unknown[] }, text }];
  }
  const data = splitForFrames(`{"events":${json}}`, chunkBytes);
  if (data.length > MAX_CHUNK_PARTS) return [];
  return data.map((part, index) => {
    const frame: ChunkFrame = { type: 'chunk', seq, part: index, parts: data.length, data: part };
    return { frame, text: JSON.stringify(frame) };
  });
}

export interface BatcherOptions {
  /** Sends one frame; false when the connection cannot take it now. */
  send: (frame: EncodedFrame) => boolean;
  /** The next batch number (counted per session, from 1). */
  nextSeq: () => number;
  /** Asked before each batch goes; false drops what is pending. */
  beforeFlush?: () => boolean;
  /** Called for a batch too big to send at all (it is dropped: the agent should resync). */
  onDropped?: (events: number) => void;
  flushMs?: number;
  chunkBytes?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Collects recorded events and sends them about every FLUSH_MS, so a burst of mutations
 * becomes one frame rather than hundreds, and one change is still on its way within 50 ms.
 */
export class EventBatcher {
  private pending: unknown[] = [];
  private timer: unknown = null;
  private readonly flushMs: number;
  private readonly chunkBytes: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: BatcherOptions) {
    this.flushMs = options.flushMs ?? FLUSH_MS;
    this.chunkBytes = options.chunkBytes ?? COBROWSE_CHUNK_BYTES;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  get size(): number {
    return this.pending.length;
  }

  push(event: unknown): void {
    this.pending.push(event);
    if (this.pending.length >= MAX_BATCH_EVENTS) this.flush();
    else if (this.timer === null) this.timer = this.setTimer(() => this.flush(), this.flushMs);
  }

  /** Sends what is pending now; returns the frames sent. */
  flush(): number {
    this.cancelTimer();
    if (this.pending.length === 0) return 0;
    const events = this.pending;
    this.pending = [];
    if (this.options.beforeFlush && !this.options.beforeFlush()) return 0;
    const frames = encodeBatch(this.options.nextSeq(), events, this.chunkBytes);
    if (frames.length === 0) this.options.onDropped?.(events.length);
    let sent = 0;
    for (const frame of frames) {
      if (!this.options.send(frame)) break;
      sent++;
    }
    return sent;
  }

  /** Drops what is pending (masked under rules that no longer apply, or nobody to send it to). */
  clear(): void {
    this.cancelTimer();
    this.pending = [];
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }
}
