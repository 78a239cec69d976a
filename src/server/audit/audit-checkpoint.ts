import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { SqliteDatabase } from '../db/open-database';
import { writePrivateFile } from '../files/private-file';
import type { AuditKeyLookup, SigningKey } from '../keys/key-ring';
import { GENESIS_HASH } from './audit-hash';
import { canonicalJson } from './canonical-json';

/**
 * A signed note of the audit log's head (seq and hash), kept outside the database and in the
 * gateway's log. Rows can be removed from the end of the log, or the log re-chained, without
 * breaking the chain itself; neither can reach back past a checkpoint unnoticed.
 */
export const AuditCheckpoint = z
  .object({
    version: z.literal(1),
    seq: z.number().int().nonnegative(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.iso.datetime({ offset: true }),
    keyId: z.string().min(1),
    mac: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

export interface AuditHead {
  /** 0 for an empty log. */
  seq: number;
  hash: string;
}

export type AuditCheckpointErrorCode = 'AUDIT_CHECKPOINT_INVALID' | 'AUDIT_CHECKPOINT_MISMATCH';

export class AuditCheckpointError extends Error {
  constructor(
    readonly code: AuditCheckpointErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuditCheckpointError';
  }
}

/** The checkpoint's file name, after its database's: two databases in one folder never share one. */
export function defaultCheckpointPath(keyFile: string | null, dbPath: string): string {
  return join(dirname(resolve(keyFile ?? dbPath)), `${basename(dbPath)}.audit-checkpoint.json`);
}

export function readAuditHead(db: SqliteDatabase): AuditHead {
  const head = db.prepare<[], AuditHead>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get();
  return head ?? { seq: 0, hash: GENESIS_HASH };
}

export function signAuditCheckpoint(head: AuditHead, key: SigningKey, nowMs: number): AuditCheckpoint {
  const fields = { seq: head.seq, hash: head.hash, at: new Date(nowMs).toISOString(), keyId: key.id };
  return { version: 1, ...fields, mac: checkpointMac(fields, key) };
}

/** Why the checkpoint cannot be trusted (unknown key, wrong MAC); null when its MAC holds. */
export function checkpointSignatureProblem(checkpoint: AuditCheckpoint, keys: AuditKeyLookup): string | null {
  const key = keys.auditKey(checkpoint.keyId);
  if (!key)
    return `the checkpoint is signed with audit key ${checkpoint.keyId}, which the key file does not have`;
  const expected = Buffer.from(checkpointMac(checkpoint, key), 'utf8');
  const actual = Buffer.from(checkpoint.mac, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected)
    ? null
    : 'the checkpoint was changed or forged (MAC mismatch)';
}

/** The checkpoint in `path`; null when there is no such file. */
export function readAuditCheckpoint(path: string): AuditCheckpoint | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AuditCheckpointError(
      'AUDIT_CHECKPOINT_INVALID',
      `Cannot read the audit checkpoint ${path}: ${(err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = AuditCheckpoint.safeParse(json);
  if (!parsed.success) {
    throw new AuditCheckpointError('AUDIT_CHECKPOINT_INVALID', `${path} is not an audit checkpoint`);
  }
  return parsed.data;
}

export function writeAuditCheckpoint(path: string, checkpoint: AuditCheckpoint): void {
  writePrivateFile(path, `${JSON.stringify(checkpoint, null, 2)}\n`, 'replace');
}

function checkpointMac(
  fields: Pick<AuditCheckpoint, 'seq' | 'hash' | 'at' | 'keyId'>,
  key: SigningKey,
): string {
  const serialised = canonicalJson([
    'agent-desk audit checkpoint v1',
    fields.seq,
    fields.hash,
    fields.at,
    fields.keyId,
  ]);
  return createHmac('sha256', key.secret).update(serialised, 'utf8').digest('hex');
}
