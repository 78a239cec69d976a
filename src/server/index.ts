import { resolve } from 'node:path';
import { pino } from 'pino';
import { AGENT_WS_PATH } from '../shared/protocol';
import { AuditCheckpointError } from './audit/audit-checkpoint';
import { runAuditCli } from './audit/audit-cli';
import { readNewPassword } from './auth/read-new-password';
import { runUsersCommand } from './auth/users-command';
import { GATEWAY_USAGE, parseGatewayArgs } from './cli-options';
import { DEV_SIP_PATH } from './demo/sip/dev-sip-registrar';
import { DEMO_SHOP_PATH } from './cobrowse/cobrowse-files';
import type { TlsCredentials } from './edge/edge-server';
import { readTlsFiles } from './edge/tls-files';
import { startGateway } from './gateway';
import { GatewayKeyError } from './keys/key-error';
import { runKeysCli } from './keys/keys-cli';
import { readMaskingRulesFile } from './cobrowse/masking-policy';
import type { MaskingRule } from '../shared/cobrowse-protocol';

/**
 * Subcommands (`npm run gateway -- <name> ...`): each takes the arguments after its name and
 * returns the exit code. Without one, the gateway runs.
 */
const COMMANDS = new Map<string, (args: string[]) => number | Promise<number>>([
  [
    'users',
    (args) =>
      runUsersCommand(args, {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
        readPassword: () => readNewPassword(process.env),
      }),
  ],
  ['audit', (args) => runAuditCli(args)],
  ['keys', (args) => runKeysCli(args)],
]);

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2);
  const command = first === undefined ? undefined : COMMANDS.get(first);
  if (command) {
    process.exitCode = await command(rest);
    return;
  }
  await serve(process.argv.slice(2));
}

/** `npm run gateway -- [options]`: runs the reference gateway until SIGINT or SIGTERM. */
async function serve(args: string[]): Promise<void> {
  let options: ReturnType<typeof parseGatewayArgs>;
  try {
    options = parseGatewayArgs(args);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${GATEWAY_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(GATEWAY_USAGE);
    return;
  }
  let tls: TlsCredentials | null;
  let cobrowseRules: MaskingRule[];
  try {
    tls = options.edge.tls && readTlsFiles(options.edge.tls);
    cobrowseRules = options.cobrowse.rulesPath ? readMaskingRulesFile(options.cobrowse.rulesPath) : [];
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
    return;
  }

  const logger = pino({ name: 'agent-desk-gateway', level: process.env.LOG_LEVEL ?? 'info' });
  const gateway = await startGateway({
    port: options.port,
    host: options.host,
    dbPath: resolve(options.dbPath),
    logger,
    // The demo also brings a demo-only SIP registrar so that demo calls need no PBX.
    ...(options.demo ? { demo: options.demo, devSip: true } : {}),
    ...(options.simulate ? { simulate: options.simulate } : {}),
    platforms: options.platforms,
    ...(options.simulateQueue ? { simulateQueue: options.simulateQueue } : {}),
    ...(options.queueSecret ? { queueSecret: options.queueSecret } : {}),
    ...(options.keys ? { keys: options.keys } : {}),
    auditCheckpoint: {
      ...(options.auditCheckpoint.path ? { path: resolve(options.auditCheckpoint.path) } : {}),
      intervalMs: options.auditCheckpoint.intervalMs,
    },
    trustProxy: options.edge.trustProxy,
    connectionCaps: options.edge.connectionCaps,
    signInTimeoutMs: options.edge.signInTimeoutMs,
    httpTimeouts: options.edge.httpTimeouts,
    ...(tls ? { tls } : {}),
    cobrowse: { origins: options.cobrowse.origins, rules: cobrowseRules },
  });
  console.log(`Agent Desk gateway: ${gateway.url}${AGENT_WS_PATH} (health: ${gateway.httpUrl}/healthz)`);
  if (options.demo) {
    console.log(`Demo-only SIP registrar: ${gateway.url}${DEV_SIP_PATH} (any extension, no password)`);
    console.log(`Demo shop (co-browse): ${gateway.httpUrl}${DEMO_SHOP_PATH}`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    gateway.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // After `keys rotate`: the new keys apply without a restart or a dropped connection.
  process.on('SIGHUP', () => {
    try {
      gateway.reloadKeys();
    } catch (err) {
      logger.error({ err }, 'key file not reloaded: the keys in use stay');
    }
  });
}

main().catch((err: unknown) => {
  // Key and checkpoint problems are the operator's to fix: the message says how, a stack adds nothing.
  const forOperator = err instanceof GatewayKeyError || err instanceof AuditCheckpointError;
  console.error(forOperator ? `${err.message} (${err.code})` : err);
  process.exit(1);
});
