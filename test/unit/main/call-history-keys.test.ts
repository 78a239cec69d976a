import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CallHistory } from '../../../src/main/services/calls/CallHistory';
import { CALL_HISTORY_MIGRATIONS } from '../../../src/main/services/calls/call-history-migrations';
import type { KeyProvider } from '../../../src/main/services/telephony/KeyProvider';
import type { NewCallRecord } from '../../../src/shared/call-history';
import { createTestKeyProvider } from '../../harness/test-key-provider';

const dirs: string[] = [];
const tempPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-desk-call-history-'));
  dirs.push(dir);
  return join(dir, 'call-history.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const call = (callId = 'c1'): NewCallRecord => ({
  callId,
  direction: 'inbound',
  number: '+8613800138000',
  name: 'Li Na',
  startedAt: '2026-11-23T09:00:00.000Z',
  durationSeconds: 30,
  outcome: 'answered',
  orderId: null,
});

const unavailableKeys: KeyProvider = {
  isAvailable: () => false,
  encrypt: () => {
    throw new Error('no key store');
  },
  decrypt: () => {
    throw new Error('no key store');
  },
};

async function started(path: string, keys: KeyProvider, enabled = true): Promise<CallHistory> {
  const history = new CallHistory({ path, keys, enabled });
  await history.start();
  return history;
}

describe('CallHistory: its data key and the cache rules', () => {
  it('keeps calls across restarts with the same wrapped key', async () => {
    const path = tempPath();
    const keys = createTestKeyProvider(randomBytes(32));
    const first = await started(path, keys);
    first.record(call());
    first.stop();
    expect(existsSync(`${path}.key`)).toBe(true);
    const second = await started(path, keys);
    expect(second.recent(5).map((record) => record.number)).toEqual(['+8613800138000']);
    second.stop();
  });

  it('deletes a history whose key is lost (another OS key), and starts an empty one', async () => {
    const path = tempPath();
    const first = await started(path, createTestKeyProvider(randomBytes(32)));
    first.record(call());
    first.stop();
    const afterLoss = await started(path, createTestKeyProvider(randomBytes(32)));
    expect(afterLoss.recent(5)).toEqual([]);
    afterLoss.record(call('c2'));
    expect(afterLoss.recent(5).map((record) => record.callId)).toEqual(['c2']);
    afterLoss.stop();
  });

  it('deletes a history whose key file is gone', async () => {
    const path = tempPath();
    const keys = createTestKeyProvider(randomBytes(32));
    const first = await started(path, keys);
    first.record(call());
    first.stop();
    rmSync(`${path}.key`);
    const afterLoss = await started(path, keys);
    expect(afterLoss.recent(5)).toEqual([]);
    afterLoss.stop();
  });

  it('wipes every call and seals what follows with a new key', async () => {
    const path = tempPath();
    const keys = createTestKeyProvider(randomBytes(32));
    const history = await started(path, keys);
    history.record(call());
    const keyBefore = readFileSync(`${path}.key`);
    await history.wipe();
    expect(history.recent(5)).toEqual([]);
    expect(readFileSync(`${path}.key`).equals(keyBefore)).toBe(false);
    history.record(call('after-wipe'));
    history.stop();
    const reopened = await started(path, keys);
    expect(reopened.recent(5).map((record) => record.callId)).toEqual(['after-wipe']);
    reopened.stop();
  });

  it.each([
    ['the IT policy keeps no personal data', createTestKeyProvider(), false],
    ['the OS has no protected key store', unavailableKeys, true],
  ])('keeps nothing when %s: files deleted, calls answered CALL_HISTORY_OFF', async (_why, keys, enabled) => {
    const path = tempPath();
    const earlier = await started(path, createTestKeyProvider());
    earlier.record(call());
    earlier.stop();
    const history = await started(path, keys, enabled);
    expect(history.enabled).toBe(false);
    for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}.key`])
      expect(existsSync(file)).toBe(false);
    expect(() => history.record(call())).toThrow(expect.objectContaining({ code: 'CALL_HISTORY_OFF' }));
    expect(() => history.recent(5)).toThrow(expect.objectContaining({ code: 'CALL_HISTORY_OFF' }));
    await history.wipe();
    expect(existsSync(path)).toBe(false);
  });

  it('seals the clear history of an older desk at the upgrade (no key file yet), keeping its calls', async () => {
    const path = tempPath();
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    for (const migration of CALL_HISTORY_MIGRATIONS.filter((m) => m.version <= 3)) old.exec(migration.sql);
    old.pragma('user_version = 3');
    old
      .prepare(
        `INSERT INTO calls (call_id, direction, number, name, started_at, duration_seconds, outcome, order_id, disposition, note)
         VALUES ('old', 'inbound', '+8613912345678', 'Wang Fang', '2026-11-20T08:00:00.000Z', 61, 'answered', NULL, 'resolved', 'ok')`,
      )
      .run();
    old.close();
    const history = await started(path, createTestKeyProvider());
    expect(history.get('old')).toMatchObject({ number: '+8613912345678', name: 'Wang Fang', note: 'ok' });
    history.stop();
  });
});
