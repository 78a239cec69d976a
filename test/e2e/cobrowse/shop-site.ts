import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * A small shop page on loopback for the desk's co-browse spec: order status, an after-sales form,
 * the address form (contact and address fields tagged as the snippet expects) and a payment form
 * (always blocked), long enough to scroll. It records itself with rrweb (browser/cobrowse-recorder).
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>Order AD-26-001042 · Demo Shop</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1f2329; background: #f5f6f7; }
  header { display: flex; align-items: center; gap: 12px; padding: 14px 28px; background: #0f5132; color: #fff; }
  header img { width: 32px; height: 32px; }
  header strong { font-size: 20px; }
  main { max-width: 880px; margin: 0 auto; padding: 20px 28px 400px; }
  section { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 17px; margin: 0 0 12px; }
  .status { display: inline-block; padding: 2px 10px; border-radius: 12px; background: #e6f4ea; color: #0f5132; font-weight: 600; }
  label { display: block; margin: 10px 0 4px; font-weight: 600; }
  input, textarea, select { width: 100%; box-sizing: border-box; padding: 8px; font: inherit; border: 1px solid #b8c0cc; border-radius: 6px; }
  .row { display: flex; gap: 12px; } .row > div { flex: 1; }
  button { margin-top: 12px; padding: 8px 18px; font: inherit; border: 0; border-radius: 6px; background: #0f5132; color: #fff; }
  table { width: 100%; border-collapse: collapse; } td { padding: 6px 0; border-bottom: 1px solid #eef0f2; }
</style>
</head>
<body>
<header><img src="/logo.svg" alt="" /><strong>Demo Shop</strong><span>Help · My orders</span></header>
<main>
  <section id="order">
    <h1>Order AD-26-001042</h1>
    <p>Status: <span class="status" id="status">Shipped</span> · Placed 3 March</p>
    <table>
      <tr><td>Trail running shoes, size 42</td><td>¥ 699.00</td></tr>
      <tr><td>Merino socks (2 pairs)</td><td>¥ 89.00</td></tr>
    </table>
    <p>Delivered to <span data-agent-desk="contact" id="recipient">Li Wei, +86 138 0013 8000</span></p>
  </section>
  <section id="returns">
    <h2>Return or exchange</h2>
    <label for="reason">Reason</label>
    <select id="reason"><option>Wrong size</option><option>Damaged</option><option>Changed my mind</option></select>
    <label for="details">Details</label>
    <textarea id="details" rows="2"></textarea>
    <button id="send-return">Send request</button>
  </section>
  <section id="address">
    <h2>Delivery address</h2>
    <div class="row">
      <div><label for="phone">Phone</label><input id="phone" data-agent-desk="contact" value="+86 138 0013 8000" /></div>
      <div><label for="city">City</label><input id="city" value="Shanghai" /></div>
    </div>
    <label for="line1">Street</label>
    <input id="line1" data-agent-desk="address" value="88 Century Avenue, Pudong" />
    <p data-agent-desk="address">Room 1203, 88 Century Avenue</p>
  </section>
  <section id="payment" data-agent-desk="payment">
    <h2>Payment</h2>
    <label for="card">Card number</label>
    <input id="card" value="4111 1111 1111 1111" />
  </section>
</main>
</body>
</html>`;

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#f2c14e"/><path d="M8 12h16l-2 12H10z" fill="#0f5132"/><path d="M12 12a4 4 0 0 1 8 0" stroke="#0f5132" stroke-width="2" fill="none"/></svg>`;

export interface ShopSite {
  url: string;
  close(): Promise<void>;
}

export async function startShopSite(): Promise<ShopSite> {
  const bundled = await build({
    entryPoints: [join(import.meta.dirname, '../browser/cobrowse-recorder.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  });
  const recorderJs = bundled.outputFiles[0]!.text;
  const page = PAGE.replace('</body>', '<script src="/recorder.js"></script>\n</body>');
  const server: Server = createServer((req, res) => {
    if (req.url === '/recorder.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(recorderJs);
    } else if (req.url === '/logo.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO);
    } else if (req.url === '/' || req.url?.startsWith('/orders')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/orders/AD-26-001042`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
