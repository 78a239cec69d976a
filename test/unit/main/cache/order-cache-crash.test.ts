import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { OrderCacheDatabase } from '../../../../src/main/services/cache/OrderCacheDatabase';
import type {
  OrderCacheRequest,
  OrderCacheResponse,
} from '../../../../src/main/services/cache/order-cache-protocol';
import { spawnOrderCacheWorker } from '../../../../src/main/services/cache/spawn-order-cache-worker';
import { orderEvent, tempCachePath, testOrder } from './cache-fixtures';

const BATCH = 500;
const BATCHES = 6;

/**
 * Event seq n creates order n, so "the seq and its orders were kept together" is count == lastSeq.
 * All are created in the same millisecond, beyond the 1000 seqs one millisecond holds.
 */
const batch = (index: number) =>
  Array.from({ length: BATCH }, (_, offset) => {
    const seq = index * BATCH + offset + 1;
    return orderEvent(seq, testOrder({ id: `ord_${seq}`, name: `Crash Test ${seq}` }));
  });

describe('order cache worker killed while applying events', () => {
  it.each([0, 100, 250, 500])(
    'keeps each event and its seq together (kill after %i ms)',
    async (killAfterMs) => {
      const path = tempCachePath();
      const dataKey = randomBytes(32);
      const worker = spawnOrderCacheWorker({ path, dataKey });
      const answered: number[] = [];
      const failures: string[] = [];
      worker.on('message', (response: OrderCacheResponse) => {
        if (response.ok) answered.push(response.id);
        else failures.push(response.error.message);
      });
      // Opened and migrated before the clock starts.
      const ready: OrderCacheRequest<'lastSeq'> = { id: 0, method: 'lastSeq', params: null };
      worker.postMessage(ready);
      await once(worker, 'message');

      for (let index = 0; index < BATCHES; index += 1) {
        const request: OrderCacheRequest<'applyEvents'> = {
          id: index + 1,
          method: 'applyEvents',
          params: batch(index),
        };
        worker.postMessage(request);
      }
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      await worker.terminate();

      expect(failures).toEqual([]);
      const reopened = new OrderCacheDatabase(path, { dataKey });
      try {
        const lastSeq = reopened.lastSeq();
        expect(lastSeq % BATCH).toBe(0);
        expect(reopened.count()).toBe(lastSeq);
        // Every acknowledged batch survived; an unacknowledged one may have committed before the kill.
        expect(lastSeq).toBeGreaterThanOrEqual((answered.length - 1) * BATCH);
        if (lastSeq > 0)
          expect(reopened.get(`ord_${lastSeq}`)?.order.customer.name).toBe(`Crash Test ${lastSeq}`);
        expect(reopened.get(`ord_${lastSeq + 1}`)).toBeNull();
      } finally {
        reopened.close();
      }
    },
  );
});
