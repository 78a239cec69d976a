import { parseArgs } from 'node:util';
import { DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS } from './audit/audit-checkpoint-writer';
import { DEFAULT_DEMO_SEED, MAX_DEMO_ORDERS } from './demo/seed';
import { KEYS_JSON_ENV, KEY_FILE_ENV, keySourceFrom, type GatewayKeySource } from './keys/key-source';
import type { PlatformSecrets } from './platforms/webhook-endpoints';
// ---- edge ----
import { TrustedProxies } from './edge/client-address';
import { DEFAULT_CONNECTION_CAPS, type ConnectionCaps } from './edge/connection-limits';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './edge/edge-server';
import { DEFAULT_SIGN_IN_TIMEOUT_MS } from './ws/agent-connection';
// ---- end edge ----
// ---- co-browse ----
import { COBROWSE_WS_PATH } from '../shared/cobrowse-protocol';
import { SNIPPET_PATH } from './cobrowse/cobrowse-files';
import { CobrowseOrigins } from './cobrowse/cobrowse-origins';
// ---- end co-browse ----

export interface GatewayCliOptions {
  port: number;
  host: string;
  dbPath: string;
  demo: { orders: number; seed: number } | null;
  /** Demo traffic: a simulated order change every intervalMs. */
  simulate: { intervalMs: number } | null;
  /** Webhook secrets; a platform without one has no webhook endpoint. */
  platforms: PlatformSecrets;
  /** Demo: announce waiting customers in the demo queue every intervalMs. */
  simulateQueue: { intervalMs: number } | null;
  /** The ACD/PBX's bearer secret for POST /v1/queue/announce; null: no such endpoint. */
  queueSecret: string | null;
  /** Where the signing keys come from; null: gateway-keys.json beside the database. */
  keys: GatewayKeySource | null;
  /** The audit checkpoint file (null: the default beside the key file) and its interval. */
  auditCheckpoint: { path: string | null; intervalMs: number };
  /** Client address, connection caps, timeouts and TLS. */
  edge: GatewayEdgeCliOptions;
  /** Shop origins that may co-browse, and the masking rules file (read and validated at start). */
  cobrowse: { origins: string[]; rulesPath: string | null };
}

export interface GatewayEdgeCliOptions {
  /** Reverse proxies (IPs or CIDRs) whose X-Forwarded-For names the client. */
  trustProxy: string[];
  connectionCaps: ConnectionCaps;
  signInTimeoutMs: number;
  httpTimeouts: HttpTimeouts;
  /** PEM files to serve HTTPS and WSS with; null: plain HTTP and WS. */
  tls: { certPath: string; keyPath: string } | null;
}

export const DEFAULT_GATEWAY_PORT = 8787;
export const DEFAULT_DB_PATH = './.tmp/gateway.db';
export const DEFAULT_DEMO_ORDERS = 20_000;

export const GATEWAY_USAGE = `Usage: npm run gateway -- [options]
  --port N      listen port (default ${DEFAULT_GATEWAY_PORT}, or AGENT_DESK_GATEWAY_PORT; 0 = any free port)
  --host H      listen address (default 127.0.0.1)
  --db PATH     SQLite file (default ${DEFAULT_DB_PATH})
  --demo        create the demo users, and demo orders if the store is empty
  --orders N    demo orders to generate (default ${DEFAULT_DEMO_ORDERS}, at most ${MAX_DEMO_ORDERS})
  --seed S      demo data seed (default ${DEFAULT_DEMO_SEED})
  --simulate-ms N  with --demo: make a simulated order change every N ms
  --simulate-queue-ms N  with --demo: announce 0-3 waiting customers in the demo queue every N ms
  --shopify-secret S      Shopify app client secret: enables POST /webhooks/shopify
  --woocommerce-secret S  WooCommerce webhook secret: enables POST /webhooks/woocommerce
  --queue-secret S        ACD/PBX bearer secret: enables POST /v1/queue/announce
  --key-file FILE         the token and audit keys (mode 0600; create with \`keys init\`); without
                          it or ${KEYS_JSON_ENV}, gateway-keys.json beside the database is used
                          (created on first start: a demo convenience, not for production)
  --audit-checkpoint FILE the signed audit checkpoint (default <db file name>.audit-checkpoint.json
                          beside the key file)
  --audit-checkpoint-ms N rewrite it every N ms while the audit log grows (default ${DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS})
  --tls-cert FILE  serve HTTPS and WSS with this certificate (PEM, chain included); needs --tls-key
  --tls-key FILE   the certificate's private key (PEM)
  --trust-proxy LIST  reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For names the
                   client (default none: the client is the peer)
  --max-connections N  websockets open at once (default ${DEFAULT_CONNECTION_CAPS.maxConnections})
  --max-connections-per-address N  agent websockets per client address, per /64 for IPv6 (default
                   ${DEFAULT_CONNECTION_CAPS.maxConnectionsPerAddress}): raise it when more desks share one NAT address, or behind a
                   proxy that --trust-proxy does not name (every desk then has the proxy's address)
  --sign-in-timeout-ms N     close a connection not signed in after N ms (default ${DEFAULT_SIGN_IN_TIMEOUT_MS})
  --headers-timeout-ms N     cut a request whose headers (or TLS handshake) take longer (default ${DEFAULT_HTTP_TIMEOUTS.headersMs})
  --request-timeout-ms N     cut a request whose body has not arrived by then (default ${DEFAULT_HTTP_TIMEOUTS.requestMs})
  --keep-alive-timeout-ms N  close an idle keep-alive connection after N ms (default ${DEFAULT_HTTP_TIMEOUTS.keepAliveMs})
  --cobrowse-origins LIST  shop origins (comma-separated, e.g. https://shop.example) whose pages may
                   open co-browse sessions on ${COBROWSE_WS_PATH} (default none; with --demo the gateway's
                   own demo shop at /demo/shop/ too). Shops load the snippet from ${SNIPPET_PATH}
  --cobrowse-rules FILE    the shop's per-URL masking rules: a JSON array of
                   { "urlPattern": "/checkout*", "mask": ["#phone"], "block": [".card-box"] }
                   (at most 200), sent to the snippet with every join
  --help        show this text
Commands:
  users ...     add users, set roles, list them (npm run gateway -- users --help)
  audit verify  check the audit log's MACs, chain and checkpoint (npm run gateway -- audit --help)
  keys ...      create and rotate the key file (npm run gateway -- keys --help)
Signals: SIGHUP re-reads the key file (after \`keys rotate\`); SIGINT or SIGTERM stop the gateway.
Environment: AGENT_DESK_GATEWAY_PORT (default port), LOG_LEVEL (pino level, default info),
  AGENT_DESK_SHOPIFY_SECRET, AGENT_DESK_WOOCOMMERCE_SECRET, AGENT_DESK_QUEUE_SECRET (the secrets;
  safer than the flags, which other users of the machine can read in the process list),
  ${KEY_FILE_ENV} (the key file), ${KEYS_JSON_ENV} (the key file's JSON itself, e.g. a
  container secret).`;

/** Parses the gateway's command line; throws an Error with a readable message on bad input. */
export function parseGatewayArgs(
  args: readonly string[],
  env: Record<string, string | undefined> = process.env,
): GatewayCliOptions | 'help' {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      demo: { type: 'boolean' },
      orders: { type: 'string' },
      seed: { type: 'string' },
      'simulate-ms': { type: 'string' },
      'shopify-secret': { type: 'string' },
      'woocommerce-secret': { type: 'string' },
      'simulate-queue-ms': { type: 'string' },
      'queue-secret': { type: 'string' },
      'key-file': { type: 'string' },
      'audit-checkpoint': { type: 'string' },
      'audit-checkpoint-ms': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trust-proxy': { type: 'string', multiple: true },
      'max-connections': { type: 'string' },
      'max-connections-per-address': { type: 'string' },
      'sign-in-timeout-ms': { type: 'string' },
      'headers-timeout-ms': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      'keep-alive-timeout-ms': { type: 'string' },
      'cobrowse-origins': { type: 'string', multiple: true },
      'cobrowse-rules': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';

  const port = integerOption(
    '--port',
    values.port ?? env.AGENT_DESK_GATEWAY_PORT,
    DEFAULT_GATEWAY_PORT,
    0,
    65_535,
  );
  const orders = integerOption('--orders', values.orders, DEFAULT_DEMO_ORDERS, 0, MAX_DEMO_ORDERS);
  const seed = integerOption('--seed', values.seed, DEFAULT_DEMO_SEED, 0, 2 ** 32 - 1);
  if (!values.demo && (values.orders !== undefined || values.seed !== undefined)) {
    throw new Error('--orders and --seed only apply with --demo');
  }
  const simulateText = values['simulate-ms'];
  if (!values.demo && simulateText !== undefined) throw new Error('--simulate-ms only applies with --demo');
  const simulateMs = integerOption('--simulate-ms', simulateText, 0, 1, 3_600_000);
  const queueText = values['simulate-queue-ms'];
  if (!values.demo && queueText !== undefined)
    throw new Error('--simulate-queue-ms only applies with --demo');
  const queueMs = integerOption('--simulate-queue-ms', queueText, 0, 100, 3_600_000);
  const queueSecret = values['queue-secret'] ?? env.AGENT_DESK_QUEUE_SECRET;
  if (queueSecret !== undefined && queueSecret.trim() === '')
    throw new Error('The queue secret must not be empty');
  const checkpointPath = values['audit-checkpoint'];
  if (checkpointPath !== undefined && checkpointPath.trim() === '')
    throw new Error('The audit checkpoint path must not be empty');
  const checkpointMs = integerOption(
    '--audit-checkpoint-ms',
    values['audit-checkpoint-ms'],
    DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS,
    100,
    3_600_000,
  );
  return {
    port,
    host: values.host ?? '127.0.0.1',
    dbPath: values.db ?? DEFAULT_DB_PATH,
    demo: values.demo ? { orders, seed } : null,
    simulate: simulateText === undefined ? null : { intervalMs: simulateMs },
    platforms: {
      ...secretOption('shopify', values['shopify-secret'] ?? env.AGENT_DESK_SHOPIFY_SECRET),
      ...secretOption('woocommerce', values['woocommerce-secret'] ?? env.AGENT_DESK_WOOCOMMERCE_SECRET),
    },
    simulateQueue: queueText === undefined ? null : { intervalMs: queueMs },
    queueSecret: queueSecret ?? null,
    keys: keySourceFrom(values['key-file'], env),
    auditCheckpoint: { path: checkpointPath ?? null, intervalMs: checkpointMs },
    edge: edgeOptions(values),
    cobrowse: cobrowseOptions(values['cobrowse-origins'] ?? [], values['cobrowse-rules']),
  };
}

// ---- co-browse ----
function cobrowseOptions(
  originLists: string[],
  rulesPath: string | undefined,
): GatewayCliOptions['cobrowse'] {
  const origins = originLists
    .flatMap((list) => list.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  try {
    CobrowseOrigins.parse(origins);
  } catch (err) {
    throw new Error(`--cobrowse-origins: ${(err as Error).message}`, { cause: err });
  }
  if (rulesPath !== undefined && rulesPath.trim() === '')
    throw new Error('The --cobrowse-rules path must not be empty');
  return { origins, rulesPath: rulesPath ?? null };
}
// ---- end co-browse ----

const MAX_TIMEOUT_MS = 3_600_000;
const MAX_CONNECTION_CAP = 1_000_000;

type EdgeFlag =
  | 'tls-cert'
  | 'tls-key'
  | 'max-connections'
  | 'max-connections-per-address'
  | 'sign-in-timeout-ms'
  | 'headers-timeout-ms'
  | 'request-timeout-ms'
  | 'keep-alive-timeout-ms';

function edgeOptions(
  values: Partial<Record<EdgeFlag, string>> & { 'trust-proxy'?: string[] },
): GatewayEdgeCliOptions {
  const certPath = values['tls-cert'];
  const keyPath = values['tls-key'];
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new Error('--tls-cert and --tls-key go together: give both files or neither');
  }
  const trustProxy = (values['trust-proxy'] ?? [])
    .flatMap((list) => list.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  try {
    TrustedProxies.parse(trustProxy);
  } catch (err) {
    throw new Error(`--trust-proxy: ${(err as Error).message}`, { cause: err });
  }
  const timeout = (name: EdgeFlag, fallback: number) =>
    integerOption(`--${name}`, values[name], fallback, 1, MAX_TIMEOUT_MS);
  const httpTimeouts: HttpTimeouts = {
    headersMs: timeout('headers-timeout-ms', DEFAULT_HTTP_TIMEOUTS.headersMs),
    requestMs: timeout('request-timeout-ms', DEFAULT_HTTP_TIMEOUTS.requestMs),
    keepAliveMs: timeout('keep-alive-timeout-ms', DEFAULT_HTTP_TIMEOUTS.keepAliveMs),
  };
  if (httpTimeouts.headersMs > httpTimeouts.requestMs) {
    throw new Error('--headers-timeout-ms must not exceed --request-timeout-ms');
  }
  const cap = (name: EdgeFlag, fallback: number) =>
    integerOption(`--${name}`, values[name], fallback, 1, MAX_CONNECTION_CAP);
  return {
    trustProxy,
    connectionCaps: {
      maxConnections: cap('max-connections', DEFAULT_CONNECTION_CAPS.maxConnections),
      maxConnectionsPerAddress: cap(
        'max-connections-per-address',
        DEFAULT_CONNECTION_CAPS.maxConnectionsPerAddress,
      ),
    },
    signInTimeoutMs: timeout('sign-in-timeout-ms', DEFAULT_SIGN_IN_TIMEOUT_MS),
    httpTimeouts,
    tls: certPath !== undefined && keyPath !== undefined ? { certPath, keyPath } : null,
  };
}

function secretOption(platform: keyof PlatformSecrets, secret: string | undefined): PlatformSecrets {
  if (secret === undefined) return {};
  if (secret.trim() === '') throw new Error(`The ${platform} secret must not be empty`);
  return { [platform]: { secret } };
}

function integerOption(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
