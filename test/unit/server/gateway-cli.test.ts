import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DB_PATH, parseGatewayArgs } from '../../../src/server/cli-options';
import { readKeyFile } from '../../../src/server/keys/key-file';
import { runKeysCli } from '../../../src/server/keys/keys-cli';
import { DEMO_LOGIN } from '../../../src/shared/demo';
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
      keys: null,
      auditCheckpoint: { path: null, intervalMs: 10_000 },
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
      keys: null,
      auditCheckpoint: { path: null, intervalMs: 10_000 },
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

  it('takes the key source from --key-file, AGENT_DESK_KEY_FILE or AGENT_DESK_GATEWAY_KEYS, and the checkpoint options', () => {
    expect(parseGatewayArgs(['--key-file', '/keys/k.json'], {})).toMatchObject({
      keys: { keyFile: '/keys/k.json' },
    });
    expect(parseGatewayArgs([], { AGENT_DESK_KEY_FILE: '/keys/e.json' })).toMatchObject({
      keys: { keyFile: '/keys/e.json' },
    });
    expect(parseGatewayArgs([], { AGENT_DESK_GATEWAY_KEYS: '{"version":1}' })).toMatchObject({
      keys: { keysJson: '{"version":1}' },
    });
    expect(() => parseGatewayArgs(['--key-file', 'k.json'], { AGENT_DESK_GATEWAY_KEYS: '{}' })).toThrow(
      /use one/,
    );
    expect(
      parseGatewayArgs(['--audit-checkpoint', '/witness/audit.json', '--audit-checkpoint-ms', '2000'], {}),
    ).toMatchObject({ auditCheckpoint: { path: '/witness/audit.json', intervalMs: 2000 } });
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
    [['--key-file', '']],
    [['--audit-checkpoint', '']],
    [['--audit-checkpoint-ms', '0']],
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

  it('re-reads the key file on SIGHUP: new tokens use the rotated key, earlier ones still work', async () => {
    const dir = makeTempDir();
    const keyFile = join(dir.path, 'secrets', 'gateway-keys.json');
    const quiet = { log: () => undefined, error: () => undefined };
    expect(runKeysCli(['init', '--key-file', keyFile], quiet, {})).toBe(0);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../../../src/server/index.ts'),
        '--port',
        '0',
        '--db',
        join(dir.path, 'data', 'gateway.db'),
        '--demo',
        '--orders',
        '0',
      ],
      {
        env: { ...process.env, LOG_LEVEL: 'info', AGENT_DESK_KEY_FILE: keyFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let running = true;
    const waiters: (() => void)[] = [];
    const wakeAll = () => waiters.splice(0).forEach((wake) => wake());
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      wakeAll();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        running = false;
        wakeAll();
        resolve(code);
      }),
    );
    const printed = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (;;) {
        const match = pattern.exec(stdout);
        if (match) return match;
        if (!running) throw new Error(`gateway exited before printing ${pattern}: ${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    const keyIdOf = (token: string) => token.split('.')[0];
    try {
      const url = (await printed(/Agent Desk gateway: (ws:\/\/127\.0\.0\.1:\d+)\/v1\/agent/))[1]!;
      const first = await AgentClient.ready(url);
      const before = await first.client.call('auth.login', DEMO_LOGIN);
      expect(keyIdOf(before.token)).toBe(readKeyFile(keyFile).token[0]!.id);
      // Nothing signing-related went into the data directory.
      expect(existsSync(join(dir.path, 'data', 'gateway-keys.json'))).toBe(false);

      expect(runKeysCli(['rotate', '--key-file', keyFile], quiet, {})).toBe(0);
      const rotated = readKeyFile(keyFile).token[1]!.id;
      child.kill('SIGHUP');
      await printed(/"msg":"gateway keys reloaded"/);

      const after = await first.client.call('auth.login', DEMO_LOGIN);
      expect(keyIdOf(after.token)).toBe(rotated);
      const resumed = await AgentClient.ready(url, before.token);
      expect(resumed.user?.username).toBe('frontline');
      await resumed.client.close();
      await first.client.close();

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // The checkpoint lives beside the key file, named after the database.
      expect(existsSync(join(dir.path, 'secrets', 'gateway.db.audit-checkpoint.json'))).toBe(true);
    } finally {
      child.kill('SIGKILL');
      dir.remove();
    }
  });
});
