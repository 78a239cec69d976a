import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * The co-browse snippet shops embed (src/cobrowse): one minified IIFE with everything inside
 * (rrweb's recorder, zod, the protocol), no imports, no CSS file, no globals of its own.
 */
export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(root, 'out/cobrowse'),
    emptyOutDir: true,
    target: 'es2019',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: resolve(root, 'src/cobrowse/index.ts'),
      formats: ['iife'],
      name: 'AgentDeskCobrowse',
      fileName: () => 'agent-desk-cobrowse.js',
    },
  },
});
