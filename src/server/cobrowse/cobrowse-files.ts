import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';

/** Where shops load the snippet from: `<script src="https://gateway/cobrowse/agent-desk-cobrowse.js" async>`. */
export const SNIPPET_PATH = '/cobrowse/agent-desk-cobrowse.js';
/** The demo shop's pages (served with --demo only). */
export const DEMO_SHOP_PATH = '/demo/shop/';

/** The built snippet: out/cobrowse in the repository (electron-vite writes it there). */
export const DEFAULT_SNIPPET_DIR = resolve(import.meta.dirname, '../../../out/cobrowse');
/** The demo shop's static pages, in the source tree. */
export const DEMO_SHOP_DIR = resolve(import.meta.dirname, '../demo/shop');

/**
 * `agent-desk-cobrowse.js`, or a versioned name: `agent-desk-cobrowse-1.2.0.js` (a release) or
 * `agent-desk-cobrowse.3f9a1c2b.js` (a content hash). Nothing else under /cobrowse/ is served.
 */
const SNIPPET_NAME = /^agent-desk-cobrowse(?:-(\d+\.\d+\.\d+(?:-[0-9a-z.]+)?)|\.([0-9a-f]{8,64}))?\.js$/;
/** A versioned file never changes: a year, immutable. The plain name is checked on every load. */
const LONG_CACHE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

export interface CobrowseFilesOptions {
  /** The built snippet's directory (default DEFAULT_SNIPPET_DIR). */
  snippetDir?: string;
  /** Serve the demo shop under DEMO_SHOP_PATH. */
  demoShop?: boolean;
}

/**
 * The co-browse snippet for shops to embed (any origin may load it: it is public code, served
 * without credentials), and with --demo a small shop to try it on. Answers true when the path
 * was one of its own.
 */
export function createCobrowseFiles(
  options: CobrowseFilesOptions = {},
): (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean> {
  const snippetDir = options.snippetDir ?? DEFAULT_SNIPPET_DIR;
  // The shop's files are listed once: a request can only name one of them.
  const shopFiles = options.demoShop
    ? new Set(readdirSync(DEMO_SHOP_DIR).filter((name) => /^[a-z0-9-]+\.(html|css|svg)$/.test(name)))
    : new Set<string>();

  return async (request, response, path) => {
    if (path.startsWith('/cobrowse/')) {
      if (!allowMethod(request, response)) return true;
      await serveSnippet(response, snippetDir, path.slice('/cobrowse/'.length), request);
      return true;
    }
    if (!options.demoShop || !(path === '/demo/shop' || path.startsWith(DEMO_SHOP_PATH))) return false;
    if (!allowMethod(request, response)) return true;
    if (path === '/demo/shop') {
      response.writeHead(301, { location: DEMO_SHOP_PATH, 'content-length': 0 });
      response.end();
      return true;
    }
    const name = path === DEMO_SHOP_PATH ? 'index.html' : path.slice(DEMO_SHOP_PATH.length);
    if (!shopFiles.has(name)) {
      sendText(response, 404, 'No such page in the demo shop');
      return true;
    }
    const body = await readFile(join(DEMO_SHOP_DIR, name));
    send(response, request, body, {
      'content-type': contentTypeOf(name),
      'cache-control': 'no-cache',
      'referrer-policy': 'no-referrer',
    });
    return true;
  };
}

async function serveSnippet(
  response: ServerResponse,
  dir: string,
  name: string,
  request: IncomingMessage,
): Promise<void> {
  const match = SNIPPET_NAME.exec(name);
  if (!match)
    return sendText(response, 404, 'No such file: the co-browse snippet is /cobrowse/agent-desk-cobrowse.js');
  let body: Buffer;
  try {
    body = await readFile(join(dir, name));
  } catch {
    return sendText(
      response,
      404,
      `The co-browse snippet is not built: run \`npm run build\` (it writes out/cobrowse/${name}).`,
    );
  }
  const versioned = match[1] !== undefined || match[2] !== undefined;
  send(response, request, body, {
    'content-type': CONTENT_TYPES.js!,
    'cache-control': versioned ? LONG_CACHE : 'no-cache',
    // Public code loaded by shop pages on other origins, with or without crossorigin (SRI).
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
  });
}

/** GET and HEAD only; anything else is answered 405 here. */
function allowMethod(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  response.setHeader('allow', 'GET, HEAD');
  sendText(response, 405, 'Method not allowed');
  return false;
}

function send(
  response: ServerResponse,
  request: IncomingMessage,
  body: Buffer,
  headers: Record<string, string>,
): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const common = { ...headers, etag, 'x-content-type-options': 'nosniff' };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, common);
    response.end();
    return;
  }
  response.writeHead(200, { ...common, 'content-length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}

function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}
