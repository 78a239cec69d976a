import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/** Owner read/write only: key files and audit checkpoints are nobody else's business. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Writes `text` to `path` so that a reader sees the old file or the new one, never a torn one:
 * a 0600 temporary file beside it is written and flushed, then renamed over `path` (`replace`)
 * or hard-linked to it (`create`, which fails with EEXIST rather than replace a file).
 */
export function writePrivateFile(path: string, text: string, mode: 'create' | 'replace'): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (mode === 'create') linkSync(temporary, path);
    else renameSync(temporary, path);
    syncDirectory(dirname(path));
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Makes the new directory entry itself durable (POSIX only: Windows cannot open a directory). */
function syncDirectory(path: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
