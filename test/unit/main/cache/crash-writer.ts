import type {
  OrderCacheRequest,
  OrderCacheResponse,
} from '../../../../src/main/services/cache/order-cache-protocol';
import { spawnOrderCacheWorker } from '../../../../src/main/services/cache/spawn-order-cache-worker';
import { orderEvent, testOrder } from './cache-fixtures';

/**
 * A process that streams event batches into the cache worker and reports each answered batch
 * to its parent, which kills it with SIGKILL part-way: the crash the cache must survive.
 * argv: cache path, data key (hex), batch size, batch count.
 */
const [path, keyHex, batchText, batchesText] = process.argv.slice(2) as [string, string, string, string];
const batchSize = Number(batchText);
const batches = Number(batchesText);

const worker = spawnOrderCacheWorker({ path, dataKey: Buffer.from(keyHex, 'hex') });
worker.on('message', (response: OrderCacheResponse) => {
  if (response.id === 0) {
    // Opened and migrated: the parent's clock starts now.
    process.send?.({ type: 'ready' });
    for (let index = 0; index < batches; index += 1) {
      const params = Array.from({ length: batchSize }, (_, offset) => {
        const seq = index * batchSize + offset + 1;
        return orderEvent(seq, testOrder({ id: `ord_${seq}`, name: `Crash Test ${seq}` }));
      });
      const request: OrderCacheRequest<'applyEvents'> = { id: index + 1, method: 'applyEvents', params };
      worker.postMessage(request);
    }
    return;
  }
  process.send?.(
    response.ok ? { type: 'ack', id: response.id } : { type: 'failed', message: response.error.message },
  );
});
const ready: OrderCacheRequest<'lastSeq'> = { id: 0, method: 'lastSeq', params: null };
worker.postMessage(ready);
