import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditCheckpointError,
  defaultCheckpointPath,
  readAuditCheckpoint,
  type AuditCheckpoint,
} from '../../../src/server/audit/audit-checkpoint';
import { AuditCheckpointWriter } from '../../../src/server/audit/audit-checkpoint-writer';
import { GENESIS_HASH } from '../../../src/server/audit/audit-hash';
import { SqliteAuditLog } from '../../../src/server/audit/sqlite-audit-log';
import { verifyAudit } from '../../../src/server/audit/verify-audit';
import { openDatabase, type SqliteDatabase } from '../../../src/server/db/open-database';
import { newGatewayKeys, rotateAuditKey, type GatewayKeys } from '../../../src/server/keys/gateway-keys';
import { KeyRing } from '../../../src/server/keys/key-ring';
import { makeTempDir } from './support/temp-dir';

const START_MS = Date.parse('2026-03-01T08:00:00Z');

let dir: ReturnType<typeof makeTempDir>;
let db: SqliteDatabase;
let keyFile: GatewayKeys;
let keys: KeyRing;
let audit: SqliteAuditLog;
let checkpointPath: string;
const clock = { nowMs: START_MS };
/** What the writer logged at info: the copy a log collector keeps. */
let logged: AuditCheckpoint[];

function openWriter(): AuditCheckpointWriter {
  const logger = pino({ level: 'info' }, { write: (line: string) => void collect(line) });
  return AuditCheckpointWriter.open({ db, keys, path: checkpointPath, logger, now: () => clock.nowMs });
}

function collect(line: string): void {
  const entry = JSON.parse(line) as { auditCheckpoint?: AuditCheckpoint };
  if (entry.auditCheckpoint) logged.push(entry.auditCheckpoint);
}

async function record(actor: string): Promise<void> {
  await audit.record({
    actor,
    action: 'field.reveal',
    target: 'ord_1',
    details: { field: 'customer.phone' },
  });
}

function expectOpenRefused(code: AuditCheckpointError['code'], message: RegExp): void {
  try {
    openWriter();
  } catch (err) {
    expect(err).toBeInstanceOf(AuditCheckpointError);
    expect((err as AuditCheckpointError).code).toBe(code);
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${code}`);
}

beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase(join(dir.path, 'gateway.db'));
  keyFile = newGatewayKeys(START_MS);
  keys = new KeyRing(keyFile);
  audit = new SqliteAuditLog(db, keys, () => clock.nowMs);
  checkpointPath = defaultCheckpointPath(null, join(dir.path, 'gateway.db'));
  clock.nowMs = START_MS;
  logged = [];
});

afterEach(() => {
  db.close();
  dir.remove();
});

describe('AuditCheckpointWriter', () => {
  it('writes a signed checkpoint of the head on open, again only when the head moved, and logs each', async () => {
    await record('usr_1');
    const writer = openWriter();
    const first = readAuditCheckpoint(checkpointPath)!;
    const head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log').get()!;
    expect(first).toEqual({
      version: 1,
      seq: 1,
      hash: head.hash,
      at: new Date(START_MS).toISOString(),
      keyId: keys.currentAuditKey().id,
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    if (process.platform !== 'win32') expect(statSync(checkpointPath).mode & 0o777).toBe(0o600);

    clock.nowMs += 10_000;
    expect(writer.writeIfMoved()).toBeNull();
    await record('usr_2');
    const second = writer.writeIfMoved();
    expect(second).toMatchObject({ seq: 2, at: new Date(START_MS + 10_000).toISOString() });
    expect(readAuditCheckpoint(checkpointPath)).toEqual(second);

    await record('usr_3');
    writer.close();
    expect(readAuditCheckpoint(checkpointPath)).toMatchObject({ seq: 3 });
    expect(logged.map((checkpoint) => checkpoint.seq)).toEqual([1, 2, 3]);
    expect(verifyAudit(db, keys, readAuditCheckpoint(checkpointPath))).toMatchObject({ ok: true, rows: 3 });
  });

  it('checkpoints an empty log at seq 0', () => {
    openWriter().close();
    expect(readAuditCheckpoint(checkpointPath)).toMatchObject({ seq: 0, hash: GENESIS_HASH });
    expect(verifyAudit(db, keys, readAuditCheckpoint(checkpointPath))).toEqual({
      ok: true,
      rows: 0,
      triggersIntact: true,
    });
  });

  it('signs with the current audit key after a rotation; the old checkpoint key still verifies', async () => {
    const writer = openWriter();
    await record('usr_1');
    const before = writer.writeIfMoved()!;
    keys.replace(rotateAuditKey(keyFile, START_MS).keys);
    await record('usr_2');
    const after = writer.writeIfMoved()!;
    expect(after.keyId).not.toBe(before.keyId);
    expect(verifyAudit(db, keys, before)).toMatchObject({ ok: true, rows: 2 });
    expect(verifyAudit(db, keys, after)).toMatchObject({ ok: true, rows: 2 });
  });

  it('refuses to open on a log whose newest rows were removed, and leaves the checkpoint alone', async () => {
    await record('usr_1');
    await record('usr_2');
    await record('usr_3');
    openWriter().close();
    const onFile = readFileSync(checkpointPath, 'utf8');
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq >= 2').run();

    expectOpenRefused(
      'AUDIT_CHECKPOINT_MISMATCH',
      /seq 3 .*the log ends at seq 1: rows were removed from the end/,
    );
    expect(readFileSync(checkpointPath, 'utf8')).toBe(onFile);
  });

  it('refuses to open on a checkpoint that was changed, or that is not a checkpoint', async () => {
    await record('usr_1');
    openWriter().close();
    const checkpoint = readAuditCheckpoint(checkpointPath)!;
    writeFileSync(checkpointPath, JSON.stringify({ ...checkpoint, seq: 0, hash: GENESIS_HASH }));
    expectOpenRefused('AUDIT_CHECKPOINT_MISMATCH', /changed or forged \(MAC mismatch\)/);
    writeFileSync(checkpointPath, 'not json');
    expectOpenRefused('AUDIT_CHECKPOINT_INVALID', /is not an audit checkpoint/);
  });
});

describe('verifyAudit with a checkpoint', () => {
  let checkpoint: AuditCheckpoint;

  beforeEach(async () => {
    for (const actor of ['usr_1', 'usr_2', 'usr_3', 'usr_4']) await record(actor);
    openWriter().close();
    checkpoint = readAuditCheckpoint(checkpointPath)!;
  });

  it('fails on a log that no longer reaches the checkpoint, naming the first missing row', () => {
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq >= 3').run();
    expect(verifyAudit(db, keys)).toMatchObject({ ok: true, rows: 2 });
    expect(verifyAudit(db, keys, checkpoint)).toMatchObject({
      ok: false,
      rows: 2,
      firstBadSeq: 3,
      reason: `the log ends at seq 2 but the checkpoint of ${checkpoint.at} saw seq 4: rows were removed from the end`,
    });
  });

  it('accepts keyed rows written after the checkpoint', async () => {
    await record('usr_5');
    expect(verifyAudit(db, keys, checkpoint)).toMatchObject({ ok: true, rows: 5 });
  });

  it('fails on a checkpoint whose fields or key were changed', () => {
    expect(verifyAudit(db, keys, { ...checkpoint, seq: 2 })).toEqual({
      ok: false,
      rows: 0,
      reason: 'the checkpoint was changed or forged (MAC mismatch)',
      triggersIntact: true,
    });
    expect(verifyAudit(db, keys, { ...checkpoint, keyId: 'aud_other' })).toMatchObject({
      ok: false,
      reason: 'the checkpoint is signed with audit key aud_other, which the key file does not have',
    });
  });
});
