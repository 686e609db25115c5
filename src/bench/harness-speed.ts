import type { Database } from '../mongo/database.js';
import { loadScenarioFile } from '../harness/scenario/load-scenarios.js';
import type { Scenario } from '../harness/scenario/scenario-schema.js';
import { LiveCaseTarget } from '../harness/runner/live-case-target.js';
import { runCase } from '../harness/runner/run-case.js';
import { runLengths } from '../harness/generator/scenario-commands.js';
import type { BenchConfig } from './bench-config.js';
import { ratio } from './percentiles.js';

export interface HarnessSpeedFigure {
  scenario: string;
  pattern: string;
  ops: number;
  /** Mean commands per timed run (faulted, unfaulted), a fault window counting as one, as `ops` counts. */
  meanOps: [number, number];
  /** How run lengths were spread (faulted, unfaulted), and the range the generator draws from evenly. */
  lengths?: { drawn: { min: number; max: number }; faulted: LengthSpread; unfaulted: LengthSpread };
  faultedRunsPerMinute: number;
  unfaultedRunsPerMinute: number;
  faulted_vs_unfaulted_ratio: number;
  /** Set when the runner could not be measured, with why. */
  error?: string;
  method: string;
}

/** Commands per run: fewest, median, mean, most. */
export interface LengthSpread {
  min: number;
  p50: number;
  mean: number;
  max: number;
}

const OPS = 30;
const PATTERN = 'decoupled';

/**
 * Figure 4: property runs per minute of a 30-operation faulted scenario through the real runner (server child,
 * fault proxies, clients, checker), against the same scenario with its faults removed, in the same run.
 */
export async function harnessSpeed(config: BenchConfig, database: Database, log: (line: string) => void): Promise<HarnessSpeedFigure> {
  const loaded = await loadScenarioFile(config.HARNESS_SCENARIO);
  // Runs are drawn evenly between half of `ops` and one and a half times it (runLengths); the figure states the
  // spread of the runs it timed.
  const faulted: Scenario = { ...loaded.scenario, workload: { ...loaded.scenario.workload, ops: OPS, minOps: 1 } };
  const unfaulted: Scenario = {
    ...faulted,
    name: `${faulted.name}-unfaulted`,
    faults: [],
    workload: { ...faulted.workload, mix: { ...faulted.workload.mix, fault: 0 } },
  };
  const figure: HarnessSpeedFigure = {
    scenario: loaded.scenario.name,
    pattern: PATTERN,
    ops: OPS,
    meanOps: [Number.NaN, Number.NaN],
    faultedRunsPerMinute: Number.NaN,
    unfaultedRunsPerMinute: Number.NaN,
    faulted_vs_unfaulted_ratio: Number.NaN,
    method:
      `${config.HARNESS_RUNS} property runs of scenario ${loaded.scenario.name} with workload.ops = ${OPS} (runs drawn evenly from ` +
      `${runLengths(faulted.workload).min} to ${runLengths(faulted.workload).max} commands, a fault window counting as one; the spread timed is stated) against ` +
      `${PATTERN} through runCase + LiveCaseTarget (server child, TCP and frame proxies, clients, checker); ` +
      `baseline: the same with its faults removed (fault weight 0)`,
  };
  try {
    const withFaults = await runsPerMinute(faulted, config.HARNESS_RUNS, database);
    log(`figure 4: faulted ${withFaults.perMinute} runs/min, ${describeSpread(withFaults.spread)} commands a run`);
    const without = await runsPerMinute(unfaulted, config.HARNESS_RUNS, database);
    log(`figure 4: unfaulted ${without.perMinute} runs/min, ${describeSpread(without.spread)} commands a run`);
    figure.faultedRunsPerMinute = withFaults.perMinute;
    figure.unfaultedRunsPerMinute = without.perMinute;
    figure.meanOps = [withFaults.spread.mean, without.spread.mean];
    figure.lengths = { drawn: runLengths(faulted.workload), faulted: withFaults.spread, unfaulted: without.spread };
    figure.faulted_vs_unfaulted_ratio = ratio(figure.faultedRunsPerMinute, figure.unfaultedRunsPerMinute);
  } catch (error) {
    figure.error = String((error as Error)?.message ?? error).split('\n')[0];
    log(`figure 4: runner failed: ${figure.error}`);
  }
  return figure;
}

async function runsPerMinute(scenario: Scenario, runs: number, database: Database): Promise<{ perMinute: number; spread: LengthSpread }> {
  const target = await LiveCaseTarget.start({
    scenario,
    pattern: PATTERN,
    database,
    dbName: `bench_h_${Date.now().toString(36)}_${scenario.faults.length}`,
  });
  try {
    const started = performance.now();
    const outcome = await runCase(scenario, target, { runs, seed: 42, shrinkBudgetMs: 5_000 });
    const elapsed = performance.now() - started;
    return {
      perMinute: Math.round(((outcome.runs * 60_000) / elapsed) * 10) / 10,
      spread: lengthSpread(outcome.explored.map((run) => commandCount(run.commands))),
    };
  } finally {
    await target.close();
  }
}

/**
 * Commands of a run as the scenario counts them: what ran, with a fault window (its start, the operations in it,
 * its heal) as one.
 */
export function commandCount(ran: readonly string[]): number {
  let count = 0;
  let inWindow = false;
  for (const line of ran) {
    if (inWindow) inWindow = !line.startsWith('heal ');
    else {
      count++;
      inWindow = line.startsWith('start ');
    }
  }
  return count;
}

export function lengthSpread(lengths: readonly number[]): LengthSpread {
  const sorted = [...lengths].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { min: sorted[0] ?? NaN, p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN, mean: Math.round(mean * 10) / 10, max: sorted.at(-1) ?? NaN };
}

function describeSpread(spread: LengthSpread): string {
  return `${spread.min}-${spread.max} (median ${spread.p50}, mean ${spread.mean})`;
}
