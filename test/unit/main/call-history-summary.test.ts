import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CallHistoryStore } from '../../../src/main/services/calls/CallHistoryStore';
import { CALL_HISTORY_MIGRATIONS } from '../../../src/main/services/calls/call-history-migrations';
import type { CallAction } from '../../../src/shared/call-history';

const dataKey = randomBytes(32);
const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-desk-calls-'));
  dirs.push(dir);
  return join(dir, 'calls.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const note: CallAction = {
  orderId: 'ord_1',
  displayNumber: 'DD-20261123-0001',
  type: 'note',
  outcome: 'applied',
  at: '2026-11-23T09:02:00.000Z',
};

describe('call history: wrap-up summary and linked actions', () => {
  it('migrates a version-1 file in place, keeping its calls', () => {
    const path = tempFile();
    // A file as the previous release left it: only migration 1, one call with a disposition.
    const old = new Database(path);
    old.exec(CALL_HISTORY_MIGRATIONS.find((migration) => migration.version === 1)!.sql);
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO calls (call_id, direction, number, name, started_at, duration_seconds, outcome, order_id, disposition, note)
         VALUES ('old-call', 'inbound', '+8613800138000', '', '2026-11-20T08:00:00.000Z', 61, 'answered', NULL, 'resolved', 'ok')`,
      )
      .run();
    old.close();

    const store = new CallHistoryStore(path, { dataKey });
    try {
      expect(store.schemaVersion).toBe(CALL_HISTORY_MIGRATIONS.at(-1)!.version);
      expect(store.get('old-call')).toMatchObject({
        disposition: 'resolved',
        note: 'ok',
        durationSeconds: 61,
        actions: [],
        summary: null,
      });
    } finally {
      store.close();
    }
  });

  it('keeps actions recorded while the call was on, and the saved summary, across reopening', () => {
    const path = tempFile();
    const store = new CallHistoryStore(path, { dataKey });
    // The action lands before the call's row exists (the call is still going on).
    store.addAction({ callId: 'call-1', action: note });
    store.record({
      callId: 'call-1',
      direction: 'inbound',
      number: '+8613800138000',
      name: '',
      startedAt: '2026-11-23T09:00:00.000Z',
      durationSeconds: 180,
      outcome: 'answered',
      orderId: null,
    });
    // One more in after-call work.
    const refund: CallAction = {
      ...note,
      type: 'refund',
      outcome: 'pending_approval',
      at: '2026-11-23T09:04:00.000Z',
    };
    store.addAction({ callId: 'call-1', action: refund });
    store.setDisposition({
      callId: 'call-1',
      disposition: 'resolved',
      note: 'Sent the tracking link',
      summary: { orders: [{ orderId: 'ord_1', displayNumber: 'DD-20261123-0001' }], actions: [note] },
    });
    store.close();

    const reopened = new CallHistoryStore(path, { dataKey });
    try {
      const [record] = reopened.recent(10);
      expect(record).toMatchObject({
        callId: 'call-1',
        disposition: 'resolved',
        note: 'Sent the tracking link',
        actions: [note, refund],
        summary: { orders: [{ orderId: 'ord_1', displayNumber: 'DD-20261123-0001' }], actions: [note] },
      });
      // A disposition without a summary (as older desks send it) keeps the saved summary.
      reopened.setDisposition({ callId: 'call-1', disposition: 'follow_up', note: null });
      expect(reopened.get('call-1')?.summary?.actions).toEqual([note]);
    } finally {
      reopened.close();
    }
  });
});

describe('call history: wrap-up auto-saved when after-call work ends without a save', () => {
  const call = (callId: string) => ({
    callId,
    direction: 'inbound' as const,
    number: '+8613800138000',
    name: '',
    startedAt: '2026-11-23T09:00:00.000Z',
    durationSeconds: 95,
    outcome: 'answered' as const,
    orderId: null,
  });
  const summary = { orders: [{ orderId: 'ord_1', displayNumber: 'DD-20261123-0001' }], actions: [note] };

  it('saves the wrap-up so far once, marked, and keeps it across reopening', () => {
    const path = tempFile();
    const store = new CallHistoryStore(path, { dataKey });
    store.record(call('call-auto'));
    store.addAction({ callId: 'call-auto', action: note });
    const saved = store.autoSaveWrapUp({
      callId: 'call-auto',
      disposition: null,
      note: 'Customer will',
      summary,
    });
    expect(saved).toMatchObject({ disposition: null, note: 'Customer will', summary, autoSaved: true });
    // Asked again (a second trigger): the first save stands.
    const again = store.autoSaveWrapUp({
      callId: 'call-auto',
      disposition: 'resolved',
      note: 'something else',
      summary: { orders: [], actions: [] },
    });
    expect(again).toEqual(saved);
    store.close();

    const reopened = new CallHistoryStore(path, { dataKey });
    try {
      expect(reopened.get('call-auto')).toMatchObject({ note: 'Customer will', summary, autoSaved: true });
      expect(reopened.recent(5).map((record) => record.autoSaved)).toEqual([true]);
    } finally {
      reopened.close();
    }
  });

  it("never overwrites the agent's own save, and an agent's save is not marked auto-saved", () => {
    const store = new CallHistoryStore(tempFile(), { dataKey });
    try {
      store.record(call('call-saved'));
      store.setDisposition({ callId: 'call-saved', disposition: 'resolved', note: 'Done', summary });
      const after = store.autoSaveWrapUp({ callId: 'call-saved', disposition: null, note: null });
      expect(after).toMatchObject({ disposition: 'resolved', note: 'Done', summary, autoSaved: false });

      // A disposition saved without a summary (an older desk) counts as saved too.
      store.record(call('call-disposition-only'));
      store.setDisposition({ callId: 'call-disposition-only', disposition: 'follow_up', note: null });
      expect(
        store.autoSaveWrapUp({ callId: 'call-disposition-only', disposition: null, note: 'x', summary }),
      ).toMatchObject({ disposition: 'follow_up', note: null, summary: null, autoSaved: false });
    } finally {
      store.close();
    }
  });

  it('keeps the chosen disposition, and without a summary the actions recorded as taken', () => {
    const store = new CallHistoryStore(tempFile(), { dataKey });
    try {
      store.record(call('call-no-summary'));
      store.addAction({ callId: 'call-no-summary', action: note });
      expect(
        store.autoSaveWrapUp({ callId: 'call-no-summary', disposition: 'follow_up', note: null }),
      ).toMatchObject({ disposition: 'follow_up', summary: null, actions: [note], autoSaved: true });
      expect(() => store.autoSaveWrapUp({ callId: 'no-such-call', disposition: null, note: null })).toThrow(
        expect.objectContaining({ code: 'NOT_FOUND' }),
      );
    } finally {
      store.close();
    }
  });
});
