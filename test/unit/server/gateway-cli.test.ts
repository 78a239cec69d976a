import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DB_PATH, parseGatewayArgs } from '../../../src/server/cli-options';
import { AgentClient } from './support/agent-client';
import { platformFixtureText } from './support/platform-fixtures';
import { makeTempDir } from './support/temp-dir';
import { SHOPIFY_TEST_SECRET, postWebhook, shopifyHeaders } from './support/webhook-requests';

describe('parseGatewayArgs', () => {
  it('has defaults: port 8787 on loopback, ./.tmp/gateway.db, no demo', () => {
    expect(parseGatewayArgs([], {})).toEqual({
      port: 8787,
      host: '127.0.0.1',
      dbPath: DEFAULT_DB_PATH,
      demo: null,
      simulate: null,
      platforms: {},
      simulateQueue: null,
      queueSecret: null,
    });
    expect(DEFAULT_DB_PATH).toBe('./.tmp/gateway.db');
  });

  it('takes the port from AGENT_DESK_GATEWAY_PORT unless --port is given', () => {
    expect(parseGatewayArgs([], { AGENT_DESK_GATEWAY_PORT: '9000' })).toMatchObject({ port: 9000 });
    expect(parseGatewayArgs(['--port', '0'], { AGENT_DESK_GATEWAY_PORT: '9000' })).toMatchObject({ port: 0 });
  });

  it('reads every flag, with demo defaults of 20000 orders and seed 1', () => {
    expect(parseGatewayArgs(['--host', '0.0.0.0', '--db', '/data/g.db', '--demo'], {})).toEqual({
      port: 8787,
      host: '0.0.0.0',
      dbPath: '/data/g.db',
      demo: { orders: 20_000, seed: 1 },
      simulate: null,
      platforms: {},
      simulateQueue: null,
      queueSecret: null,
    });
    expect(parseGatewayArgs(['--demo', '--orders', '1000000', '--seed=7'], {})).toMatchObject({
      demo: { orders: 1_000_000, seed: 7 },
    });
    expect(parseGatewayArgs(['--demo', '--simulate-ms', '500'], {})).toMatchObject({
      simulate: { intervalMs: 500 },
    });
    expect(parseGatewayArgs(['--help'], {})).toBe('help');
  });

  it('takes webhook secrets from the flags, else from the environment', () => {
    const env = { AGENT_DESK_SHOPIFY_SECRET: 'from-env', AGENT_DESK_WOOCOMMERCE_SECRET: 'wc-env' };
    expect(parseGatewayArgs([], env)).toMatchObject({
      platforms: { shopify: { secret: 'from-env' }, woocommerce: { secret: 'wc-env' } },
    });
    expect(parseGatewayArgs(['--shopify-secret', 'from-flag'], env)).toMatchObject({
      platforms: { shopify: { secret: 'from-flag' }, woocommerce: { secret: 'wc-env' } },
    });
    expect(parseGatewayArgs(['--woocommerce-secret=wc-flag'], {})).toMatchObject({
      platforms: { woocommerce: { secret: 'wc-flag' } },
    });
    expect(() => parseGatewayArgs([], { AGENT_DESK_SHOPIFY_SECRET: ' ' })).toThrow(/must not be empty/);
  });

  it('takes the queue secret from the flag, else the environment; the queue simulation needs --demo', () => {
    expect(parseGatewayArgs([], { AGENT_DESK_QUEUE_SECRET: 'acd-env' })).toMatchObject({
      queueSecret: 'acd-env',
    });
    expect(parseGatewayArgs(['--queue-secret', 'acd-flag'], { AGENT_DESK_QUEUE_SECRET: 'x' })).toMatchObject({
      queueSecret: 'acd-flag',
    });
    expect(() => parseGatewayArgs([], { AGENT_DESK_QUEUE_SECRET: '' })).toThrow(/must not be empty/);
    expect(parseGatewayArgs(['--demo', '--simulate-queue-ms', '20000'], {})).toMatchObject({
      simulateQueue: { intervalMs: 20_000 },
    });
    expect(() => parseGatewayArgs(['--simulate-queue-ms', '20000'], {})).toThrow(/only applies with --demo/);
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--port', '-1']],
    [['--demo', '--orders', '1000001']],
    [['--demo', '--orders', '1e3']],
    [['--orders', '10']],
    [['--simulate-ms', '500']],
    [['--demo', '--simulate-ms', '0']],
    [['--colour', 'red']],
    [['--shopify-secret', '']],
    [['positional']],
  ])('refuses %j', (args) => {
    expect(() => parseGatewayArgs(args, {})).toThrow();
  });
});

describe('gateway CLI', () => {
  it('starts with --demo, prints its URL, serves agents and webhooks, and exits 0 on SIGTERM', async () => {
    const dir = makeTempDir();
    const dbPath = join(dir.path, 'nested', 'cli.db');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../../../src/server/index.ts'),
        '--port',
        '0',
        '--db',
        dbPath,
        '--demo',
        '--orders',
        '500',
        '--seed',
        '3',
      ],
      {
        env: { ...process.env, LOG_LEVEL: 'warn', AGENT_DESK_SHOPIFY_SECRET: SHOPIFY_TEST_SECRET },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /(ws:\/\/127\.0\.0\.1:\d+)\/v1\/agent/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`gateway exited with ${code}: ${stderr}`)));
      });
      expect(existsSync(dbPath)).toBe(true);
      const { client } = await AgentClient.ready(url);
      await client.call('auth.login', { username: 'supervisor', password: 'demo' });
      expect((await client.call('orders.search', { limit: 100 })).items).toHaveLength(100);
      // The secret from the environment enables the Shopify webhook; WooCommerce has none.
      const httpUrl = url.replace('ws://', 'http://');
      const body = platformFixtureText('shopify/order-1042-paid.json');
      expect(
        (await postWebhook(httpUrl, 'shopify', body, shopifyHeaders(body, 'orders/create'))).status,
      ).toBe(200);
      expect((await postWebhook(httpUrl, 'woocommerce', 'webhook_id=1', {})).status).toBe(404);
      expect((await client.call('orders.search', { text: 'SH-1042' })).items).toHaveLength(1);

      child.kill('SIGTERM');
      expect((await client.closed).code).toBe(1001);
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      dir.remove();
    }
  });
});
