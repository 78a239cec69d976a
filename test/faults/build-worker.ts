import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the order cache worker to plain JavaScript once, as the app's build does: a worker
 * started from the .ts source loads tsx first, which costs more than a whole fault run.
 */
export async function buildCacheWorker(outDir: string): Promise<URL> {
  const outfile = join(outDir, 'order-cache-worker.mjs');
  await build({
    entryPoints: [new URL('../../src/main/services/cache/order-cache-worker.ts', import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'silent',
    // better-sqlite3 is CommonJS: give the ESM bundle a require for it.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return pathToFileURL(outfile);
}
