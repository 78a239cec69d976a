/**
 * The gateway's edge under attack (issue 13, items 5, 6 and 9): idle anonymous sockets, too many
 * connections, trickled requests, stale webhook snapshots and plain-text clients of a TLS
 * gateway. Each test replays the attack against a real gateway on loopback.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway, GatewayOptions } from '../../src/server/gateway';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { AgentClient } from '../unit/server/support/agent-client';
import { getText, metricValue } from '../unit/server/support/metrics-text';
import { platformFixture, platformFixtureText } from '../unit/server/support/platform-fixtures';
import { makeTempDir } from '../unit/server/support/temp-dir';
import { startTestGateway } from '../unit/server/support/test-gateway';
import { makeTestCertificate } from '../unit/server/support/tls-certificate';
import { SHOPIFY_TEST_SECRET, postWebhook, shopifyHeaders } from '../unit/server/support/webhook-requests';
import { mustBeRefused, mustOpen } from '../unit/server/support/websocket-upgrade';

/** Waits that bound a test that would otherwise hang on the unfixed gateway; never a speed claim. */
const GENEROUS_WAIT_MS = 20_000;

async function withGateway(
  options: Omit<GatewayOptions, 'port' | 'host' | 'logger' | 'dbPath'>,
  run: (gateway: Gateway, dir: string) => Promise<void>,
): Promise<void> {
  const dir = makeTempDir('agent-desk-security-');
  const gateway = await startTestGateway({ dbPath: join(dir.path, 'gateway.db'), ...options });
  try {
    await run(gateway, dir.path);
  } finally {
    await gateway.close();
    dir.remove();
  }
}

function withinGenerousWait<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what}: not within ${GENEROUS_WAIT_MS} ms`)),
      GENEROUS_WAIT_MS,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

const closedSocket = (socket: WebSocket) =>
  socket.readyState === WebSocket.CLOSED
    ? Promise.resolve()
    : new Promise<void>((resolve) => socket.once('close', () => resolve()));

describe('idle anonymous sockets', () => {
  it('closes 2,000 sockets that said hello but never signed in, each with TIMEOUT and 4408', async () => {
    const sockets = 2_000;
    await withGateway(
      {
        demo: { orders: 0 },
        signInTimeoutMs: 2_000,
        connectionCaps: { maxConnectionsPerAddress: sockets },
      },
      async (gateway) => {
        const clients: AgentClient[] = [];
        // In batches: the listen backlog of a loopback socket is not 2,000 deep.
        for (let opened = 0; opened < sockets; opened += 200) {
          const batch = await Promise.all(
            Array.from({ length: 200 }, async () => (await AgentClient.ready(gateway.url)).client),
          );
          clients.push(...batch);
        }
        const closes = await withinGenerousWait(
          Promise.all(
            clients.map(async (client) => ({
              frame: await client.next(GENEROUS_WAIT_MS),
              ...(await client.closed),
            })),
          ),
          'every idle socket closed',
        );
        expect(new Set(closes.map(({ code }) => code))).toEqual(new Set([4408]));
        expect(closes.every(({ frame }) => frame.type === 'error' && frame.error.code === 'TIMEOUT')).toBe(
          true,
        );
        expect(await metricValue(gateway.httpUrl, 'agent_desk_ws_timeouts_total{stage="sign_in"}')).toBe(
          sockets,
        );
        expect(await metricValue(gateway.httpUrl, 'agent_desk_ws_connections_open')).toBe(0);
      },
    );
  }, 120_000);
});

describe('too many connections', () => {
  const url = (gateway: Gateway) => `${gateway.url}${AGENT_WS_PATH}`;
  // Long enough that no socket of the test is closed for silence while the test runs.
  const quiet = { demo: { orders: 0 }, helloTimeoutMs: 120_000 };

  it('refuses a connection over the per-address cap with 503 and Retry-After, before the handshake', async () => {
    await withGateway(
      { ...quiet, connectionCaps: { maxConnections: 100, maxConnectionsPerAddress: 3 } },
      async (gateway) => {
        const admitted = await Promise.all([1, 2, 3].map(() => mustOpen(url(gateway))));
        const refusal = await mustBeRefused(url(gateway));
        expect(refusal.status).toBe(503);
        expect(refusal.headers['retry-after']).toBe('10');
        expect(JSON.parse(refusal.body)).toEqual({
          error: { code: 'RATE_LIMITED', message: 'Too many connections from this address: try again later' },
        });
        // Another client address is not affected.
        const other = await mustOpen(url(gateway), { localAddress: '127.0.0.2' });
        // A closed connection frees its place.
        admitted[0]!.close();
        await closedSocket(admitted[0]!);
        await withinGenerousWait(retryUntilOpen(url(gateway)), 'a place freed');
        expect(
          await metricValue(gateway.httpUrl, 'agent_desk_ws_connections_refused_total{reason="address_cap"}'),
        ).toBeGreaterThanOrEqual(1);
        for (const socket of [...admitted, other]) socket.terminate();
      },
    );
  });

  it('refuses a connection over the total cap with 503, whatever its address', async () => {
    await withGateway(
      { ...quiet, connectionCaps: { maxConnections: 4, maxConnectionsPerAddress: 3 } },
      async (gateway) => {
        const admitted = await Promise.all(
          ['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.3'].map((localAddress) =>
            mustOpen(url(gateway), { localAddress }),
          ),
        );
        const refusal = await mustBeRefused(url(gateway), { localAddress: '127.0.0.4' });
        expect(refusal.status).toBe(503);
        expect(refusal.headers['retry-after']).toBe('10');
        expect(JSON.parse(refusal.body)).toMatchObject({ error: { code: 'GATEWAY_UNAVAILABLE' } });
        expect(
          await metricValue(gateway.httpUrl, 'agent_desk_ws_connections_refused_total{reason="total_cap"}'),
        ).toBe(1);
        for (const socket of admitted) socket.terminate();
      },
    );
  });
});

/** Opens a websocket, retrying while the gateway has not yet seen the freed connection close. */
async function retryUntilOpen(url: string): Promise<void> {
  for (;;) {
    try {
      (await mustOpen(url)).terminate();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('slow HTTP clients', () => {
  const timeouts = { headersMs: 500, requestMs: 1_500, keepAliveMs: 500 };

  it('cuts a webhook whose body trickles in, answers 408, and stores nothing', async () => {
    await withGateway(
      { platforms: { shopify: { secret: SHOPIFY_TEST_SECRET } }, httpTimeouts: timeouts },
      async (gateway, dir) => {
        const body = platformFixtureText('shopify/order-1042-paid.json');
        const headers = shopifyHeaders(body, 'orders/create');
        const head =
          'POST /webhooks/shopify HTTP/1.1\r\nHost: gateway\r\n' +
          Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) })
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('') +
          '\r\n';
        // One byte every 200 ms: the whole body would take about 15 minutes.
        const { received, bytesSent } = await withinGenerousWait(
          trickle(gateway.port, head, body, 200),
          'the trickled request cut',
        );
        expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
        expect(bytesSent).toBeLessThan(Buffer.byteLength(body));
        expect(await metricValue(gateway.httpUrl, 'agent_desk_http_timeouts_total{phase="request"}')).toBe(1);
        const db = new Database(join(dir, 'gateway.db'), { readonly: true });
        expect(db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 0 });
        db.close();
      },
    );
  }, 60_000);

  it('cuts a request whose headers trickle in, a slow loris, with 408', async () => {
    await withGateway({ httpTimeouts: timeouts }, async (gateway) => {
      const { received } = await withinGenerousWait(
        trickle(
          gateway.port,
          '',
          'GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Padding: ' + 'a'.repeat(5_000),
          200,
        ),
        'the slow headers cut',
      );
      expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(await metricValue(gateway.httpUrl, 'agent_desk_http_timeouts_total{phase="headers"}')).toBe(1);
    });
  }, 60_000);
});

/**
 * Sends `head` at once, then `tail` one byte every `intervalMs` until the gateway closes the
 * connection; resolves with what the gateway sent and how many bytes of the tail went out.
 */
function trickle(
  port: number,
  head: string,
  tail: string,
  intervalMs: number,
): Promise<{ received: string; bytesSent: number }> {
  return new Promise((resolve) => {
    let received = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (bytesSent < tail.length && socket.writable) socket.write(tail[bytesSent++]!);
      }, intervalMs);
    });
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ received, bytesSent });
    });
  });
}

describe('stale webhook snapshots', () => {
  it('an older order snapshot delivered later with a new delivery id does not roll a shipped order back to paid', async () => {
    await withGateway({ platforms: { shopify: { secret: SHOPIFY_TEST_SECRET } } }, async (gateway, dir) => {
      const shopify = (body: string, topic: string, webhookId: string) =>
        postWebhook(gateway.httpUrl, 'shopify', body, shopifyHeaders(body, topic, { webhookId }));
      const paid = platformFixtureText('shopify/order-1042-paid.json');
      // The same order a day later: fulfilled and on its way with UPS (the fulfillment fixture).
      const fulfillment = platformFixture('shopify/fulfillment-1042.json');
      const shipped = JSON.stringify({
        ...platformFixture('shopify/order-1042-paid.json'),
        fulfillment_status: 'fulfilled',
        fulfillments: [fulfillment],
        updated_at: fulfillment.updated_at,
      });
      expect((await shopify(paid, 'orders/create', 'delivery-1')).body).toMatchObject({
        status: 'stored',
        version: 1,
      });
      expect((await shopify(shipped, 'orders/updated', 'delivery-2')).body).toMatchObject({
        status: 'stored',
        version: 2,
      });

      const db = new Database(join(dir, 'gateway.db'), { readonly: true });
      const stored = () =>
        db.prepare("SELECT status FROM orders WHERE id = 'ord_sh_5719473651893'").get() as { status: string };
      const events = () => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      expect(stored().status).toBe('shipped');
      const eventsBefore = events();

      // The paid snapshot again, as a late retry of an older update or a replay: a new delivery id.
      const replay = await shopify(paid, 'orders/updated', 'delivery-3');
      expect(stored().status).toBe('shipped');
      expect(events()).toBe(eventsBefore);
      expect(replay).toEqual({ status: 200, body: { status: 'stale', orderId: 'ord_sh_5719473651893' } });
      // Recorded as delivered: the platform's retry of it is a duplicate.
      expect((await shopify(paid, 'orders/updated', 'delivery-3')).body).toEqual({ status: 'duplicate' });
      expect(
        await metricValue(gateway.httpUrl, 'agent_desk_webhooks_total{platform="shopify",result="stale"}'),
      ).toBe(1);
      db.close();
    });
  });
});

describe('TLS', () => {
  it('serves wss:// and https:// with its certificate, and a plain ws:// client to it fails', async () => {
    const certDir = makeTempDir('agent-desk-cert-');
    const certificate = makeTestCertificate(certDir.path);
    try {
      await withGateway(
        { demo: { orders: 0 }, tls: { cert: certificate.cert, key: certificate.key } },
        async (gateway) => {
          expect(gateway.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
          expect(gateway.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

          const client = await AgentClient.connect(gateway.url, AGENT_WS_PATH, { ca: certificate.cert });
          expect((await client.hello()).type).toBe('hello.ok');
          await client.close();
          expect(await getText(`${gateway.httpUrl}/healthz`, certificate.cert)).toEqual({
            status: 200,
            body: '{"status":"ok"}',
          });

          const plainUrl = `${gateway.url.replace(/^wss:/, 'ws:')}${AGENT_WS_PATH}`;
          await expect(mustOpen(plainUrl)).rejects.toThrow();
          // Nor does a client that does not trust the certificate get through.
          await expect(mustOpen(`${gateway.url}${AGENT_WS_PATH}`)).rejects.toThrow(/self-signed certificate/);
        },
      );
    } finally {
      certDir.remove();
    }
  });
});
