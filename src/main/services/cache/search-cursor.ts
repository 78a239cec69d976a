import { DeskError } from '../../../shared/errors';

/** Keyset cursors: the local seq of the last row returned, opaque so the format may change. */
const CURSOR_PATTERN = /^seq:(\d{1,16})$/;

export function encodeCacheCursor(lastSeq: number): string {
  return Buffer.from(`seq:${lastSeq}`, 'utf8').toString('base64url');
}

export function decodeCacheCursor(cursor: string): number {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new DeskError('BAD_REQUEST', 'Invalid cache search cursor');
  return Number(match[1]);
}
