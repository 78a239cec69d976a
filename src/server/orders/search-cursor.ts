import { DeskError } from '../../shared/errors';

/** Keyset cursors: the seq of the last row returned, opaque to clients so the format may change. */
const CURSOR_PATTERN = /^seq:(\d{1,15})$/;

export function encodeSearchCursor(lastSeq: number): string {
  return Buffer.from(`seq:${lastSeq}`, 'utf8').toString('base64url');
}

export function decodeSearchCursor(cursor: string): number {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new DeskError('BAD_REQUEST', 'Invalid search cursor');
  return Number(match[1]);
}
