import type { Database } from '../mongo/database.js';
import { loadScenarioFile } from '../harness/scenario/load-scenarios.js';
import type { Scenario } from '../harness/scenario/scenario-schema.js';
import { LiveCase } from '../harness/runner/live-case.js';
import { referenceTarget } from '../targets/reference/reference-targets.js';
import { runCase } from '../harness/runner/run-case.js';
import type { BenchConfig } from './bench-config.js';
import { ratio } from './percentiles.js';
import { runLengths, type RunLengths } from './run-lengths.js';

export interface HarnessSpeedFigure {
  scenario: string;
  pattern: string;
  ops: number;
  /** Mean commands per timed run (faulted, unfaulted), a fault window as one. */
  meanOps: [number, number];
  /** The spread of those lengths (faulted, unfaulted). */
  lengths?: [RunLengths, RunLengths];
  faultedRunsPerMinute: number;
  unfaultedRunsPerMinute: number;
  faulted_vs_unfaulted_ratio: number;
  /** Set when the runner could not be measured, with why. */
  error?: string;
  method: string;
}

/** Runs of OPS commands on average: fast-check draws lengths about evenly up to `ops`, and runs shorter than `minOps` are skipped, so 15 to 45 gives a mean of 30. */
const OPS = 30;
const MIN_OPS = 15;
const MAX_OPS = 45;
const PATTERN = 'decoupled';

/**
 * Figure 4: property runs per minute of a 30-operation faulted scenario through the real runner (server child,
 * fault proxies, clients, checker), against the same scenario with its faults removed, in the same run.
 */
export async function harnessSpeed(config: BenchConfig, database: Database, log: (line: string) => void): Promise<HarnessSpeedFigure> {
  const loaded = await loadScenarioFile(config.HARNESS_SCENARIO);
  // A minOps near ops would make fast-check give up on skipped draws; a third of the draws skipped is fine. The
  // figure states the lengths of the runs it timed.
  const faulted: Scenario = { ...loaded.scenario, workload: { ...loaded.scenario.workload, ops: MAX_OPS, minOps: MIN_OPS } };
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
      `${config.HARNESS_RUNS} property runs of scenario ${loaded.scenario.name} with runs of ${OPS} commands on average (workload.minOps ${MIN_OPS}, ops ${MAX_OPS}: fast-check draws lengths about evenly between them; a fault window counts as one; the spread is stated) against ` +
      `${PATTERN} through runCase + LiveCase (server child, TCP and frame proxies, clients, checker); ` +
      `baseline: the same with its faults removed (fault weight 0)`,
  };
  try {
    const withFaults = await runsPerMinute(faulted, config.HARNESS_RUNS, database);
    log(`figure 4: faulted ${withFaults.perMinute} runs/min, ${describe(withFaults.lengths)}`);
    const without = await runsPerMinute(unfaulted, config.HARNESS_RUNS, database);
    log(`figure 4: unfaulted ${without.perMinute} runs/min, ${describe(without.lengths)}`);
    figure.faultedRunsPerMinute = withFaults.perMinute;
    figure.unfaultedRunsPerMinute = without.perMinute;
    figure.meanOps = [withFaults.lengths.mean, without.lengths.mean];
    figure.lengths = [withFaults.lengths, without.lengths];
    figure.faulted_vs_unfaulted_ratio = ratio(figure.faultedRunsPerMinute, figure.unfaultedRunsPerMinute);
  } catch (error) {
    figure.error = String((error as Error)?.message ?? error).split('\n')[0];
    log(`figure 4: runner failed: ${figure.error}`);
  }
  return figure;
}

function describe(lengths: RunLengths): string {
  return `commands a run: fewest ${lengths.fewest}, median ${lengths.median}, mean ${lengths.mean}, most ${lengths.most}`;
}

async function runsPerMinute(scenario: Scenario, runs: number, database: Database): Promise<{ perMinute: number; lengths: RunLengths }> {
  const target = await LiveCase.start({
    scenario,
    target: referenceTarget(PATTERN),
    database,
    dbName: `bench_h_${Date.now().toString(36)}_${scenario.faults.length}`,
  });
  try {
    const started = performance.now();
    const outcome = await runCase(scenario, target, { runs, seed: 42, shrinkBudgetMs: 5_000 });
    const elapsed = performance.now() - started;
    return {
      perMinute: Math.round(((outcome.runs * 60_000) / elapsed) * 10) / 10,
      lengths: runLengths(outcome.explored.map((run) => run.commands)),
    };
  } finally {
    await target.close();
  }
}
