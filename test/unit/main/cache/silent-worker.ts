import { parentPort } from 'node:worker_threads';

// A cache worker that never answers: OrderCacheClient's requests must time out.
parentPort?.on('message', () => undefined);
