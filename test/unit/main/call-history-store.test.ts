import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CALL_HISTORY_MIGRATIONS } from '../../../src/main/services/calls/call-history-migrations';
import { CallHistoryStore } from '../../../src/main/services/calls/CallHistoryStore';
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

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'call-history-')), 'calls.db');

describe('CallHistoryStore (real SQLite)', () => {
  it('creates the schema in WAL mode at the latest migration', () => {
    const path = tempDb();
    const store = new CallHistoryStore(path);
    expect(store.schemaVersion).toBe(CALL_HISTORY_MIGRATIONS.at(-1)!.version);
    store.record(call());
    expect(readdirSync(join(path, '..'))).toContain('calls.db-wal');
    store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('records a call, then its disposition and note; recording it again keeps the disposition', () => {
    const store = new CallHistoryStore(tempDb());
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
    const store = new CallHistoryStore(tempDb());
    for (let i = 0; i < 5; i++) {
      store.record(call({ callId: `c${i}`, startedAt: `2025-03-05T09:0${i}:00.000Z` }));
    }
    expect(store.recent(3).map((row) => row.callId)).toEqual(['c4', 'c3', 'c2']);
    store.close();
  });

  it('answers NOT_FOUND for the disposition of an unknown call', () => {
    const store = new CallHistoryStore(tempDb());
    expect(() => store.setDisposition({ callId: 'nope', disposition: 'other', note: null })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    store.close();
  });

  it('survives reopening and refuses a schema newer than it knows', () => {
    const path = tempDb();
    new CallHistoryStore(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => new CallHistoryStore(path)).toThrow(/newer/);
  });

  it('loads better-sqlite3 from the nativeBinding it is given (how Electron gets its own build)', () => {
    expect(
      () => new CallHistoryStore(tempDb(), { nativeBinding: '/nonexistent/better_sqlite3.node' }),
    ).toThrow();
  });
});
