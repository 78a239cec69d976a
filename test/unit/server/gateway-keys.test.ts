import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, plainAuditRowHash } from '../../../src/server/audit/audit-hash';
import { verifyAudit } from '../../../src/server/audit/verify-audit';
import { MIGRATIONS } from '../../../src/server/db/migrations';
import { openDatabase } from '../../../src/server/db/open-database';
import {
  newGatewayKeys,
  parseGatewayKeys,
  rotateAuditKey,
  rotateTokenKey,
  serialiseGatewayKeys,
  type GatewayKeys,
} from '../../../src/server/keys/gateway-keys';
import { GatewayKeyError } from '../../../src/server/keys/key-error';
import { createKeyFile, readKeyFile } from '../../../src/server/keys/key-file';
import { KeyRing } from '../../../src/server/keys/key-ring';
import { defaultKeyFilePath, keySourceFrom, openGatewayKeys } from '../../../src/server/keys/key-source';
import { runKeysCli } from '../../../src/server/keys/keys-cli';
import { makeTempDir } from './support/temp-dir';

const START_MS = Date.parse('2026-03-01T08:00:00Z');
const HOUR_MS = 3_600_000;
const posixOnly = process.platform === 'win32' ? it.skip : it;

let dir: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => dir.remove());

function keyError(run: () => unknown): GatewayKeyError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayKeyError);
    return err as GatewayKeyError;
  }
  throw new Error('expected a GatewayKeyError');
}

/** A logger whose lines the test reads back. */
function recordingLogger() {
  const lines: { level: number; msg: string; keyFile?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('the key file format', () => {
  const valid = () => newGatewayKeys(START_MS);

  it('round-trips through its JSON', () => {
    const keys = valid();
    expect(parseGatewayKeys(serialiseGatewayKeys(keys), 'test')).toEqual(keys);
  });

  it.each<[string, (keys: GatewayKeys) => unknown, RegExp]>([
    [
      'a short key',
      (k) => ({ ...k, token: [{ ...k.token[0], key: 'c2hvcnQ=' }] }),
      /token\.0\.key: must decode to at least 32 bytes/,
    ],
    [
      'a key that is not base64',
      (k) => ({ ...k, audit: [{ ...k.audit[0], key: '!'.repeat(44) }] }),
      /audit\.0\.key: must be standard base64/,
    ],
    [
      'two current token keys',
      (k) => ({ ...k, token: [k.token[0], { ...k.token[0], id: 'tok_2' }] }),
      /token: exactly one key must have no retiredAt \(the current one\), found 2/,
    ],
    [
      'no current audit key',
      (k) => ({ ...k, audit: [{ ...k.audit[0], retiredAt: new Date(START_MS).toISOString() }] }),
      /audit: exactly one key must have no retiredAt/,
    ],
    [
      'a duplicate id',
      (k) => ({ ...k, token: [{ ...k.token[0], retiredAt: new Date(START_MS).toISOString() }, k.token[0]] }),
      /token\.1\.id: duplicate id/,
    ],
    ['no audit keys', (k) => ({ ...k, audit: [] }), /audit: /],
    ['another version', (k) => ({ ...k, version: 2 }), /version: /],
    ['an unknown field', (k) => ({ ...k, tokens: [] }), /\(top level\): /],
  ])('refuses %s with a message naming the field', (_name, change, message) => {
    const error = keyError(() => parseGatewayKeys(JSON.stringify(change(valid())), 'The key file k.json'));
    expect(error.code).toBe('KEY_FILE_INVALID');
    expect(error.message).toMatch(/^The key file k\.json is not a valid gateway key file \(/);
    expect(error.message).toMatch(message);
  });

  it('refuses text that is not JSON', () => {
    const error = keyError(() => parseGatewayKeys('{"version":1,', 'AGENT_DESK_GATEWAY_KEYS'));
    expect(error.code).toBe('KEY_FILE_INVALID');
    expect(error.message).toMatch(/^AGENT_DESK_GATEWAY_KEYS is not JSON: /);
  });
});

describe('token key rotation', () => {
  const TTL_S = 3600;

  it('retires the current key now and adds a new current one', () => {
    const keys = newGatewayKeys(START_MS);
    const rotation = rotateTokenKey(keys, START_MS + HOUR_MS, TTL_S);
    expect(rotation.retired).toBe(keys.token[0]!.id);
    expect(rotation.dropped).toEqual([]);
    expect(rotation.keys.token).toEqual([
      { ...keys.token[0], retiredAt: new Date(START_MS + HOUR_MS).toISOString() },
      {
        id: rotation.current,
        key: expect.any(String),
        createdAt: new Date(START_MS + HOUR_MS).toISOString(),
      },
    ]);
    expect(rotation.keys.audit).toEqual(keys.audit);
  });

  it('keeps a retired key while it may still verify tokens, and drops it one TTL after it retired', () => {
    const first = rotateTokenKey(newGatewayKeys(START_MS), START_MS, TTL_S);
    const soon = rotateTokenKey(first.keys, START_MS + HOUR_MS - 1, TTL_S);
    expect(soon.dropped).toEqual([]);
    expect(soon.keys.token.map((key) => key.id)).toEqual([
      ...first.keys.token.map((key) => key.id),
      soon.current,
    ]);

    const later = rotateTokenKey(first.keys, START_MS + HOUR_MS, TTL_S);
    expect(later.dropped).toEqual([first.retired]);
    expect(later.keys.token.map((key) => key.id)).toEqual([first.current, later.current]);
  });

  it('keeps every audit key: old rows are verified with them', () => {
    const first = rotateAuditKey(newGatewayKeys(START_MS), START_MS);
    const second = rotateAuditKey(first.keys, START_MS + 1000 * HOUR_MS);
    expect(second.keys.audit.map((key) => [key.id, key.retiredAt !== undefined])).toEqual([
      [first.retired, true],
      [first.current, true],
      [second.current, false],
    ]);
  });
});

describe('the key file on disk', () => {
  it('is created 0600 and never overwritten', () => {
    const path = join(dir.path, 'secrets', 'keys.json');
    const keys = newGatewayKeys(START_MS);
    createKeyFile(path, keys);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readKeyFile(path)).toEqual(keys);

    const error = keyError(() => createKeyFile(path, newGatewayKeys(START_MS)));
    expect(error.code).toBe('KEY_FILE_EXISTS');
    expect(readKeyFile(path)).toEqual(keys);
  });

  it('is refused when missing, saying how to create it', () => {
    const path = join(dir.path, 'missing.json');
    const error = keyError(() => readKeyFile(path));
    expect(error.code).toBe('KEY_FILE_MISSING');
    expect(error.message).toContain(`npm run gateway -- keys init --key-file ${path}`);
  });

  posixOnly.each([0o644, 0o640, 0o604, 0o620, 0o602])('is refused with mode %o, saying chmod 600', (mode) => {
    const path = join(dir.path, 'keys.json');
    createKeyFile(path, newGatewayKeys(START_MS));
    chmodSync(path, mode);
    const error = keyError(() => readKeyFile(path));
    expect(error.code).toBe('KEY_FILE_PERMISSIONS');
    expect(error.message).toBe(
      `The key file ${path} is open to group or others (mode ${mode.toString(8)}): run \`chmod 600 ${path}\` so that only the gateway's user can read it`,
    );
    chmodSync(path, 0o400);
    expect(readKeyFile(path).version).toBe(1);
  });
});

describe('the key source', () => {
  it('is --key-file, else AGENT_DESK_KEY_FILE, else AGENT_DESK_GATEWAY_KEYS, else none', () => {
    expect(keySourceFrom('a.json', { AGENT_DESK_KEY_FILE: 'b.json' })).toEqual({ keyFile: 'a.json' });
    expect(keySourceFrom(undefined, { AGENT_DESK_KEY_FILE: 'b.json' })).toEqual({ keyFile: 'b.json' });
    expect(keySourceFrom(undefined, { AGENT_DESK_GATEWAY_KEYS: '{}' })).toEqual({ keysJson: '{}' });
    expect(keySourceFrom(undefined, {})).toBeNull();
    expect(keyError(() => keySourceFrom('a.json', { AGENT_DESK_GATEWAY_KEYS: '{}' })).code).toBe(
      'KEY_SOURCE_CONFLICT',
    );
    expect(keyError(() => keySourceFrom(' ', {})).code).toBe('KEY_SOURCE_MISSING');
  });

  it('defaults to gateway-keys.json beside the database: created 0600 on first start, with a warning', () => {
    const dbPath = join(dir.path, 'gateway.db');
    const { logger, lines } = recordingLogger();
    const first = openGatewayKeys(undefined, dbPath, logger, START_MS);
    const keyFile = join(dir.path, 'gateway-keys.json');
    expect(first.keyFile).toBe(keyFile);
    expect(defaultKeyFilePath(dbPath)).toBe(keyFile);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const warnings = lines.filter((line) => line.level === 40).map((line) => line.msg);
    expect(warnings[0]).toBe('created gateway keys beside the database');
    expect(warnings[1]).toMatch(/in production keep them elsewhere/);

    const second = openGatewayKeys(undefined, dbPath, logger, START_MS);
    expect(second.ring.currentTokenKey()).toEqual(first.ring.currentTokenKey());
    expect(second.ring.currentAuditKey()).toEqual(first.ring.currentAuditKey());
  });

  it('takes the JSON from AGENT_DESK_GATEWAY_KEYS, writing nothing beside the database', () => {
    const keys = newGatewayKeys(START_MS);
    const store = openGatewayKeys(
      { keysJson: serialiseGatewayKeys(keys) },
      join(dir.path, 'gateway.db'),
      recordingLogger().logger,
    );
    expect(store.keyFile).toBeNull();
    expect(store.ring.currentTokenKey().id).toBe(keys.token[0]!.id);
    expect(existsSync(join(dir.path, 'gateway-keys.json'))).toBe(false);
  });

  it('needs a source for an in-memory database', () => {
    expect(keyError(() => openGatewayKeys(undefined, ':memory:', recordingLogger().logger)).code).toBe(
      'KEY_SOURCE_MISSING',
    );
  });

  it('reloads a rotated file into the ring, and keeps the keys in use when the file is broken', () => {
    const keyFile = join(dir.path, 'keys.json');
    const keys = newGatewayKeys(START_MS);
    createKeyFile(keyFile, keys);
    const store = openGatewayKeys({ keyFile }, join(dir.path, 'gateway.db'), recordingLogger().logger);

    const rotated = rotateTokenKey(keys, START_MS, 3600);
    writeFileSync(keyFile, serialiseGatewayKeys(rotated.keys));
    store.reload();
    expect(store.ring.currentTokenKey().id).toBe(rotated.current);
    expect(store.ring.tokenKey(rotated.retired)?.retiredAtMs).toBe(START_MS);

    writeFileSync(keyFile, '{"version":1');
    expect(keyError(() => store.reload()).code).toBe('KEY_FILE_INVALID');
    expect(store.ring.currentTokenKey().id).toBe(rotated.current);
  });
});

describe('npm run gateway -- keys', () => {
  function keys(args: string[], env: Record<string, string> = {}, nowMs = START_MS) {
    let out = '';
    let err = '';
    const code = runKeysCli(
      args,
      { log: (text) => (out += `${text}\n`), error: (text) => (err += `${text}\n`) },
      env,
      () => nowMs,
    );
    return { code, out, err };
  }

  it('init creates the file and never overwrites it', () => {
    const keyFile = join(dir.path, 'keys.json');
    const created = keys(['init', '--key-file', keyFile]);
    expect(created).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Created .*keys\.json: token key tok_\w+, audit key aud_\w+\.\n$/),
    });
    const text = readFileSync(keyFile, 'utf8');
    expect(keys(['init'], { AGENT_DESK_KEY_FILE: keyFile })).toEqual({
      code: 1,
      out: '',
      err: `${keyFile} already exists: it is never overwritten\n`,
    });
    expect(readFileSync(keyFile, 'utf8')).toBe(text);
  });

  it('rotate and rotate-audit replace the file atomically, 0600, and say to send SIGHUP', () => {
    const keyFile = join(dir.path, 'keys.json');
    keys(['init', '--key-file', keyFile]);
    const before = readKeyFile(keyFile);

    const rotated = keys(['rotate', '--key-file', keyFile], {}, START_MS + 60_000);
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain(
      `${before.token[0]!.id} verifies the tokens it signed for one more token TTL`,
    );
    expect(rotated.out).toContain('SIGHUP');
    const afterToken = readKeyFile(keyFile);
    expect(afterToken.token.map((key) => key.retiredAt)).toEqual([
      new Date(START_MS + 60_000).toISOString(),
      undefined,
    ]);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    expect(keys(['rotate-audit', '--key-file', keyFile]).code).toBe(0);
    const afterAudit = readKeyFile(keyFile);
    expect(afterAudit.audit).toHaveLength(2);
    expect(afterAudit.token).toEqual(afterToken.token);
  });

  it('fails on a missing file and answers usage errors with exit 2', () => {
    const missing = keys(['rotate', '--key-file', join(dir.path, 'none.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No key file at .*none\.json: create one with/);
    expect(keys(['rotate']).code).toBe(2);
    expect(keys(['spin', '--key-file', 'k.json']).code).toBe(2);
    expect(keys(['init', 'rotate', '--key-file', 'k.json']).code).toBe(2);
    expect(keys(['init', '--colour']).code).toBe(2);
    expect(keys(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('rotate-audit') });
  });
});

describe('the migration that moves the keys out of the database', () => {
  it('deletes the old token secret and keeps the plain audit rows verifiable as the start of the log', () => {
    const path = join(dir.path, 'old.db');
    const keysMigration = MIGRATIONS.find(
      (migration) => migration.name === 'signing keys outside the database',
    )!;
    // A database as the gateway left it before: a token secret in meta, a plain audit row.
    const old = new Database(path);
    for (const migration of MIGRATIONS.filter((candidate) => candidate.version < keysMigration.version)) {
      old.exec(migration.sql);
      migration.backfill?.(old);
    }
    old.pragma(`user_version = ${keysMigration.version - 1}`);
    old
      .prepare("INSERT INTO meta (key, value) VALUES ('token_secret', ?), ('other', 'kept')")
      .run('c2VjcmV0');
    const row = {
      seq: 1,
      at: new Date(START_MS).toISOString(),
      actor: 'usr_1',
      action: 'order.refund',
      target: 'ord_1',
      detailsJson: '{}',
      prevHash: GENESIS_HASH,
    };
    old
      .prepare(
        `INSERT INTO audit_log (seq, at, actor, action, target, details_json, prev_hash, hash)
         VALUES (@seq, @at, @actor, @action, @target, @detailsJson, @prevHash, @hash)`,
      )
      .run({ ...row, hash: plainAuditRowHash(row) });
    old.close();

    const db = openDatabase(path);
    try {
      expect(db.prepare('SELECT key, value FROM meta').all()).toEqual([{ key: 'other', value: 'kept' }]);
      expect(db.prepare('SELECT key_id FROM audit_log').all()).toEqual([{ key_id: null }]);
      expect(verifyAudit(db, new KeyRing(newGatewayKeys(START_MS)))).toMatchObject({ ok: true, rows: 1 });
    } finally {
      db.close();
    }
  });
});
