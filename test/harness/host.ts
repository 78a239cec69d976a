import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Language } from '../../src/shared/contract';
import { DeskServices } from '../../src/main/desk-services';
import { NodeDesktop } from './node-desktop';
import { createTestKeyProvider } from './test-key-provider';

/**
 * The test harness host: runs the real main-process services under Node (no Electron), serves
 * the built renderer and injects a `window.agentDesk` bridge that reaches those services over a
 * loopback websocket protected by a per-launch token.
 */
export interface HarnessOptions {
  rendererDir: string;
  dataDir: string;
  port?: number;
  defaultGatewayUrl: string;
  demoGatewayUrl: string | null;
  defaultLanguage?: Language;
  /**
   * A Content-Security-Policy header for the page, built per request (as Electron's app protocol
   * does from the phone settings); without it the page has only its meta policy.
   */
  documentPolicy?: (services: DeskServices) => string;
}

export interface Harness {
  /** Page URL including the token fragment: open this in the browser. */
  url: string;
  origin: string;
  token: string;
  services: DeskServices;
  /** What the desktop adapters were asked to show; lets a test press notification buttons and hotkeys. */
  desktop: NodeDesktop;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

async function bundleBridge(): Promise<string> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  });
  return result.outputFiles[0]!.text;
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const token = randomBytes(24).toString('base64url');
  const desktop = new NodeDesktop();
  const services = new DeskServices({
    dataDir: options.dataDir,
    appInfo: {
      version: process.env.npm_package_version ?? '0.0.0',
      platform: process.platform,
      host: 'harness',
    },
    defaultLanguage: options.defaultLanguage ?? 'zh-CN',
    defaultGatewayUrl: options.defaultGatewayUrl,
    demoGatewayUrl: options.demoGatewayUrl,
    desktop,
    keyProvider: createTestKeyProvider(),
  });
  await services.start();
  const bridgeJs = await bundleBridge();
  const rendererRoot = resolve(options.rendererDir);
  const indexHtml = (await readFile(join(rendererRoot, 'index.html'), 'utf8')).replace(
    '<head>',
    // A classic script runs before the app's deferred module script, like a preload.
    '<head>\n    <script src="/__harness/bridge.js"></script>',
  );

  const serveFile = async (req: IncomingMessage, res: ServerResponse) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname === '/__harness/bridge.js') {
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.js'], 'cache-control': 'no-store' });
      res.end(bridgeJs);
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      res.writeHead(200, {
        'content-type': CONTENT_TYPES['.html'],
        'cache-control': 'no-store',
        ...(options.documentPolicy ? { 'content-security-policy': options.documentPolicy(services) } : {}),
      });
      res.end(indexHtml);
      return;
    }
    const file = resolve(rendererRoot, normalize(pathname.replace(/^\/+/, '')));
    if (!file.startsWith(rendererRoot + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  };

  const server = createServer((req, res) => {
    serveFile(req, res).catch(() => res.writeHead(500).end());
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  let origin = '';

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // Same checks as the Electron sender check: our page, our token.
    if (
      url.pathname !== '/__harness/ipc' ||
      req.headers.origin !== origin ||
      !sameToken(url.searchParams.get('token'), token)
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket) => {
    const removeSink = services.addEventSink((event, payload) => {
      ws.send(JSON.stringify({ kind: 'event', message: { event, payload } }));
    });
    ws.on('close', removeSink);
    ws.on('message', (data) => {
      let call: { id: number; method: string; args: unknown };
      try {
        call = JSON.parse(data.toString());
      } catch {
        return;
      }
      void services.dispatch(call.method, call.args).then((envelope) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'result', id: call.id, envelope }));
      });
    });
  };

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    services,
    desktop,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await services.stop();
    },
  };
}
