import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * rrweb 2.x lists Element's querySelector and querySelectorAll among the *accessors* it checks
 * for being native; they are methods, so the check always fails and rrweb builds a hidden
 * iframe in the shop's page to borrow an untouched Element prototype, inside the first full
 * snapshot (about 40 ms here, and a DOM change the shop's own observers see). Checked as
 * methods, as rrweb means them to be, a page that did not patch them needs no iframe. The
 * build fails if the @rrweb/record code no longer has these lines (then look again).
 */
function rrwebElementCheck(): Plugin {
  const accessors = 'Element: ["shadowRoot", "querySelector", "querySelectorAll"],';
  const methods = '  Element: [],';
  return {
    name: 'agent-desk:rrweb-element-check',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').includes('/@rrweb/record/dist/record.js')) return null;
      if (code.split(accessors).length !== 2 || code.split(methods).length !== 2) {
        this.error('@rrweb/record changed: review rrwebElementCheck in vite.cobrowse.config.ts');
      }
      return code
        .replace(accessors, 'Element: ["shadowRoot"],')
        .replace(methods, '  Element: ["querySelector", "querySelectorAll"],');
    },
  };
}

/**
 * The co-browse snippet shops embed (src/cobrowse): one minified IIFE with everything inside
 * (rrweb's recorder, zod, the protocol), no imports, no CSS file, no globals of its own.
 */
export default defineConfig({
  plugins: [rrwebElementCheck()],
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
