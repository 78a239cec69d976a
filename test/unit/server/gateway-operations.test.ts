import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { PROTOCOL_VERSION } from '../../../src/shared/protocol';
import { AgentClient } from './support/agent-client';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';

const HELLO_TIMEOUT_MS = 300;
const tempDir = makeTempDir();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startTestGateway({
    dbPath: join(tempDir.path, 'gateway.db'),
    demo: { orders: 30, seed: 2 },
    helloTimeoutMs: HELLO_TIMEOUT_MS,
  });
});

afterAll(async () => {
  await gateway?.close();
  tempDir.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hello timeout', () => {
  it('closes a connection that says nothing with TIMEOUT and 4408', async () => {
    const client = await AgentClient.connect(gateway.url);
    const startedAt = Date.now();
    expect(await client.next()).toEqual({
      type: 'error',
      error: { code: 'TIMEOUT', message: 'No hello received in time' },
    });
    expect((await client.closed).code).toBe(4408);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(HELLO_TIMEOUT_MS - 20);
  });

  it('closes a connection whose only hello was invalid', async () => {
    const client = await AgentClient.connect(gateway.url);
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect(await client.next()).toMatchObject({ type: 'error', error: { code: 'BAD_REQUEST' } });
    expect(await client.next()).toMatchObject({ type: 'error', error: { code: 'TIMEOUT' } });
    expect((await client.closed).code).toBe(4408);
  });

  it('leaves a connection that said hello open', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    await sleep(HELLO_TIMEOUT_MS * 2);
    await client.call('auth.login', DEMO_LOGIN);
    expect((await client.call('orders.search', { limit: 1 })).items).toHaveLength(1);
    expect(client.idle).toBe(true);
    await client.close();
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with connections, frames, requests by method and outcome, and durations', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    expect(await client.callFailing('orders.search', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
    await client.call('auth.login', DEMO_LOGIN);
    for (let i = 0; i < 3; i += 1) await client.call('orders.search', { limit: 2 });
    expect(await client.callFailing('no.such.method' as never, {})).toMatchObject({ code: 'UNKNOWN_METHOD' });

    const response = await fetch(`${gateway.httpUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    const value = (series: string) => {
      const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };

    expect(text).toContain('# TYPE agent_desk_ws_connections_open gauge');
    expect(value('agent_desk_ws_connections_open')).toBeGreaterThanOrEqual(1);
    expect(value('agent_desk_ws_connections_accepted_total')).toBeGreaterThanOrEqual(1);
    expect(value('agent_desk_ws_frames_received_total')).toBeGreaterThanOrEqual(7);
    expect(value('agent_desk_ws_frames_sent_total')).toBeGreaterThanOrEqual(7);
    expect(value('agent_desk_requests_total{method="orders.search",outcome="OK"}')).toBeGreaterThanOrEqual(3);
    expect(
      value('agent_desk_requests_total{method="orders.search",outcome="UNAUTHENTICATED"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value('agent_desk_requests_total{method="auth.login",outcome="OK"}')).toBeGreaterThanOrEqual(1);
    // A client cannot add series by inventing method names.
    expect(
      value('agent_desk_requests_total{method="unknown",outcome="UNKNOWN_METHOD"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('no.such.method');

    expect(text).toContain('# TYPE agent_desk_request_duration_seconds histogram');
    const count = value('agent_desk_request_duration_seconds_count{method="orders.search"}')!;
    expect(count).toBeGreaterThanOrEqual(4);
    expect(value('agent_desk_request_duration_seconds_bucket{method="orders.search",le="+Inf"}')).toBe(count);
    expect(value('agent_desk_request_duration_seconds_bucket{method="orders.search",le="2.5"}')).toBe(count);
    expect(value('agent_desk_request_duration_seconds_sum{method="orders.search"}')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE agent_desk_webhooks_total counter');
    await client.close();
  });

  it('keeps /healthz', async () => {
    const response = await fetch(`${gateway.httpUrl}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('malformed HTTP', () => {
  it('answers 404 to a websocket upgrade whose target is not a URL, and keeps running', async () => {
    for (const target of ['http://[::1', 'http://%zz/', '//x']) {
      const statusLine = await new Promise<string>((resolve) => {
        const socket = connect(gateway.port, '127.0.0.1', () => {
          socket.write(
            `GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          );
        });
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
      });
      expect(statusLine, target).toBe('HTTP/1.1 404 Not Found');
    }
    expect((await fetch(`${gateway.httpUrl}/healthz`)).status).toBe(200);
  });
});
