import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OrderCacheDatabase } from '../../../../src/main/services/cache/OrderCacheDatabase';
import { tempCachePath } from './cache-fixtures';

const BATCH = 500;
const BATCHES = 6;
const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));

/**
 * Event seq n creates order n, so "the seq and its orders were kept together" is count == lastSeq.
 * The writer runs in its own process, killed with SIGKILL: no handler runs and the worker thread
 * dies mid-transaction, as in a real crash (terminating only the worker thread can take the test
 * process down with it while SQLite is inside a native call).
 */
describe('order cache killed (SIGKILL) while applying events', () => {
  it.each([0, 100, 250, 500])(
    'keeps each event and its seq together (kill after %i ms)',
    async (killAfterMs) => {
      const path = tempCachePath();
      const dataKey = randomBytes(32);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', WRITER, path, dataKey.toString('hex'), String(BATCH), String(BATCHES)],
        { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      const answered: number[] = [];
      const failures: string[] = [];
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        child.on('message', (message: { type: string; id?: number; message?: string }) => {
          if (message.type === 'ready') resolve();
          else if (message.type === 'ack') answered.push(message.id!);
          else failures.push(message.message ?? 'failed');
        });
        child.once('exit', (code) => reject(new Error(`writer exited before it was ready (${code})`)));
      });
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      child.kill('SIGKILL');
      await exited;

      expect(failures).toEqual([]);
      const reopened = new OrderCacheDatabase(path, { dataKey });
      try {
        const lastSeq = reopened.lastSeq();
        expect(lastSeq % BATCH).toBe(0);
        expect(reopened.count()).toBe(lastSeq);
        // Every acknowledged batch survived; an unacknowledged one may have committed before the kill.
        expect(lastSeq).toBeGreaterThanOrEqual(answered.length * BATCH);
        if (lastSeq > 0)
          expect(reopened.get(`ord_${lastSeq}`)?.order.customer.name).toBe(`Crash Test ${lastSeq}`);
        expect(reopened.get(`ord_${lastSeq + 1}`)).toBeNull();
      } finally {
        reopened.close();
      }
    },
    30_000,
  );
});
