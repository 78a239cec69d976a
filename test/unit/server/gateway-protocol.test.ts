import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openDatabase } from '../../../src/server/db/open-database';
import { startGateway, type Gateway } from '../../../src/server/gateway';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type ServerFrame } from '../../../src/shared/protocol';
import { AgentClient } from './support/agent-client';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const tempDir = makeTempDir();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startTestGateway({
    dbPath: join(tempDir.path, 'gateway.db'),
    demo: { orders: 300, seed: 5 },
  });
});

afterAll(async () => {
  await gateway?.close();
  tempDir.remove();
});

function expectErrorFrame(frame: ServerFrame, code: string, message?: RegExp): void {
  expect(frame.type).toBe('error');
  if (frame.type !== 'error') return;
  expect(frame.error.code).toBe(code);
  if (message) expect(frame.error.message).toMatch(message);
}

async function signedInClient(): Promise<AgentClient> {
  const { client } = await AgentClient.ready(gateway.url);
  await client.call('auth.login', DEMO_LOGIN);
  return client;
}

describe('gateway http', () => {
  it('answers GET /healthz with 200 {status: ok} and other paths with 404', async () => {
    const health = await fetch(`${gateway.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/application\/json/);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${gateway.httpUrl}/`)).status).toBe(404);
    expect((await fetch(`${gateway.httpUrl}/v1/agent`)).status).toBe(404);
  });

  it('refuses websocket upgrades on any path but /v1/agent', async () => {
    await expect(AgentClient.connect(gateway.url, '/v1/other')).rejects.toThrow(/404/);
  });

  it('reports ws://host:port and http://host:port URLs for the real port', () => {
    expect(gateway.url).toBe(`ws://127.0.0.1:${gateway.port}`);
    expect(gateway.httpUrl).toBe(`http://127.0.0.1:${gateway.port}`);
    expect(gateway.port).toBeGreaterThan(0);
  });
});

describe('hello', () => {
  it('answers hello.ok with the protocol, the server and no user', async () => {
    const client = await AgentClient.connect(gateway.url);
    const ok = await client.hello();
    expect(ok).toEqual({
      type: 'hello.ok',
      protocol: PROTOCOL_VERSION,
      server: { name: 'agent-desk-gateway', version: expect.any(String) },
      user: null,
    });
    await client.close();
  });

  it('refuses another protocol version with PROTOCOL_VERSION and closes 1002', async () => {
    const client = await AgentClient.connect(gateway.url);
    client.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION + 1,
      client: { name: 'future', version: '9.0.0' },
    });
    expectErrorFrame(await client.next(), 'PROTOCOL_VERSION', new RegExp(`${PROTOCOL_VERSION}`));
    expect((await client.closed).code).toBe(1002);
  });

  it('answers a request sent before hello with BAD_REQUEST, then accepts the hello', async () => {
    const client = await AgentClient.connect(gateway.url);
    client.send({ type: 'req', id: 'early', method: 'orders.search', params: {} });
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /hello/);
    expect((await client.hello()).type).toBe('hello.ok');
    await client.close();
  });

  it('answers an invalid hello with BAD_REQUEST, then accepts a valid one', async () => {
    const client = await AgentClient.connect(gateway.url);
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION });
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /client/);
    expect((await client.hello()).type).toBe('hello.ok');
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: { name: 'x', version: '1' } });
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /already/);
    await client.close();
  });
});

describe('frames and requests', () => {
  it('answers every bad frame with the right error and keeps the connection working', async () => {
    const client = await signedInClient();

    client.sendRaw('{"type": "req", ');
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /Malformed JSON/);
    client.sendRaw('[1, 2, 3]');
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /object/);
    client.sendRaw('"hello"');
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /object/);
    client.send({ type: 'subscribe', since: 0 });
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /Unknown frame type/);
    client.send({ id: 'x' });
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /Unknown frame type/);
    client.sendRaw(Buffer.from([1, 2, 3]));
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /Binary/);
    client.send({ type: 'req', method: 'orders.search' });
    expectErrorFrame(await client.next(), 'BAD_REQUEST', /id/);

    client.send({ type: 'req', id: 'bad-method', method: 42 });
    const badMethod = await client.next();
    expect(badMethod).toMatchObject({
      type: 'res',
      id: 'bad-method',
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });

    expect(await client.callFailing('orders.delete' as never, {})).toMatchObject({ code: 'UNKNOWN_METHOD' });
    const invalid = await client.callFailing('orders.search', { limit: 1000, colour: 'red' });
    expect(invalid.code).toBe('BAD_REQUEST');
    expect(invalid.message).toMatch(/limit/);
    expect(await client.callFailing('orders.get', {})).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await client.callFailing('orders.search', { cursor: 'forged' })).toMatchObject({
      code: 'BAD_REQUEST',
    });

    const result = await client.call('orders.search', { limit: 5 });
    expect(result.items).toHaveLength(5);
    expect(client.idle).toBe(true);
    await client.close();
  });

  it('treats missing params as empty params', async () => {
    const client = await signedInClient();
    const result = await client.call('orders.search');
    expect(result.items).toHaveLength(50);
    await client.close();
  });

  it('closes the connection with 1009 when a frame is larger than MAX_FRAME_BYTES', async () => {
    const { client } = await AgentClient.ready(gateway.url);
    client.send({
      type: 'req',
      id: 'big',
      method: 'orders.search',
      params: { text: 'x'.repeat(MAX_FRAME_BYTES) },
    });
    expect((await client.closed).code).toBe(1009);
  });

  it('rate-limits a connection that sends too many frames at once, answering each with RATE_LIMITED', async () => {
    const client = await signedInClient();
    const count = 160;
    for (let i = 0; i < count; i += 1)
      client.send({ type: 'req', id: `burst-${i}`, method: 'orders.get', params: { id: 'ord_none' } });
    const codes: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const frame = await client.next();
      if (frame.type !== 'res' || frame.ok) throw new Error(`unexpected frame ${JSON.stringify(frame)}`);
      codes.push(frame.error.code);
    }
    expect(codes.filter((code) => code === 'NOT_FOUND').length).toBeGreaterThanOrEqual(98);
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThan(40);
    expect(codes.every((code) => code === 'NOT_FOUND' || code === 'RATE_LIMITED')).toBe(true);
    await client.close();
  });
});

describe('gateway lifecycle', () => {
  it('fails to start on a port in use, and leaves its database closed', async () => {
    const dir = makeTempDir();
    const dbPath = join(dir.path, 'busy.db');
    await expect(
      startGateway({ port: gateway.port, dbPath, logger: pino({ level: 'silent' }) }),
    ).rejects.toThrow(/EADDRINUSE/);
    // A closed file can be opened and removed again.
    const reopened = openDatabase(dbPath);
    reopened.close();
    dir.remove();
  });

  it('says goodbye to connected clients with 1001 on close and releases its port', async () => {
    const dir = makeTempDir();
    const own = await startTestGateway({ dbPath: join(dir.path, 'own.db') });
    const { client } = await AgentClient.ready(own.url);
    await own.close();
    expect((await client.closed).code).toBe(1001);
    await expect(fetch(`${own.httpUrl}/healthz`)).rejects.toThrow();
    await own.close(); // idempotent
    dir.remove();
  });
});
