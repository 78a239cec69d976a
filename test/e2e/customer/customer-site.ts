import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Customer phone</title></head>
  <body><h1>Customer phone</h1><script src="/customer-phone.js"></script></body>
</html>`;

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, '../browser', entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  });
  return result.outputFiles[0]!.text;
}

export interface CustomerSite {
  url: string;
  /** Script for page.addInitScript on the agent's page (see browser/agent-page-probe.ts). */
  probeScript: string;
  close(): Promise<void>;
}

/** Serves the customer phone page (its own sip.js user agent) on loopback. */
export async function startCustomerSite(): Promise<CustomerSite> {
  const [phoneJs, probeScript] = await Promise.all([
    bundle('customer-phone.ts'),
    bundle('agent-page-probe.ts'),
  ]);
  const server: Server = createServer((req, res) => {
    if (req.url === '/customer-phone.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(phoneJs);
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    probeScript,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
