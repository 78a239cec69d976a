import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DEFAULT_DB_PATH } from '../cli-options';
import { KeyRing } from '../keys/key-ring';
import {
  KEYS_JSON_ENV,
  KEY_FILE_ENV,
  defaultKeyFilePath,
  keySourceFrom,
  readKeys,
  type GatewayKeySource,
} from '../keys/key-source';
import { defaultCheckpointPath, readAuditCheckpoint, type AuditCheckpoint } from './audit-checkpoint';
import { verifyAudit } from './verify-audit';

export const AUDIT_USAGE = `Usage: npm run gateway -- audit verify [--db FILE] [--key-file FILE]
                                          [--checkpoint FILE | --no-checkpoint]
  Checks the audit log's MACs and hash chain, and that it still reaches its last checkpoint;
  exits 0 if intact, 1 naming the first bad row.
  --db FILE          SQLite file (default ${DEFAULT_DB_PATH})
  --key-file FILE    the gateway's key file (default ${KEY_FILE_ENV} or ${KEYS_JSON_ENV}, else
                     gateway-keys.json beside the database); without the keys nothing verifies
  --checkpoint FILE  the audit checkpoint (default <db file name>.audit-checkpoint.json beside the
                     key file); a copy saved from the gateway's log ("audit checkpoint") works too
  --no-checkpoint    check without one: a removed tail then goes unnoticed`;

interface Output {
  log(text: string): void;
  error(text: string): void;
}

/** `audit <command>`: returns the process exit code (0 ok, 1 not verified, 2 usage). */
export function runAuditCli(
  args: readonly string[],
  output: Output = console,
  env: Record<string, string | undefined> = process.env,
): number {
  let values: {
    db?: string;
    'key-file'?: string;
    checkpoint?: string;
    'no-checkpoint'?: boolean;
    help?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        'key-file': { type: 'string' },
        checkpoint: { type: 'string' },
        'no-checkpoint': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    output.error(`${(err as Error).message}\n\n${AUDIT_USAGE}`);
    return 2;
  }
  if (values.help) {
    output.log(AUDIT_USAGE);
    return 0;
  }
  if (
    positionals.length !== 1 ||
    positionals[0] !== 'verify' ||
    (values.checkpoint && values['no-checkpoint'])
  ) {
    output.error(AUDIT_USAGE);
    return 2;
  }

  const dbPath = resolve(values.db ?? DEFAULT_DB_PATH);
  let db: Database.Database;
  try {
    // Not openDatabase: verifying must not create or migrate anything.
    db = new Database(dbPath, { fileMustExist: true });
  } catch (err) {
    output.error(`Cannot open ${dbPath}: ${(err as Error).message}`);
    return 1;
  }
  try {
    const inputs = verificationInputs(dbPath, values, env);
    if (typeof inputs === 'string') {
      output.error(`Audit log NOT VERIFIED: ${inputs}`);
      return 1;
    }
    const { keys, checkpoint } = inputs;
    const result = verifyAudit(db, keys, checkpoint);
    if (!result.triggersIntact) {
      output.error('Warning: the triggers that make audit_log append-only are missing.');
    }
    if (!result.ok) {
      if (result.firstBadSeq === undefined) {
        output.error(`Audit log FAILED: ${result.reason}`);
      } else {
        const intact = `${result.rows} intact row${result.rows === 1 ? '' : 's'} before it`;
        output.error(`Audit log FAILED at seq ${result.firstBadSeq}: ${result.reason}; ${intact}`);
      }
      return 1;
    }
    if (!checkpoint) {
      output.error('Warning: checked without a checkpoint: rows removed from the end would go unnoticed.');
    }
    const head = result.headHash ? `, head ${result.headHash}` : '';
    const reaches = checkpoint ? `; reaches the checkpoint of ${checkpoint.at} (seq ${checkpoint.seq})` : '';
    output.log(`Audit log OK: ${result.rows} rows${head}${reaches}`);
    return 0;
  } finally {
    db.close();
  }
}

/** The keys and the checkpoint to verify with, or why verifying cannot be trusted without them. */
function verificationInputs(
  dbPath: string,
  values: { 'key-file'?: string; checkpoint?: string; 'no-checkpoint'?: boolean },
  env: Record<string, string | undefined>,
): { keys: KeyRing; checkpoint: AuditCheckpoint | null } | string {
  try {
    const source = keySourceFrom(values['key-file'], env) ?? keyFileBeside(dbPath);
    if (!source) {
      return (
        `no audit keys (no --key-file, ${KEY_FILE_ENV} or ${KEYS_JSON_ENV}, and no ` +
        `${defaultKeyFilePath(dbPath)}); without them anyone could have rewritten the log`
      );
    }
    const keys = new KeyRing(readKeys(source));
    if (values['no-checkpoint']) return { keys, checkpoint: null };
    const keyFile = 'keyFile' in source ? source.keyFile : null;
    const checkpointPath = resolve(values.checkpoint ?? defaultCheckpointPath(keyFile, dbPath));
    const checkpoint = readAuditCheckpoint(checkpointPath);
    if (!checkpoint) {
      return (
        `no audit checkpoint at ${checkpointPath}; without one a removed tail goes unnoticed. Give ` +
        '--checkpoint FILE (one saved from the gateway log works), or --no-checkpoint to check the ' +
        'MACs and the chain alone.'
      );
    }
    return { keys, checkpoint };
  } catch (err) {
    return (err as Error).message;
  }
}

/** The key file a gateway without a key source created beside this database, if there is one. */
function keyFileBeside(dbPath: string): GatewayKeySource | null {
  const keyFile = defaultKeyFilePath(dbPath);
  return existsSync(keyFile) ? { keyFile } : null;
}
