import { parentPort, workerData } from 'node:worker_threads';
import { DeskError } from '../../../shared/errors';
import { deleteCacheFiles } from './cache-files';
import { OrderCacheDatabase } from './OrderCacheDatabase';
import type {
  OrderCacheMethod,
  OrderCacheMethods,
  OrderCacheRequest,
  OrderCacheResponse,
  OrderCacheWorkerData,
} from './order-cache-protocol';

/**
 * The order cache worker: owns the SQLite database and answers OrderCacheClient's requests one
 * at a time, in the order they arrive (the database is synchronous, so they cannot interleave).
 */
const data = workerData as OrderCacheWorkerData;
const port = parentPort;
if (!port) throw new Error('order-cache-worker must run in a worker thread');

const open = (dataKey: Uint8Array) =>
  new OrderCacheDatabase(data.path, {
    dataKey,
    ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}),
  });

let database = open(data.dataKey);

/**
 * Index work a migration left for later (OrderCacheDatabase.backfillStep), one short step per
 * turn of the event loop: requests that arrive meanwhile are answered between steps. A step
 * that fails stops the run; searches stay correct without it and the next start resumes it.
 */
function runBackfill(): void {
  const step = () => {
    let more = false;
    try {
      more = database.backfillStep();
    } catch {
      more = false;
    }
    if (more) setImmediate(step);
  };
  setImmediate(step);
}
runBackfill();

type Handlers = {
  [M in OrderCacheMethod]: (params: OrderCacheMethods[M]['params']) => OrderCacheMethods[M]['result'];
};

const handlers: Handlers = {
  put: (orders) => database.put(orders),
  get: (id) => database.get(id),
  search: (query) => database.search(query),
  forCustomer: ({ customerId, limit }) => database.forCustomer(customerId, limit),
  applyEvents: (events) => database.applyEvents(events),
  lastSeq: () => database.lastSeq(),
  recentOrderIds: ({ limit }) => database.recentOrderIds(limit),
  resync: ({ orders, headSeq }) => database.resync(orders, headSeq),
  evict: (limits) => database.evict(limits),
  count: () => database.count(),
  outboxEnqueue: (request) => database.outbox.enqueue(request),
  outboxList: ({ status }) => database.outbox.list(status),
  outboxSettle: ({ idempotencyKey, settlement }) => database.outbox.settle(idempotencyKey, settlement),
  checkpoint: () => {
    database.checkpoint();
    return null;
  },
  wipe: ({ dataKey }) => {
    // Deleting the files (not DELETE + VACUUM) leaves no free pages or WAL frames behind.
    database.close();
    deleteCacheFiles(data.path);
    database = open(dataKey);
    return null;
  },
  close: () => {
    database.close();
    return null;
  },
};

port.on('message', (request: OrderCacheRequest) => {
  let response: OrderCacheResponse;
  try {
    // The method picks its own params type; TypeScript cannot correlate the two through the map.
    const handler = handlers[request.method] as (
      params: unknown,
    ) => OrderCacheMethods[OrderCacheMethod]['result'];
    if (typeof handler !== 'function')
      throw new DeskError('UNKNOWN_METHOD', `No cache method ${request.method}`);
    response = { id: request.id, ok: true, result: handler(request.params) };
  } catch (err) {
    response = { id: request.id, ok: false, error: DeskError.from(err).toInfo() };
  }
  port.postMessage(response);
});
