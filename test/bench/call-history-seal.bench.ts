/**
 * Call history sealing benchmark: an older desk's clear history of N calls (each with a note and
 * a summary) is sealed by migration 4 and scrubbed (checkpoint, VACUUM), timed as the desk's
 * start sees it; then recent(200) (what the call history screen reads) and record() of a new call.
 *
 *   npx tsx test/bench/call-history-seal.bench.ts [--calls 10000]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { CALL_HISTORY_MIGRATIONS } from '../../src/main/services/calls/call-history-migrations';
import { CallHistoryStore } from '../../src/main/services/calls/CallHistoryStore';
import { percentiles } from './percentiles';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '10000' } } });
const calls = Number(values.calls);
const dir = mkdtempSync(join(tmpdir(), 'call-history-bench-'));
const path = join(dir, 'call-history.db');

try {
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  for (const migration of CALL_HISTORY_MIGRATIONS.filter((m) => m.version <= 3)) old.exec(migration.sql);
  old.pragma('user_version = 3');
  const insert = old.prepare(
    `INSERT INTO calls (call_id, direction, number, name, started_at, duration_seconds, outcome, order_id, disposition, note, summary_json)
     VALUES (?, 'inbound', ?, ?, ?, 95, 'answered', NULL, 'resolved', ?, ?)`,
  );
  const summary = JSON.stringify({
    orders: [{ orderId: 'ord_1', displayNumber: 'DD-20261123-0001' }],
    actions: [],
  });
  old.transaction(() => {
    for (let i = 0; i < calls; i++) {
      const startedAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      const note = `Customer asked about the parcel, promised a callback (${i})`;
      insert.run(
        `call-${i}@pbx`,
        `+86138${String(i).padStart(8, '0')}`,
        `Caller ${i}`,
        startedAt,
        note,
        summary,
      );
    }
  })();
  old.close();
  const clearBytes = statSync(path).size;

  const dataKey = randomBytes(32);
  let began = performance.now();
  const store = new CallHistoryStore(path, { dataKey });
  const sealMs = performance.now() - began;

  const reads: number[] = [];
  for (let i = 0; i < 50; i++) {
    began = performance.now();
    store.recent(200);
    reads.push(performance.now() - began);
  }
  const writes: number[] = [];
  for (let i = 0; i < 200; i++) {
    began = performance.now();
    store.record({
      callId: `new-${i}@pbx`,
      direction: 'inbound',
      number: '+8613800138000',
      name: 'New caller',
      startedAt: new Date().toISOString(),
      durationSeconds: 30,
      outcome: 'answered',
      orderId: null,
    });
    writes.push(performance.now() - began);
  }
  store.close();
  const read = percentiles(reads.sort((a, b) => a - b));
  const write = percentiles(writes.sort((a, b) => a - b));
  console.log(
    [
      `calls: ${calls}`,
      `seal + scrub at start: ${sealMs.toFixed(0)} ms`,
      `file: ${(clearBytes / 1024).toFixed(0)} KiB in clear, ${(statSync(path).size / 1024).toFixed(0)} KiB sealed`,
      `recent(200): p50 ${read.p50.toFixed(2)} ms, p95 ${read.p95.toFixed(2)} ms`,
      `record(): p50 ${write.p50.toFixed(3)} ms, p95 ${write.p95.toFixed(3)} ms`,
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
