import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DEFAULT_DB_PATH } from '../cli-options';
import { verifyAudit } from './verify-audit';

export const AUDIT_USAGE = `Usage: npm run gateway -- audit verify [--db FILE]
  Checks the audit log's hash chain; exits 0 if intact, 1 naming the first bad row.
  --db FILE     SQLite file (default ${DEFAULT_DB_PATH})`;

interface Output {
  log(text: string): void;
  error(text: string): void;
}

/** `audit <command>`: returns the process exit code (0 ok, 1 chain broken, 2 usage). */
export function runAuditCli(args: readonly string[], output: Output = console): number {
  let values: { db?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    output.error(`${(err as Error).message}\n\n${AUDIT_USAGE}`);
    return 2;
  }
  if (values.help) {
    output.log(AUDIT_USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
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
    const result = verifyAudit(db);
    if (!result.triggersIntact) {
      output.error('Warning: the triggers that make audit_log append-only are missing.');
    }
    if (!result.ok) {
      const where = result.firstBadSeq === undefined ? '' : ` at seq ${result.firstBadSeq}`;
      const intact = `${result.rows} intact row${result.rows === 1 ? '' : 's'} before it`;
      output.error(`Audit log FAILED${where}: ${result.reason}; ${intact}`);
      return 1;
    }
    output.log(`Audit log OK: ${result.rows} rows${result.headHash ? `, head ${result.headHash}` : ''}`);
    return 0;
  } finally {
    db.close();
  }
}
