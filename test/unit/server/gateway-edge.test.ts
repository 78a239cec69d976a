import { connect } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DEV_SIP_PATH } from '../../../src/server/demo/sip/dev-sip-registrar';
import { startGateway, type Gateway, type GatewayOptions } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { AGENT_WS_PATH } from '../../../src/shared/protocol';
import { AgentClient } from './support/agent-client';
import { metricValue } from './support/metrics-text';
import { platformFixtureText } from './support/platform-fixtures';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';
import { makeTestCertificate } from './support/tls-certificate';
import { SHOPIFY_TEST_SECRET, shopifyHeaders } from './support/webhook-requests';
import { mustBeRefused, mustOpen } from './support/websocket-upgrade';

async function withGateway(
  options: Omit<GatewayOptions, 'port' | 'host' | 'dbPath'>,
  run: (gateway: Gateway) => Promise<void>,
): Promise<void> {
  const dir = makeTempDir();
  const gateway = await startTestGateway({ dbPath: join(dir.path, 'gateway.db'), ...options });
  try {
    await run(gateway);
  } finally {
    await gateway.close();
    dir.remove();
  }
}

const agentUrl = (gateway: Gateway) => `${gateway.url}${AGENT_WS_PATH}`;
/** Long enough that no socket of a test is closed for silence while it runs. */
const QUIET_HELLO_TIMEOUT_MS = 120_000;

describe('client address behind a trusted proxy', () => {
  it('counts connections per forwarded client when the peer is a trusted proxy, per peer otherwise', async () => {
    await withGateway(
      {
        helloTimeoutMs: QUIET_HELLO_TIMEOUT_MS,
        trustProxy: ['127.0.0.1'],
        connectionCaps: { maxConnectionsPerAddress: 2 },
      },
      async (gateway) => {
        const from = (client: string, localAddress = '127.0.0.1') => ({
          localAddress,
          headers: { 'x-forwarded-for': client },
        });
        const sockets = [
          await mustOpen(agentUrl(gateway), from('198.51.100.7')),
          await mustOpen(agentUrl(gateway), from('203.0.113.1, 198.51.100.7')),
        ];
        expect((await mustBeRefused(agentUrl(gateway), from('198.51.100.7'))).status).toBe(503);
        sockets.push(await mustOpen(agentUrl(gateway), from('198.51.100.8')));
        // 127.0.0.2 is no trusted proxy: its header is ignored and it counts as itself.
        sockets.push(await mustOpen(agentUrl(gateway), from('198.51.100.9', '127.0.0.2')));
        sockets.push(await mustOpen(agentUrl(gateway), from('198.51.100.10', '127.0.0.2')));
        expect((await mustBeRefused(agentUrl(gateway), from('198.51.100.11', '127.0.0.2'))).status).toBe(503);
        for (const socket of sockets) socket.terminate();
      },
    );
  });
});

describe('demo SIP registrar and the connection caps', () => {
  it('counts SIP sockets in the total cap but not in the per-address cap', async () => {
    await withGateway(
      {
        devSip: true,
        helloTimeoutMs: QUIET_HELLO_TIMEOUT_MS,
        connectionCaps: { maxConnections: 3, maxConnectionsPerAddress: 1 },
      },
      async (gateway) => {
        const sipUrl = `${gateway.url}${DEV_SIP_PATH}`;
        const agent = await mustOpen(agentUrl(gateway));
        const sip = [await mustOpen(sipUrl), await mustOpen(sipUrl)];
        expect((await mustBeRefused(sipUrl)).status).toBe(503);
        expect((await mustBeRefused(agentUrl(gateway), { localAddress: '127.0.0.2' })).status).toBe(503);
        expect(
          await metricValue(gateway.httpUrl, 'agent_desk_ws_connections_refused_total{reason="total_cap"}'),
        ).toBe(2);
        for (const socket of [agent, ...sip]) socket.terminate();
      },
    );
  });
});

describe('sign-in timeout', () => {
  const signInTimeoutMs = 400;

  it('closes a connection that signed out and did not sign in again, with TIMEOUT and 4408', async () => {
    await withGateway({ demo: { orders: 0 }, signInTimeoutMs }, async (gateway) => {
      const { client } = await AgentClient.ready(gateway.url);
      await client.call('auth.login', DEMO_LOGIN);
      await client.call('auth.logout');
      expect(await client.next()).toEqual({
        type: 'error',
        error: { code: 'TIMEOUT', message: 'Not signed in in time' },
      });
      expect((await client.closed).code).toBe(4408);
      expect(await metricValue(gateway.httpUrl, 'agent_desk_ws_timeouts_total{stage="sign_in"}')).toBe(1);
    });
  });

  it('leaves a signed-in connection open past the sign-in timeout', async () => {
    await withGateway({ demo: { orders: 5 }, signInTimeoutMs }, async (gateway) => {
      const { client } = await AgentClient.ready(gateway.url);
      await client.call('auth.login', DEMO_LOGIN);
      await new Promise((resolve) => setTimeout(resolve, signInTimeoutMs * 3));
      expect((await client.call('orders.search', { limit: 1 })).items).toHaveLength(1);
      expect(client.idle).toBe(true);
      await client.close();
      expect(await metricValue(gateway.httpUrl, 'agent_desk_ws_timeouts_total{stage="sign_in"}')).toBe(0);
    });
  });

  it('counts connections closed for saying no hello', async () => {
    await withGateway({ helloTimeoutMs: 200 }, async (gateway) => {
      const client = await AgentClient.connect(gateway.url);
      expect((await client.closed).code).toBe(4408);
      expect(await metricValue(gateway.httpUrl, 'agent_desk_ws_timeouts_total{stage="hello"}')).toBe(1);
    });
  });
});

describe('HTTP timeouts', () => {
  const httpTimeouts = { headersMs: 300, requestMs: 1_000, keepAliveMs: 300 };

  it('closes an idle keep-alive connection without counting it as a timeout', async () => {
    await withGateway({ httpTimeouts }, async (gateway) => {
      const received = await new Promise<string>((resolve) => {
        let text = '';
        const socket = connect(gateway.port, '127.0.0.1', () =>
          socket.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\nConnection: keep-alive\r\n\r\n'),
        );
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
      });
      expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(received).toContain('Keep-Alive: timeout=');
      expect(received).not.toContain('408');
      for (const phase of ['tls_handshake', 'headers', 'request']) {
        expect(await metricValue(gateway.httpUrl, `agent_desk_http_timeouts_total{phase="${phase}"}`)).toBe(
          0,
        );
      }
    });
  });

  it('logs a webhook cut by the request timeout as cut, not as a failure', async () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split('\n').filter(Boolean)) {
            lines.push(JSON.parse(line) as { level: number; msg: string });
          }
          done();
        },
      }),
    );
    await withGateway(
      { logger, httpTimeouts, platforms: { shopify: { secret: SHOPIFY_TEST_SECRET } } },
      async (gateway) => {
        const body = platformFixtureText('shopify/order-1042-paid.json');
        const headers = { ...shopifyHeaders(body, 'orders/create'), 'content-length': String(body.length) };
        await new Promise<void>((resolve) => {
          const socket = connect(gateway.port, '127.0.0.1', () => {
            socket.write(
              `POST /webhooks/shopify HTTP/1.1\r\nHost: gateway\r\n` +
                Object.entries(headers)
                  .map(([name, value]) => `${name}: ${value}\r\n`)
                  .join('') +
                `\r\n${body.slice(0, 100)}`,
            );
          });
          // Read (and drop) the 408: an unread socket never sees the end, so never closes.
          socket.resume();
          socket.on('error', () => undefined);
          socket.on('close', () => resolve());
        });
        await expect
          .poll(() => lines.map((line) => line.msg))
          .toContain('http request cut before its body arrived');
        expect(lines.filter((line) => line.level >= 50)).toEqual([]);
      },
    );
  });

  it('cuts a TLS handshake that never starts, and counts it', async () => {
    const certDir = makeTempDir('agent-desk-cert-');
    const { cert, key } = makeTestCertificate(certDir.path);
    try {
      await withGateway({ httpTimeouts, tls: { cert, key } }, async (gateway) => {
        await new Promise<void>((resolve) =>
          connect(gateway.port, '127.0.0.1')
            .resume()
            .on('close', () => resolve()),
        );
        expect(
          await metricValue(gateway.httpUrl, 'agent_desk_http_timeouts_total{phase="tls_handshake"}', cert),
        ).toBe(1);
        const client = await AgentClient.connect(gateway.url, AGENT_WS_PATH, { ca: cert });
        // The websocket outlives every HTTP timeout: they stop applying once it is upgraded.
        await new Promise((resolve) => setTimeout(resolve, httpTimeouts.requestMs * 2));
        expect((await client.hello()).type).toBe('hello.ok');
        client.send({ type: 'req', id: 'm', method: 'no.such.method' });
        expect(await client.next()).toMatchObject({ type: 'res', ok: false });
        await client.close();
      });
    } finally {
      certDir.remove();
    }
  });
});

describe('edge configuration', () => {
  it('starts with every edge series in /metrics at 0', async () => {
    await withGateway({}, async (gateway) => {
      for (const series of [
        'agent_desk_ws_connections_refused_total{reason="total_cap"}',
        'agent_desk_ws_connections_refused_total{reason="address_cap"}',
        'agent_desk_ws_timeouts_total{stage="hello"}',
        'agent_desk_ws_timeouts_total{stage="sign_in"}',
        'agent_desk_http_timeouts_total{phase="tls_handshake"}',
        'agent_desk_http_timeouts_total{phase="headers"}',
        'agent_desk_http_timeouts_total{phase="request"}',
      ]) {
        expect(await metricValue(gateway.httpUrl, series), series).toBe(0);
      }
    });
  });

  it.each([
    [{ httpTimeouts: { headersMs: 5_000, requestMs: 1_000 } }, /headers timeout \(5000 ms\) must not exceed/],
    [{ httpTimeouts: { keepAliveMs: 0 } }, /keepAliveMs must be a positive integer/],
    [{ connectionCaps: { maxConnections: 0 } }, /maxConnections must be a positive integer/],
    [{ trustProxy: ['proxy.internal'] }, /Trusted proxy "proxy.internal" is not an IP address or CIDR/],
    [{ tls: { cert: 'not a certificate', key: 'not a key' } }, /The TLS certificate or key cannot be used/],
  ] satisfies [Partial<GatewayOptions>, RegExp][])('refuses to start with %j', async (options, message) => {
    const dir = makeTempDir();
    try {
      await expect(
        startGateway({
          port: 0,
          dbPath: join(dir.path, 'gateway.db'),
          logger: pino({ level: 'silent' }),
          ...options,
        }),
      ).rejects.toThrow(message);
    } finally {
      dir.remove();
    }
  });
});
