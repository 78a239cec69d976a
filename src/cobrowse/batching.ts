import type { CustomerFrame } from '../shared/cobrowse-protocol';
import { COBROWSE_CHUNK_BYTES } from './contract';

/** The most events one batch may carry (the protocol's RecordedEvents). */
export const MAX_BATCH_EVENTS = 5_000;
/** The most chunks one batch may be split into (the protocol's `parts`). */
export const MAX_CHUNK_PARTS = 64;
export const FLUSH_MS = 50;

type EventsFrame = Extract<CustomerFrame, { type: 'events' }>;
type ChunkFrame = Extract<CustomerFrame, { type: 'chunk' }>;

/** Bytes one UTF-16 code unit adds to a frame once JSON-escaped and UTF-8 encoded. */
function frameBytes(code: number): number {
  if (code === 0x22 || code === 0x5c) return 2; // " and \ are escaped
  if (code < 0x20) return 6; // \u00XX (JSON text of a batch has none; counted for safety)
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  return 3; // a surrogate pair counts 3 + 3 >= its 4 bytes
}

/** UTF-8 size of a string (what the websocket sends). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Splits `text` so that each part, as a JSON string inside a frame, is at most `maxBytes`
 * (UTF-8), never between the two halves of a surrogate pair.
 */
export function splitForFrames(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length;
    const cost = pair ? 4 : frameBytes(code);
    if (bytes + cost > maxBytes && i > start) {
      parts.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += cost;
    if (pair) i++;
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * One batch as frames: an `events` frame, or, when its serialized form is over `chunkBytes`,
 * the JSON text of `{ events }` split into `chunk` frames (parts in order, joined they give
 * that text back). A batch that would need more than MAX_CHUNK_PARTS parts gives no frames.
 */
export function encodeBatch(
  seq: number,
  events: readonly unknown[],
  chunkBytes = COBROWSE_CHUNK_BYTES,
): (EventsFrame | ChunkFrame)[] {
  const frame: EventsFrame = { type: 'events', seq, events: events as unknown[] };
  const text = JSON.stringify(frame);
  // Three bytes per code unit at most: below the limit without counting.
  if (text.length * 3 <= chunkBytes || utf8Bytes(text) <= chunkBytes) return [frame];
  const data = splitForFrames(JSON.stringify({ events }), chunkBytes);
  if (data.length > MAX_CHUNK_PARTS) return [];
  return data.map((part, index) => ({ type: 'chunk', seq, part: index, parts: data.length, data: part }));
}

export interface BatcherOptions {
  /** Sends one frame; false when the connection cannot take it now. */
  send: (frame: CustomerFrame) => boolean;
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
