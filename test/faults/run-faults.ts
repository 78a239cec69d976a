import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCacheWorker } from './build-worker';
import { prepareTemplate, runScenario, type ScenarioResult } from './scenario';

export interface FaultSetOptions {
  runs: number;
  /** The first seed; run i uses seed + i. */
  seed: number;
  steps: number;
  /** Every Nth run puts the client in a child process killed with SIGKILL (0: never). */
  sigkillEvery: number;
  /** Runs in flight at once. */
  concurrency: number;
  log?: (line: string) => void;
}

export interface FaultSetSummary {
  runs: number;
  failures: ScenarioResult[];
  seconds: number;
  totals: Record<string, number>;
}

/** Runs seeds seed .. seed+runs-1; each failure is printed with the command that replays it. */
export async function runFaultSet(options: FaultSetOptions): Promise<FaultSetSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const root = mkdtempSync(join(tmpdir(), 'agent-desk-faults-'));
  const workerDir = join(process.cwd(), 'node_modules', '.cache', 'fault-harness');
  mkdirSync(workerDir, { recursive: true });
  const started = performance.now();
  const failures: ScenarioResult[] = [];
  const totals: Record<string, number> = {};
  try {
    const workerScript = await buildCacheWorker(workerDir);
    const template = await prepareTemplate(root, workerScript);
    let nextRun = 0;
    let finished = 0;
    const runOne = async (seed: number) => {
      const sigkill = options.sigkillEvery > 0 && seed % options.sigkillEvery === 0;
      let result: ScenarioResult;
      try {
        result = await runScenario({ seed, template, root, steps: options.steps, sigkill, workerScript });
      } catch (err) {
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        result = { seed, ok: false, problems: [`run crashed: ${message}`], stats: emptyStats() };
      }
      const { faults, ...numbers } = result.stats;
      for (const [key, value] of Object.entries({ ...numbers, ...faults }))
        totals[key] = (totals[key] ?? 0) + value;
      totals.sigkillRuns = (totals.sigkillRuns ?? 0) + (sigkill ? 1 : 0);
      if (!result.ok) {
        failures.push(result);
        log(`FAIL seed ${seed}${sigkill ? ' (sigkill)' : ''}: ${result.problems.join('; ')}`);
        log(`  stats: ${JSON.stringify(result.stats)}`);
        log(
          `  replay: npm run faults -- --runs 1 --seed ${seed} --steps ${options.steps} --sigkill-every ${options.sigkillEvery} --concurrency 1`,
        );
      }
      finished += 1;
      if (finished % 50 === 0 || finished === options.runs) {
        const seconds = (performance.now() - started) / 1000;
        log(
          `${finished}/${options.runs} runs, ${failures.length} failed, ${(finished / seconds).toFixed(1)} runs/s`,
        );
      }
    };
    // Runs are independent (own gateway, proxy and files) and mostly wait on I/O and timers.
    const lanes = Array.from({ length: Math.max(1, options.concurrency) }, async () => {
      while (nextRun < options.runs) await runOne(options.seed + nextRun++);
    });
    await Promise.all(lanes);
  } finally {
    if (failures.length === 0) rmSync(root, { recursive: true, force: true });
    else log(`run directories of failed seeds kept under ${root}`);
  }
  return { runs: options.runs, failures, seconds: (performance.now() - started) / 1000, totals };
}

function emptyStats(): ScenarioResult['stats'] {
  return {
    eventsInRange: 0,
    eventsApplied: 0,
    eventsCoveredByResync: 0,
    eventsRecoveredAfterKill: 0,
    lostEvents: 0,
    duplicateEvents: 0,
    staleOrders: 0,
    outboxDone: 0,
    outboxConflictOrRejected: 0,
    lostEffects: 0,
    duplicateEffects: 0,
    faults: {},
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      steps: { type: 'string', default: '30' },
      'sigkill-every': { type: 'string', default: '25' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  const summary = await runFaultSet({
    runs: Number(values.runs),
    seed: Number(values.seed),
    steps: Number(values.steps),
    sigkillEvery: Number(values['sigkill-every']),
    concurrency: Number(values.concurrency),
  });
  console.log(
    `${summary.runs} runs in ${summary.seconds.toFixed(1)} s (${(summary.runs / summary.seconds).toFixed(1)} runs/s), ` +
      `${summary.failures.length} failed`,
  );
  console.log(JSON.stringify(summary.totals, null, 2));
  if (summary.failures.length > 0) {
    console.log(`failed seeds: ${summary.failures.map((f) => f.seed).join(' ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  await main();
}
