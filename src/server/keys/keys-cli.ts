import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN_TTL_SECONDS } from '../auth/token-service';
import { newGatewayKeys, rotateAuditKey, rotateTokenKey } from './gateway-keys';
import { createKeyFile, readKeyFile, replaceKeyFile } from './key-file';
import { KEY_FILE_ENV } from './key-source';

export const KEYS_USAGE = `Usage: npm run gateway -- keys <command> --key-file FILE
  init          create the key file: a token key and an audit key (never overwrites a file)
  rotate        a new token key signs new tokens; the previous one still verifies tokens for one
                token TTL (${DEFAULT_TOKEN_TTL_SECONDS / 60} min), and keys retired longer ago are dropped
  rotate-audit  a new audit key signs new audit rows and checkpoints; old audit keys are kept,
                old rows are verified with them
  --key-file FILE  the key file (default ${KEY_FILE_ENV})
Writes are atomic and the file is mode 0600. Running gateways re-read it on SIGHUP
(kill -HUP <pid>); keep the file off the database's volume and out of its backups.`;

interface Output {
  log(text: string): void;
  error(text: string): void;
}

/** `keys <command>`: returns the process exit code (0 done, 1 failed, 2 usage). */
export function runKeysCli(
  args: readonly string[],
  output: Output = console,
  env: Record<string, string | undefined> = process.env,
  now: () => number = Date.now,
): number {
  let values: { 'key-file'?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: { 'key-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    output.error(`${(err as Error).message}\n\n${KEYS_USAGE}`);
    return 2;
  }
  if (values.help) {
    output.log(KEYS_USAGE);
    return 0;
  }
  const keyFileText = values['key-file'] ?? env[KEY_FILE_ENV];
  const [command] = positionals;
  if (positionals.length !== 1 || !keyFileText) {
    output.error(KEYS_USAGE);
    return 2;
  }
  const keyFile = resolve(keyFileText);
  const reload = 'Send SIGHUP to running gateways (kill -HUP <pid>) so that they re-read it.';
  try {
    if (command === 'init') {
      const keys = newGatewayKeys(now());
      createKeyFile(keyFile, keys);
      output.log(`Created ${keyFile}: token key ${keys.token[0]!.id}, audit key ${keys.audit[0]!.id}.`);
      return 0;
    }
    if (command === 'rotate') {
      const rotation = rotateTokenKey(readKeyFile(keyFile), now(), DEFAULT_TOKEN_TTL_SECONDS);
      replaceKeyFile(keyFile, rotation.keys);
      const dropped =
        rotation.dropped.length > 0 ? ` Dropped long-retired ${rotation.dropped.join(', ')}.` : '';
      output.log(
        `Token key ${rotation.current} signs new tokens; ${rotation.retired} verifies the tokens it ` +
          `signed for one more token TTL.${dropped} ${reload}`,
      );
      return 0;
    }
    if (command === 'rotate-audit') {
      const rotation = rotateAuditKey(readKeyFile(keyFile), now());
      replaceKeyFile(keyFile, rotation.keys);
      output.log(
        `Audit key ${rotation.current} signs new audit rows; ${rotation.retired} is kept to verify ` +
          `the rows it signed. ${reload}`,
      );
      return 0;
    }
  } catch (err) {
    output.error((err as Error).message);
    return 1;
  }
  output.error(KEYS_USAGE);
  return 2;
}
