import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_SEED, MAX_DEMO_ORDERS } from './demo/seed';

export interface GatewayCliOptions {
  port: number;
  host: string;
  dbPath: string;
  demo: { orders: number; seed: number } | null;
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
  --help        show this text
Environment: AGENT_DESK_GATEWAY_PORT (default port), LOG_LEVEL (pino level, default info).`;

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
  return {
    port,
    host: values.host ?? '127.0.0.1',
    dbPath: values.db ?? DEFAULT_DB_PATH,
    demo: values.demo ? { orders, seed } : null,
  };
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
