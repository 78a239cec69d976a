import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditCli } from '../../../src/server/audit/audit-cli';
import { openDatabase } from '../../../src/server/db/open-database';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { anOrder } from '../shared/rules/order-builder';
import { AgentClient } from './support/agent-client';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const dir = makeTempDir();
const dbPath = join(dir.path, 'gateway.db');

const keyFile = join(dir.path, 'gateway-keys.json');
const checkpointFile = join(dir.path, 'gateway.db.audit-checkpoint.json');

/** Runs the CLI in-process, capturing what it prints. */
function audit(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runAuditCli(
    args,
    {
      log: (text) => (out += `${text}\n`),
      error: (text) => (err += `${text}\n`),
    },
    env,
  );
  return { code, out, err };
}

beforeAll(async () => {
  const now = new Date();
  const db = openDatabase(dbPath);
  await new SqliteOrderStore(db).insertMany([
    anOrder('CNY', now).withId('ord_a').item('EL-PB-20K', 15900, 2).build(),
    anOrder('CNY', now).withId('ord_b').item('HM-KT-GLS', 14900).build(),
  ]);
  db.close();

  // Three sensitive actions through a real gateway: a refund, an address change, a cancel.
  const gateway = await startTestGateway({ dbPath, demo: { orders: 0 } });
  const { client } = await AgentClient.ready(gateway.url);
  try {
    await client.call('auth.login', DEMO_LOGIN);
    const a = (await client.call('orders.get', { id: 'ord_a' })).order;
    const refunded = await client.call('orders.action', {
      orderId: 'ord_a',
      expectedVersion: a.version,
      idempotencyKey: 'audit-cli-1',
      action: { type: 'refund', items: [{ sku: 'EL-PB-20K', qty: 1 }], reason: 'scratched' },
    });
    await client.call('orders.action', {
      orderId: 'ord_a',
      expectedVersion: refunded.order.version,
      idempotencyKey: 'audit-cli-2',
      // The agent types the whole new address (what it receives of the old one is masked).
      action: {
        type: 'address_change',
        address: {
          name: '张伟',
          phone: '+8613800138000',
          line1: '新地址 8 号',
          city: '上海',
          region: '上海',
          postalCode: '200001',
          country: 'CN',
        },
      },
    });
    const b = (await client.call('orders.get', { id: 'ord_b' })).order;
    await client.call('orders.action', {
      orderId: 'ord_b',
      expectedVersion: b.version,
      idempotencyKey: 'audit-cli-3',
      action: { type: 'cancel', reason: 'duplicate order' },
    });
  } finally {
    await client.close();
    await gateway.close();
  }
});

afterAll(() => dir.remove());

describe('npm run gateway -- audit verify', () => {
  it('prints OK with the row count and the checkpoint reached, and exits 0 on an intact log', () => {
    // The gateway's key file and checkpoint beside the database are the defaults.
    const { code, out, err } = audit(['verify', '--db', dbPath]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(
      /^Audit log OK: 3 rows, head [0-9a-f]{64}; reaches the checkpoint of \S+ \(seq 3\)\n$/,
    );
    expect(
      audit(['verify', '--db', dbPath, '--key-file', keyFile, '--checkpoint', checkpointFile]).code,
    ).toBe(0);
  });

  it('takes the keys from AGENT_DESK_KEY_FILE or AGENT_DESK_GATEWAY_KEYS', () => {
    const elsewhere = makeTempDir();
    try {
      const movedDb = join(elsewhere.path, 'copy.db');
      copyFileSync(dbPath, movedDb);
      const checkpoint = ['--checkpoint', checkpointFile];
      expect(audit(['verify', '--db', movedDb, ...checkpoint], { AGENT_DESK_KEY_FILE: keyFile }).code).toBe(
        0,
      );
      const json = readFileSync(keyFile, 'utf8');
      expect(audit(['verify', '--db', movedDb, ...checkpoint], { AGENT_DESK_GATEWAY_KEYS: json }).code).toBe(
        0,
      );
    } finally {
      elsewhere.remove();
    }
  });

  it('does not pass without the keys, or without a checkpoint unless told to', () => {
    const elsewhere = makeTempDir();
    try {
      const movedDb = join(elsewhere.path, 'copy.db');
      copyFileSync(dbPath, movedDb);
      const noKeys = audit(['verify', '--db', movedDb]);
      expect(noKeys.code).toBe(1);
      expect(noKeys.err).toMatch(
        /^Audit log NOT VERIFIED: no audit keys .*without them anyone could have rewritten the log\n$/,
      );

      const noCheckpoint = audit(['verify', '--db', movedDb, '--key-file', keyFile]);
      expect(noCheckpoint.code).toBe(1);
      expect(noCheckpoint.err).toMatch(
        /^Audit log NOT VERIFIED: no audit checkpoint at .*copy\.db\.audit-checkpoint\.json/,
      );

      const told = audit(['verify', '--db', movedDb, '--key-file', keyFile, '--no-checkpoint']);
      expect(told.code).toBe(0);
      expect(told.out).toMatch(/^Audit log OK: 3 rows, head [0-9a-f]{64}\n$/);
      expect(told.err).toContain('Warning: checked without a checkpoint');
    } finally {
      elsewhere.remove();
    }
  });

  it('exits 2 with the usage on a wrong command', () => {
    expect(audit(['check']).code).toBe(2);
    expect(audit(['verify', '--colour']).code).toBe(2);
    expect(audit(['verify', '--checkpoint', 'c.json', '--no-checkpoint']).code).toBe(2);
  });

  it('exits 1 for a file that does not exist', () => {
    expect(audit(['verify', '--db', join(dir.path, 'missing.db')]).code).toBe(1);
  });

  it('after one row is edited in the database, the real CLI exits 1 naming that row', async () => {
    const db = new Database(dbPath);
    db.exec('DROP TRIGGER audit_log_no_update');
    const edited = db
      .prepare(
        "UPDATE audit_log SET details_json = replace(details_json, '新地址 8 号', '别的地址 1 号') WHERE seq = 2",
      )
      .run();
    db.close();
    expect(edited.changes).toBe(1);

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../../../src/server/index.ts'),
        'audit',
        'verify',
        '--db',
        dbPath,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toContain('Warning: the triggers that make audit_log append-only are missing.');
    expect(stderr).toContain(
      'Audit log FAILED at seq 2: the row was changed after it was written (MAC mismatch); 1 intact row before it',
    );
  });
});
