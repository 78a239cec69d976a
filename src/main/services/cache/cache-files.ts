import { rmSync } from 'node:fs';

/** The database, its WAL and shared-memory files: all of them hold order data. */
export function deleteCacheFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
}
