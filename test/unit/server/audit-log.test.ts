import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, plainAuditRowHash } from '../../../src/server/audit/audit-hash';
import { canonicalJson } from '../../../src/server/audit/canonical-json';
import { SqliteAuditLog } from '../../../src/server/audit/sqlite-audit-log';
import { auditRowFields, verifyAudit, type StoredAuditRow } from '../../../src/server/audit/verify-audit';
import { openDatabase, type SqliteDatabase } from '../../../src/server/db/open-database';
import { newGatewayKeys, rotateAuditKey, type GatewayKeys } from '../../../src/server/keys/gateway-keys';
import { KeyRing } from '../../../src/server/keys/key-ring';
import { makeTempDir } from './support/temp-dir';

const NOW_MS = Date.parse('2026-03-01T08:00:00Z');

let dir: ReturnType<typeof makeTempDir>;
let db: SqliteDatabase;
let keyFile: GatewayKeys;
let keys: KeyRing;
let audit: SqliteAuditLog;

function rows(): StoredAuditRow[] {
  return db.prepare<[], StoredAuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
}

/** A row as the gateway wrote them before audit keys: key_id NULL, plain SHA-256 chain. */
function insertPlainRow(seq: number, prevHash: string, actor: string): string {
  const fields = {
    seq,
    at: new Date(NOW_MS).toISOString(),
    actor,
    action: 'order.refund',
    target: 'ord_0',
    detailsJson: '{}',
    prevHash,
  };
  const hash = plainAuditRowHash(fields);
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, target, details_json, prev_hash, hash)
     VALUES (@seq, @at, @actor, @action, @target, @detailsJson, @prevHash, @hash)`,
  ).run({ ...fields, hash });
  return hash;
}

beforeEach(async () => {
  dir = makeTempDir();
  db = openDatabase(join(dir.path, 'gateway.db'));
  keyFile = newGatewayKeys(NOW_MS);
  keys = new KeyRing(keyFile);
  audit = new SqliteAuditLog(db, keys, () => NOW_MS);
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
  it('chains each row to the previous one under the current audit key; the chain verifies', () => {
    const stored = rows();
    expect(stored.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(stored.map((row) => row.key_id)).toEqual(Array(3).fill(keys.currentAuditKey().id));
    expect(stored[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(stored[1]!.prev_hash).toBe(stored[0]!.hash);
    expect(stored[2]!.prev_hash).toBe(stored[1]!.hash);
    // Keyed: the plain hash anyone could compute is not what is stored.
    expect(stored[0]!.hash).not.toBe(plainAuditRowHash(auditRowFields(stored[0]!)));
    expect(verifyAudit(db, keys)).toEqual({
      ok: true,
      rows: 3,
      headHash: stored[2]!.hash,
      triggersIntact: true,
    });
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
    expect(verifyAudit(db, keys)).toEqual({
      ok: false,
      rows: 1,
      firstBadSeq: 2,
      reason: 'the row was changed after it was written (MAC mismatch)',
      triggersIntact: false,
    });
  });

  it('an edit whose hash is recomputed without the key fails at that row', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    const row = rows()[1]!;
    const forgedHash = plainAuditRowHash({ ...auditRowFields(row), actor: 'usr_9' });
    db.prepare("UPDATE audit_log SET actor = 'usr_9', hash = ? WHERE seq = 2").run(forgedHash);
    expect(verifyAudit(db, keys)).toMatchObject({
      ok: false,
      rows: 1,
      firstBadSeq: 2,
      reason: 'the row was changed after it was written (MAC mismatch)',
    });
  });

  it('a removed row shows as a gap at the next seq', () => {
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAudit(db, keys)).toMatchObject({
      ok: false,
      rows: 1,
      firstBadSeq: 3,
      reason: 'expected seq 2: rows are missing before this one',
    });
  });

  it('does not verify with keys that lack the audit key the rows name', () => {
    expect(verifyAudit(db, new KeyRing(newGatewayKeys(NOW_MS)))).toMatchObject({
      ok: false,
      rows: 0,
      firstBadSeq: 1,
      reason: `signed with audit key ${keys.currentAuditKey().id}, which the key file does not have`,
    });
  });

  it('after an audit key rotation, new rows use the new key and old rows verify with the kept one', async () => {
    const before = keys.currentAuditKey().id;
    keys.replace(rotateAuditKey(keyFile, NOW_MS).keys);
    await audit.record({ actor: 'usr_1', action: 'field.reveal', target: 'ord_1', details: {} });
    expect(rows().map((row) => row.key_id)).toEqual([before, before, before, keys.currentAuditKey().id]);
    expect(keys.currentAuditKey().id).not.toBe(before);
    expect(verifyAudit(db, keys)).toMatchObject({ ok: true, rows: 4 });
  });
});

describe('rows from before audit keys', () => {
  beforeEach(() => {
    // A log that a gateway without keys started: two plain rows, then keyed ones after them.
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log').run();
  });

  it('are accepted as the start of the log, covered by the keyed rows after them', async () => {
    insertPlainRow(2, insertPlainRow(1, GENESIS_HASH, 'usr_old'), 'usr_old');
    await audit.record({ actor: 'usr_1', action: 'field.reveal', target: 'ord_1', details: {} });
    expect(rows().map((row) => row.key_id === null)).toEqual([true, true, false]);
    expect(verifyAudit(db, keys)).toMatchObject({ ok: true, rows: 3 });

    // Rewriting a plain row and its chain breaks the keyed row that covers it.
    db.exec('DROP TRIGGER audit_log_no_update');
    const rewritten = plainAuditRowHash({ ...auditRowFields(rows()[1]!), actor: 'usr_9' });
    db.prepare("UPDATE audit_log SET actor = 'usr_9', hash = ? WHERE seq = 2").run(rewritten);
    db.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = 3').run(rewritten);
    expect(verifyAudit(db, keys)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'the row was changed after it was written (MAC mismatch)',
    });
  });

  it('are refused after a keyed row', async () => {
    await audit.record({ actor: 'usr_1', action: 'field.reveal', target: 'ord_1', details: {} });
    insertPlainRow(2, rows()[0]!.hash, 'usr_9');
    expect(verifyAudit(db, keys)).toMatchObject({
      ok: false,
      rows: 1,
      firstBadSeq: 2,
      reason: 'an unkeyed row after keyed rows: the log was rewritten without the audit key',
    });
  });
});
