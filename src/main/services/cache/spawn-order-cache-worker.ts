import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OrderCacheWorkerData } from './order-cache-protocol';

/** The worker module beside this one: .ts under tsx and vitest, .js once built. */
export const ORDER_CACHE_WORKER_SCRIPT = new URL(
  `./order-cache-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/**
 * Starts the cache worker. A TypeScript entry (tests, benchmarks) is loaded through tsx's
 * loader, which `--import tsx` in execArgv does not install in a worker on Node 20.
 */
export function spawnOrderCacheWorker(
  data: OrderCacheWorkerData,
  script: URL = ORDER_CACHE_WORKER_SCRIPT,
): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script, { workerData: data });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
