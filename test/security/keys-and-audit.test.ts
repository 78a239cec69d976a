import { createHash, createHmac } from 'node:crypto';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAuditCli } from '../../src/server/audit/audit-cli';
import { canonicalJson } from '../../src/server/audit/canonical-json';
import type { Gateway } from '../../src/server/gateway';
import { defaultKeyFilePath, readKeys } from '../../src/server/keys/key-source';
import { DEMO_PASSWORD } from '../../src/shared/demo';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { AgentClient } from '../unit/server/support/agent-client';
import { makeTempDir } from '../unit/server/support/temp-dir';
import { startTestGateway } from '../unit/server/support/test-gateway';

/**
 * Issue 13, items 3 and 7: the token signing key lived in the gateway database, so a copy of the
 * file minted admin tokens; tokens without a session id or with any expiry were accepted; and the
 * audit chain was a plain SHA-256 chain that anyone with the file could edit and re-chain, or
 * cut short. Each attack below is replayed the way an attacker would run it.
 */

const TOKEN_TTL_SECONDS = 3600;
const TEN_YEARS_SECONDS = 10 * 365 * 24 * 3600;

/** What a hello with `token` gets: 'accepted', or the error code. */
async function helloWith(url: string, token: string): Promise<string> {
  const client = await AgentClient.connect(url);
  try {
    client.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      client: { name: 'attacker', version: '1' },
      token,
    });
    const frame = await client.next();
    if (frame.type === 'hello.ok') return 'accepted';
    return frame.type === 'error' ? frame.error.code : frame.type;
  } finally {
    await client.close();
  }
}

/** A token in the gateway's format, signed by hand: `kid.claims.mac`, or `claims.mac` without a kid. */
function forgeToken(key: Buffer, keyId: string | null, claims: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const signed = keyId === null ? payload : `${keyId}.${payload}`;
  return `${signed}.${createHmac('sha256', key).update(signed).digest('base64url')}`;
}

async function signIn(url: string, username: string): Promise<string> {
  const { client } = await AgentClient.ready(url);
  try {
    return (await client.call('auth.login', { username, password: DEMO_PASSWORD })).token;
  } finally {
    await client.close();
  }
}

/** The file as a thief takes it: the database with its WAL, nothing else from the folder. */
function copyDatabaseFile(dbPath: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, to + suffix);
  }
}

/** Every text and blob value in every table of the copy. */
function everyValueIn(dbPath: string): (string | Buffer)[] {
  const db = new Database(dbPath);
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all();
    return tables.flatMap(({ name }) =>
      db
        .prepare(`SELECT * FROM "${name}"`)
        .raw()
        .all()
        .flat()
        .filter((value): value is string | Buffer => typeof value === 'string' || Buffer.isBuffer(value)),
    );
  } finally {
    db.close();
  }
}

/** Each value as the bytes of a key, read every way a key may be stored: raw, base64, hex. */
function keyCandidates(values: (string | Buffer)[]): Buffer[] {
  const candidates = new Map<string, Buffer>();
  const add = (bytes: Buffer) => {
    // Shorter than 16 bytes is no HMAC key anyone would use (the old one was 32).
    if (bytes.length >= 16) candidates.set(bytes.toString('hex'), bytes);
  };
  for (const value of values) {
    if (Buffer.isBuffer(value)) {
      add(value);
      continue;
    }
    add(Buffer.from(value, 'utf8'));
    if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
      add(Buffer.from(value, 'base64'));
      add(Buffer.from(value, 'base64url'));
    }
    if (/^(?:[0-9a-fA-F]{2})+$/.test(value)) add(Buffer.from(value, 'hex'));
  }
  return [...candidates.values()];
}

describe('a copy of the gateway database', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let dbPath: string;
  let copyPath: string;
  let gateway: Gateway;

  beforeAll(async () => {
    dir = makeTempDir('agent-desk-security-');
    dbPath = join(dir.path, 'gateway.db');
    copyPath = join(dir.path, 'stolen.db');
    gateway = await startTestGateway({ dbPath, demo: { orders: 3 }, tokenTtlSeconds: TOKEN_TTL_SECONDS });
    // An admin is signed in: the thief finds a live sign-in (sid) in the copy.
    await signIn(gateway.url, 'admin');
    copyDatabaseFile(dbPath, copyPath);
  });

  afterAll(async () => {
    await gateway?.close();
    dir?.remove();
  });

  it('holds no value from which the thief can sign a token the gateway accepts', async () => {
    const stolen = new Database(copyPath);
    const admin = stolen.prepare<[], { id: string }>("SELECT id FROM users WHERE role = 'admin'").get()!;
    const families = stolen
      .prepare<[string], { id: string }>(
        'SELECT id FROM refresh_token_families WHERE user_id = ? AND revoked_at_ms IS NULL',
      )
      .all(admin.id);
    stolen.close();
    expect(families.length).toBeGreaterThan(0);
    const sid = families[0]!.id;
    // The kid is no secret: any token the thief has seen names it.
    const keyId = (await signIn(gateway.url, 'frontline')).split('.')[0]!;

    const candidates = keyCandidates(everyValueIn(copyPath));
    const iat = Math.floor(Date.now() / 1000);
    const claimsWith = (extra: Record<string, unknown>) => ({ sub: admin.id, role: 'admin', iat, ...extra });
    const forgeries = candidates.flatMap((key) => [
      forgeToken(key, null, claimsWith({ exp: iat + TEN_YEARS_SECONDS })),
      forgeToken(key, null, claimsWith({ exp: iat + TEN_YEARS_SECONDS, sid })),
      forgeToken(key, keyId, claimsWith({ exp: iat + TEN_YEARS_SECONDS })),
      forgeToken(key, keyId, claimsWith({ exp: iat + TOKEN_TTL_SECONDS, sid })),
    ]);

    // The forging is right: with the real key, kept outside the database, the same code signs in.
    const realKey = readKeys({ keyFile: defaultKeyFilePath(dbPath) }).token[0]!;
    expect(realKey.id).toBe(keyId);
    const realSecret = Buffer.from(realKey.key, 'base64');
    expect(
      await helloWith(gateway.url, forgeToken(realSecret, keyId, claimsWith({ exp: iat + 60, sid }))),
    ).toBe('accepted');
    expect(candidates.some((candidate) => candidate.equals(realSecret))).toBe(false);

    const accepted: number[] = [];
    for (let start = 0; start < forgeries.length; start += 16) {
      const batch = forgeries.slice(start, start + 16);
      const outcomes = await Promise.all(batch.map((token) => helloWith(gateway.url, token)));
      outcomes.forEach((outcome, index) => {
        if (outcome !== 'UNAUTHENTICATED') accepted.push(start + index);
      });
    }
    expect(candidates.length).toBeGreaterThan(20);
    expect(accepted).toEqual([]);
  });
});

describe('tokens signed with the real key', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let gateway: Gateway;
  let key: { id: string; secret: Buffer };
  let claims: { sub: string; role: string; sid: string };

  beforeAll(async () => {
    dir = makeTempDir('agent-desk-security-');
    const dbPath = join(dir.path, 'gateway.db');
    gateway = await startTestGateway({ dbPath, demo: { orders: 0 }, tokenTtlSeconds: TOKEN_TTL_SECONDS });
    const issued = JSON.parse(
      Buffer.from((await signIn(gateway.url, 'admin')).split('.')[1]!, 'base64url').toString('utf8'),
    ) as { sub: string; role: string; sid: string };
    claims = { sub: issued.sub, role: issued.role, sid: issued.sid };
    const stored = readKeys({ keyFile: defaultKeyFilePath(dbPath) }).token[0]!;
    key = { id: stored.id, secret: Buffer.from(stored.key, 'base64') };
  });

  afterAll(async () => {
    await gateway?.close();
    dir?.remove();
  });

  const now = () => Math.floor(Date.now() / 1000);

  it('are refused without a session id, which nothing could revoke', async () => {
    const { sid: _sid, ...withoutSid } = claims;
    const iat = now();
    expect(
      await helloWith(gateway.url, forgeToken(key.secret, key.id, { ...claims, iat, exp: iat + 60 })),
    ).toBe('accepted');
    expect(
      await helloWith(gateway.url, forgeToken(key.secret, key.id, { ...withoutSid, iat, exp: iat + 60 })),
    ).toBe('UNAUTHENTICATED');
  });

  it('are refused when they outlive the token TTL or were issued in the future', async () => {
    const iat = now();
    const longLived = forgeToken(key.secret, key.id, { ...claims, iat, exp: iat + TEN_YEARS_SECONDS });
    expect(await helloWith(gateway.url, longLived)).toBe('UNAUTHENTICATED');
    const justOverTtl = forgeToken(key.secret, key.id, { ...claims, iat, exp: iat + TOKEN_TTL_SECONDS + 1 });
    expect(await helloWith(gateway.url, justOverTtl)).toBe('UNAUTHENTICATED');
    // Issued a day ahead, so that it stays valid for a day after its TTL would have ended.
    const future = iat + 24 * 3600;
    const fromTheFuture = forgeToken(key.secret, key.id, {
      ...claims,
      iat: future,
      exp: future + TOKEN_TTL_SECONDS,
    });
    expect(await helloWith(gateway.url, fromTheFuture)).toBe('UNAUTHENTICATED');
  });
});

describe('the audit log, tampered with by someone who has the database file but not the keys', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let dbPath: string;

  /** `audit verify` with its defaults: the key file and checkpoint the gateway keeps. */
  function verify(): { code: number; out: string; err: string } {
    let out = '';
    let err = '';
    const code = runAuditCli(
      ['verify', '--db', dbPath],
      { log: (text) => (out += `${text}\n`), error: (text) => (err += `${text}\n`) },
      {},
    );
    return { code, out, err };
  }

  interface AuditRow {
    seq: number;
    at: string;
    actor: string;
    action: string;
    target: string;
    details_json: string;
    prev_hash: string;
  }

  /** The chain as it was: SHA-256 over the canonical fields and the previous hash, no key. */
  function plainChainHash(row: AuditRow): string {
    const fields = [row.seq, row.at, row.actor, row.action, row.target, row.details_json, row.prev_hash];
    return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
  }

  /** Re-chains every row from `fromSeq` on, as the attacker would after an edit. */
  function rechain(db: Database.Database, fromSeq: number, extraSet = ''): void {
    const rows = db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
    let prevHash =
      fromSeq === 1
        ? '0'.repeat(64)
        : db
            .prepare('SELECT hash FROM audit_log WHERE seq = ?')
            .pluck()
            .get(fromSeq - 1);
    for (const row of rows.filter((candidate) => candidate.seq >= fromSeq)) {
      const hash = plainChainHash({ ...row, prev_hash: prevHash as string });
      db.prepare(`UPDATE audit_log SET prev_hash = ?, hash = ?${extraSet} WHERE seq = ?`).run(
        prevHash,
        hash,
        row.seq,
      );
      prevHash = hash;
    }
  }

  beforeEach(async () => {
    dir = makeTempDir('agent-desk-security-');
    dbPath = join(dir.path, 'gateway.db');
    // Five reveals of a customer's phone: five audit rows, then a clean shutdown.
    const gateway = await startTestGateway({ dbPath, demo: { orders: 3 } });
    const { client } = await AgentClient.ready(gateway.url);
    try {
      await client.call('auth.login', { username: 'frontline', password: DEMO_PASSWORD });
      const [order] = (await client.call('orders.search', { limit: 1 })).items;
      for (let i = 0; i < 5; i += 1) {
        await client.call('orders.reveal', {
          orderId: order!.id,
          field: 'customer.phone',
          reason: `caller check ${i}`,
        });
      }
    } finally {
      await client.close();
      await gateway.close();
    }
    expect(verify()).toMatchObject({ code: 0, out: expect.stringMatching(/^Audit log OK: 5 rows/) });
  });

  afterEach(() => dir.remove());

  it('an edited row with the chain recomputed fails verify at that row', () => {
    const db = new Database(dbPath);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(
      "UPDATE audit_log SET details_json = replace(details_json, 'caller check 1', 'routine') WHERE seq = 2",
    ).run();
    rechain(db, 2);
    db.close();

    const result = verify();
    expect(result.code).toBe(1);
    expect(result.err).toContain('Audit log FAILED at seq 2: the row was changed after it was written');
  });

  it('a log rewritten whole as unkeyed rows fails verify against the checkpoint', () => {
    const db = new Database(dbPath);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(
      "UPDATE audit_log SET details_json = replace(details_json, 'caller check 1', 'routine') WHERE seq = 2",
    ).run();
    // Passing the rows off as written before audit keys existed (there is no key_id before the fix).
    const hasKeyId = db.prepare("SELECT 1 FROM pragma_table_info('audit_log') WHERE name = 'key_id'").get();
    rechain(db, 1, hasKeyId ? ', key_id = NULL' : '');
    db.close();

    const result = verify();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/Audit log FAILED at seq 5: the row differs from the checkpoint/);
  });

  it('removing the newest rows fails verify thanks to the checkpoint', () => {
    const db = new Database(dbPath);
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    db.close();

    const result = verify();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /Audit log FAILED at seq 4: the log ends at seq 3 but the checkpoint of \S+ saw seq 5: rows were removed from the end/,
    );
  });

  it('removing the newest rows keeps the gateway from starting, so no new checkpoint hides it', async () => {
    const db = new Database(dbPath);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    db.close();

    let started: Gateway | null = null;
    try {
      started = await startTestGateway({ dbPath });
    } catch (err) {
      expect(err).toMatchObject({ code: 'AUDIT_CHECKPOINT_MISMATCH' });
    } finally {
      await started?.close();
    }
    expect(started).toBeNull();
    expect(verify().code).toBe(1);
  });
});
