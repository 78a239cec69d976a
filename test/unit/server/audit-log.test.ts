import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditRowHash } from '../../../src/server/audit/audit-hash';
import { canonicalJson } from '../../../src/server/audit/canonical-json';
import { SqliteAuditLog } from '../../../src/server/audit/sqlite-audit-log';
import { verifyAudit } from '../../../src/server/audit/verify-audit';
import { openDatabase, type SqliteDatabase } from '../../../src/server/db/open-database';
import { makeTempDir } from './support/temp-dir';

let dir: ReturnType<typeof makeTempDir>;
let db: SqliteDatabase;
let audit: SqliteAuditLog;

beforeEach(async () => {
  dir = makeTempDir();
  db = openDatabase(join(dir.path, 'gateway.db'));
  audit = new SqliteAuditLog(db);
  await audit.record({
    actor: 'usr_1',
    action: 'order.refund',
    target: 'ord_1',
    details: { amount: { amount: 1500, currency: 'CNY' } },
  });
  await audit.record({
    actor: 'usr_2',
    action: 'order.address_change',
    target: 'ord_2',
    details: { next: { city: '上海' } },
  });
  await audit.record({
    actor: 'usr_1',
    action: 'customer.reveal',
    target: 'cus_9',
    details: { field: 'phone' },
  });
});

afterEach(() => {
  db.close();
  dir.remove();
});

describe('canonicalJson', () => {
  it('serialises equal values to the same text whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'é' } })).toBe(
      '{"a":{"c":"é","d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, skipped: undefined })).toBe(canonicalJson({ a: 1 }));
  });
});

describe('SqliteAuditLog', () => {
  it('chains each row to the previous one; the chain verifies', () => {
    const rows = db.prepare('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all() as {
      seq: number;
      prev_hash: string;
      hash: string;
    }[];
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
    expect(verifyAudit(db)).toEqual({ ok: true, rows: 3, headHash: rows[2]!.hash, triggersIntact: true });
  });

  it('refuses UPDATE and DELETE on the table', () => {
    expect(() => db.prepare("UPDATE audit_log SET actor = 'someone' WHERE seq = 2").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
  });

  it('only appends inside a transaction on its own database', () => {
    expect(() => audit.append(db, { actor: 'a', action: 'b', target: 'c', details: {} })).toThrow(
      /transaction/,
    );
  });

  it('with the trigger dropped, an edited details field fails verify at that row', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET details_json = '{"next":{"city":"北京"}}' WHERE seq = 2`).run();
    expect(verifyAudit(db)).toEqual({
      ok: false,
      rows: 1,
      firstBadSeq: 2,
      reason: 'the row was changed after it was written (hash mismatch)',
      triggersIntact: false,
    });
  });

  it('an edit that recomputes its own hash still breaks the link of the next row', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    const row = db
      .prepare<[], { at: string; action: string; target: string; details_json: string; prev_hash: string }>(
        'SELECT at, action, target, details_json, prev_hash FROM audit_log WHERE seq = 2',
      )
      .get()!;
    const forgedHash = auditRowHash({
      seq: 2,
      at: row.at,
      actor: 'usr_9',
      action: row.action,
      target: row.target,
      detailsJson: row.details_json,
      prevHash: row.prev_hash,
    });
    db.prepare("UPDATE audit_log SET actor = 'usr_9', hash = ? WHERE seq = 2").run(forgedHash);
    expect(verifyAudit(db)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'prev_hash does not match the previous row',
    });
  });

  it('a removed row shows as a gap at the next seq', () => {
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAudit(db)).toMatchObject({
      ok: false,
      rows: 1,
      firstBadSeq: 3,
      reason: 'expected seq 2: rows are missing before this one',
    });
  });
});
