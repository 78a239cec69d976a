import { describe, expect, it } from 'vitest';
import { runFaultSet } from '../../faults/run-faults';

/**
 * The CI seed set of the fault harness (test/faults): 200 seeded runs of a real gateway and the
 * desk's real sync stack through dropped and duplicated frames, reconnect storms, gateway
 * restarts, client teardowns and (every 50th seed) a client process killed with SIGKILL.
 * The long set: `npm run faults -- --runs 10000`.
 */
describe('fault harness (CI seed set)', () => {
  it('200 seeded runs lose nothing and apply nothing twice', { timeout: 900_000 }, async () => {
    const lines: string[] = [];
    const summary = await runFaultSet({
      runs: 200,
      seed: 1,
      steps: 8,
      sigkillEvery: 50,
      concurrency: 6,
      log: (line) => lines.push(line),
    });
    console.log(
      `fault harness: ${summary.runs} runs in ${summary.seconds.toFixed(1)} s ` +
        `(${(summary.runs / summary.seconds).toFixed(1)} runs/s)\n${JSON.stringify(summary.totals)}`,
    );
    // The seed of every failure, with the command that replays it, is in the message.
    expect(
      summary.failures.map((f) => f.seed),
      lines.join('\n'),
    ).toEqual([]);
    expect(summary.totals.lostEvents).toBe(0);
    expect(summary.totals.duplicateEvents).toBe(0);
    expect(summary.totals.staleOrders).toBe(0);
    expect(summary.totals.lostEffects).toBe(0);
    expect(summary.totals.duplicateEffects).toBe(0);
    // Not vacuous: work was done and every kind of fault happened.
    expect(summary.totals.eventsApplied).toBeGreaterThan(500);
    expect(summary.totals.outboxDone).toBeGreaterThan(50);
    expect(summary.totals.sigkillRuns).toBe(4);
    for (const fault of [
      'frames-dropped',
      'frames-duplicated',
      'connections-cut',
      'gateway-restart',
      'client-teardown',
      'reconnect-storm',
    ]) {
      expect(summary.totals[fault], fault).toBeGreaterThan(0);
    }
  });
});
