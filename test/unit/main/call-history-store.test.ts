import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CALL_HISTORY_MIGRATIONS } from '../../../src/main/services/calls/call-history-migrations';
import { CallHistoryKeyMismatch, CallHistoryStore } from '../../../src/main/services/calls/CallHistoryStore';
import type { NewCallRecord } from '../../../src/shared/call-history';

const call = (overrides: Partial<NewCallRecord> = {}): NewCallRecord => ({
  callId: 'c1@desk',
  direction: 'inbound',
  number: '+8613800138000',
  name: '张伟',
  startedAt: '2025-03-05T09:00:00.000Z',
  durationSeconds: 42,
  outcome: 'answered',
  orderId: 'DM-1001',
  ...overrides,
});

const dataKey = randomBytes(32);

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'call-history-')), 'calls.db');

describe('CallHistoryStore (real SQLite)', () => {
  it('creates the schema in WAL mode at the latest migration', () => {
    const path = tempDb();
    const store = new CallHistoryStore(path, { dataKey });
    expect(store.schemaVersion).toBe(CALL_HISTORY_MIGRATIONS.at(-1)!.version);
    store.record(call());
    expect(readdirSync(join(path, '..'))).toContain('calls.db-wal');
    store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('records a call, then its disposition and note; recording it again keeps the disposition', () => {
    const store = new CallHistoryStore(tempDb(), { dataKey });
    store.record(call());
    expect(
      store.setDisposition({ callId: 'c1@desk', disposition: 'resolved', note: 'refund explained' }),
    ).toMatchObject({
      disposition: 'resolved',
      note: 'refund explained',
      orderId: 'DM-1001',
    });
    store.record(call({ durationSeconds: 50 }));
    expect(store.get('c1@desk')).toMatchObject({ durationSeconds: 50, disposition: 'resolved' });
    store.close();
  });

  it('lists newest first, bounded', () => {
    const store = new CallHistoryStore(tempDb(), { dataKey });
    for (let i = 0; i < 5; i++) {
      store.record(call({ callId: `c${i}`, startedAt: `2025-03-05T09:0${i}:00.000Z` }));
    }
    expect(store.recent(3).map((row) => row.callId)).toEqual(['c4', 'c3', 'c2']);
    store.close();
  });

  it('answers NOT_FOUND for the disposition of an unknown call', () => {
    const store = new CallHistoryStore(tempDb(), { dataKey });
    expect(() => store.setDisposition({ callId: 'nope', disposition: 'other', note: null })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    store.close();
  });

  it('survives reopening and refuses a schema newer than it knows', () => {
    const path = tempDb();
    new CallHistoryStore(path, { dataKey }).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => new CallHistoryStore(path, { dataKey })).toThrow(/newer/);
  });

  it('loads better-sqlite3 from the nativeBinding it is given (how Electron gets its own build)', () => {
    expect(
      () => new CallHistoryStore(tempDb(), { dataKey, nativeBinding: '/nonexistent/better_sqlite3.node' }),
    ).toThrow();
  });
});

describe('CallHistoryStore: personal columns sealed', () => {
  it('stores the number, name, note and summary sealed, and reads them back', () => {
    const path = tempDb();
    const store = new CallHistoryStore(path, { dataKey });
    store.record(call({ name: 'Zhang Wei' }));
    const summary = { orders: [{ orderId: 'DM-1001', displayNumber: 'DM-1001' }], actions: [] };
    store.setDisposition({ callId: 'c1@desk', disposition: 'resolved', note: 'refund explained', summary });
    expect(store.get('c1@desk')).toMatchObject({
      number: '+8613800138000',
      name: 'Zhang Wei',
      note: 'refund explained',
      summary,
    });
    store.close();

    const raw = new Database(path, { readonly: true });
    const row = raw.prepare('SELECT number, name, note, summary FROM calls').get() as Record<string, Buffer>;
    raw.close();
    for (const [column, clear] of [
      ['number', '+8613800138000'],
      ['name', 'Zhang Wei'],
      ['note', 'refund explained'],
      ['summary', 'DM-1001'],
    ] as const) {
      expect(Buffer.isBuffer(row[column]), column).toBe(true);
      expect(row[column]!.includes(Buffer.from(clear)), column).toBe(false);
    }
  });

  it('refuses a file sealed with another data key', () => {
    const path = tempDb();
    new CallHistoryStore(path, { dataKey }).close();
    expect(() => new CallHistoryStore(path, { dataKey: randomBytes(32) })).toThrow(CallHistoryKeyMismatch);
  });

  it("does not open a sealed value copied into another call's row", () => {
    const path = tempDb();
    const store = new CallHistoryStore(path, { dataKey });
    store.record(call({ callId: 'a', number: '+8613800000001' }));
    store.record(call({ callId: 'b', number: '+8613800000002' }));
    store.close();
    const raw = new Database(path);
    raw.exec(`UPDATE calls SET number = (SELECT number FROM calls WHERE call_id = 'a') WHERE call_id = 'b'`);
    raw.close();
    const reopened = new CallHistoryStore(path, { dataKey });
    expect(reopened.get('a')?.number).toBe('+8613800000001');
    expect(() => reopened.get('b')).toThrow();
    reopened.close();
  });
});
