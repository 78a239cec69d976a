import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DB_PATH,
  parseGatewayArgs,
  type GatewayEdgeCliOptions,
} from '../../../src/server/cli-options';
import { readKeyFile } from '../../../src/server/keys/key-file';
import { runKeysCli } from '../../../src/server/keys/keys-cli';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { AgentClient } from './support/agent-client';
import { getText } from './support/metrics-text';
import { platformFixtureText } from './support/platform-fixtures';
import { makeTempDir } from './support/temp-dir';
import { makeTestCertificate } from './support/tls-certificate';
import { SHOPIFY_TEST_SECRET, postWebhook, shopifyHeaders } from './support/webhook-requests';

/** The edge defaults: no trusted proxy, 10,000 / 500 connections, 30 s sign-in, 10 / 30 / 5 s HTTP, no TLS. */
const DEFAULT_EDGE: GatewayEdgeCliOptions = {
  trustProxy: [],
  connectionCaps: { maxConnections: 10_000, maxConnectionsPerAddress: 500 },
  signInTimeoutMs: 30_000,
  httpTimeouts: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 },
  tls: null,
};

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
      edge: DEFAULT_EDGE,
      cobrowse: { origins: [], rulesPath: null },
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
      edge: DEFAULT_EDGE,
      cobrowse: { origins: [], rulesPath: null },
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

  it('reads the edge flags: TLS files, trusted proxies, connection caps and timeouts', () => {
    expect(
      parseGatewayArgs(
        [
          '--tls-cert',
          '/etc/agent-desk/cert.pem',
          '--tls-key=/etc/agent-desk/key.pem',
          '--trust-proxy',
          '10.0.0.0/8, 192.0.2.10',
          '--trust-proxy=fd00::/8',
          '--max-connections',
          '20000',
          '--max-connections-per-address',
          '2000',
          '--sign-in-timeout-ms',
          '60000',
          '--headers-timeout-ms',
          '5000',
          '--request-timeout-ms',
          '20000',
          '--keep-alive-timeout-ms',
          '4000',
        ],
        {},
      ),
    ).toMatchObject({
      edge: {
        tls: { certPath: '/etc/agent-desk/cert.pem', keyPath: '/etc/agent-desk/key.pem' },
        trustProxy: ['10.0.0.0/8', '192.0.2.10', 'fd00::/8'],
        connectionCaps: { maxConnections: 20_000, maxConnectionsPerAddress: 2_000 },
        signInTimeoutMs: 60_000,
        httpTimeouts: { headersMs: 5_000, requestMs: 20_000, keepAliveMs: 4_000 },
      },
    });
  });

  it.each([
    [['--tls-cert', 'cert.pem'], '--tls-cert and --tls-key go together: give both files or neither'],
    [['--tls-key', 'key.pem'], '--tls-cert and --tls-key go together: give both files or neither'],
    [
      ['--trust-proxy', '10.0.0.0/8,proxy'],
      '--trust-proxy: Trusted proxy "proxy" is not an IP address or CIDR',
    ],
    [['--headers-timeout-ms', '40000'], '--headers-timeout-ms must not exceed --request-timeout-ms'],
    [['--max-connections', '0'], '--max-connections must be an integer from 1 to 1000000, got "0"'],
    [['--sign-in-timeout-ms', '30s'], '--sign-in-timeout-ms must be an integer from 1 to 3600000, got "30s"'],
  ])('refuses the edge flags %j with a readable message', (args, message) => {
    expect(() => parseGatewayArgs(args, {})).toThrow(message);
  });

  it('reads the co-browse flags: shop origins (comma-separated, repeatable) and the rules file', () => {
    expect(
      parseGatewayArgs(
        [
          '--cobrowse-origins',
          'https://shop.example, https://m.shop.example',
          '--cobrowse-origins=http://localhost:8080',
          '--cobrowse-rules',
          '/etc/agent-desk/cobrowse-rules.json',
        ],
        {},
      ),
    ).toMatchObject({
      cobrowse: {
        origins: ['https://shop.example', 'https://m.shop.example', 'http://localhost:8080'],
        rulesPath: '/etc/agent-desk/cobrowse-rules.json',
      },
    });
    expect(() => parseGatewayArgs(['--cobrowse-origins', 'https://shop.example/checkout'], {})).toThrow(
      '--cobrowse-origins: Co-browse origin "https://shop.example/checkout" is not an origin like https://shop.example',
    );
    expect(() => parseGatewayArgs(['--cobrowse-rules', ' '], {})).toThrow(
      'The --cobrowse-rules path must not be empty',
    );
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

const GATEWAY_ENTRY = join(import.meta.dirname, '../../../src/server/index.ts');

/** `npm run gateway -- args` as a child process; `printed` waits until its stdout matches. */
function runGatewayCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', GATEWAY_ENTRY, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  // 'close', not 'exit': by then everything the gateway printed has been read.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
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
  /** The agent URL the gateway prints once it listens. */
  const agentUrl = async () =>
    (await printed(/Agent Desk gateway: (wss?:\/\/127\.0\.0\.1:\d+)\/v1\/agent/))[1]!;
  return { child, exited, printed, agentUrl, stderr: () => stderr };
}

describe('gateway CLI', () => {
  it('starts with --demo, prints its URL, serves agents and webhooks, and exits 0 on SIGTERM', async () => {
    const dir = makeTempDir();
    const dbPath = join(dir.path, 'nested', 'cli.db');
    const { child, exited, agentUrl, printed } = runGatewayCli(
      ['--port', '0', '--db', dbPath, '--demo', '--orders', '500', '--seed', '3'],
      { AGENT_DESK_SHOPIFY_SECRET: SHOPIFY_TEST_SECRET },
    );
    try {
      const url = await agentUrl();
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
      // The demo shop for co-browse, on the gateway's own origin.
      const shop = (await printed(/Demo shop \(co-browse\): (http:\/\/127\.0\.0\.1:\d+\/demo\/shop\/)/))[1]!;
      expect((await getText(shop)).status).toBe(200);

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
    const { child, exited, printed, agentUrl } = runGatewayCli(
      ['--port', '0', '--db', join(dir.path, 'data', 'gateway.db'), '--demo', '--orders', '0'],
      { LOG_LEVEL: 'info', AGENT_DESK_KEY_FILE: keyFile },
    );
    const keyIdOf = (token: string) => token.split('.')[0];
    try {
      const url = await agentUrl();
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

  it('serves wss:// and https:// with --tls-cert and --tls-key', async () => {
    const dir = makeTempDir();
    const certificate = makeTestCertificate(dir.path);
    const { child, exited, agentUrl } = runGatewayCli([
      '--port',
      '0',
      '--db',
      join(dir.path, 'tls.db'),
      '--tls-cert',
      certificate.certPath,
      '--tls-key',
      certificate.keyPath,
    ]);
    try {
      const url = await agentUrl();
      expect(url).toMatch(/^wss:\/\//);
      expect(await getText(`${url.replace('wss://', 'https://')}/healthz`, certificate.cert)).toEqual({
        status: 200,
        body: '{"status":"ok"}',
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      dir.remove();
    }
  });

  it('exits 2 with a readable message when the co-browse rules file is not valid', async () => {
    const dir = makeTempDir();
    const rules = join(dir.path, 'rules.json');
    writeFileSync(rules, JSON.stringify([{ urlPattern: 'checkout', mask: ['#note'] }]));
    const { exited, stderr } = runGatewayCli(['--db', join(dir.path, 'x.db'), '--cobrowse-rules', rules]);
    try {
      expect(await exited).toBe(2);
      expect(stderr()).toContain(`--cobrowse-rules ${rules}: expected a JSON array`);
      expect(stderr()).toContain('0.urlPattern: urlPattern must start with /');
    } finally {
      dir.remove();
    }
  });

  it('exits 2 with a readable message when a TLS file cannot be read', async () => {
    const dir = makeTempDir();
    const missing = join(dir.path, 'missing.pem');
    const { exited, stderr } = runGatewayCli([
      '--db',
      join(dir.path, 'x.db'),
      '--tls-cert',
      missing,
      '--tls-key',
      missing,
    ]);
    try {
      expect(await exited).toBe(2);
      expect(stderr()).toContain(`Cannot read the TLS certificate (--tls-cert) ${missing}: ENOENT`);
    } finally {
      dir.remove();
    }
  });
});
