import type { Database } from '../mongo/database.js';
import { loadScenarioFile } from '../harness/scenario/load-scenarios.js';
import type { Scenario } from '../harness/scenario/scenario-schema.js';
import { LiveCase } from '../harness/runner/live-case.js';
import { referenceTarget } from '../targets/reference/reference-targets.js';
import { runCase } from '../harness/runner/run-case.js';
import type { BenchConfig } from './bench-config.js';
import { ratio } from './percentiles.js';

export interface HarnessSpeedFigure {
  scenario: string;
  pattern: string;
  ops: number;
  /** Mean commands per timed run (faulted, unfaulted). */
  meanOps: [number, number];
  faultedRunsPerMinute: number;
  unfaultedRunsPerMinute: number;
  faulted_vs_unfaulted_ratio: number;
  /** Set when the runner could not be measured, with why. */
  error?: string;
  method: string;
}

const OPS = 30;
const PATTERN = 'decoupled';

/**
 * Figure 4: property runs per minute of a 30-operation faulted scenario through the real runner (server child,
 * fault proxies, clients, checker), against the same scenario with its faults removed, in the same run.
 */
export async function harnessSpeed(config: BenchConfig, database: Database, log: (line: string) => void): Promise<HarnessSpeedFigure> {
  const loaded = await loadScenarioFile(config.HARNESS_SCENARIO);
  // fast-check draws sequences of up to `ops` commands (a minOps near 30 makes it give up on skipped draws), so
  // the figure states the mean length of the runs it timed.
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
      `${config.HARNESS_RUNS} property runs of scenario ${loaded.scenario.name} with workload.ops = ${OPS} (fast-check draws up to ${OPS} commands a run; the mean is stated) against ` +
      `${PATTERN} through runCase + LiveCase (server child, TCP and frame proxies, clients, checker); ` +
      `baseline: the same with its faults removed (fault weight 0)`,
  };
  try {
    const withFaults = await runsPerMinute(faulted, config.HARNESS_RUNS, database);
    log(`figure 4: faulted ${withFaults.perMinute} runs/min, ${withFaults.meanOps} ops each`);
    const without = await runsPerMinute(unfaulted, config.HARNESS_RUNS, database);
    log(`figure 4: unfaulted ${without.perMinute} runs/min, ${without.meanOps} ops each`);
    figure.faultedRunsPerMinute = withFaults.perMinute;
    figure.unfaultedRunsPerMinute = without.perMinute;
    figure.meanOps = [withFaults.meanOps, without.meanOps];
    figure.faulted_vs_unfaulted_ratio = ratio(figure.faultedRunsPerMinute, figure.unfaultedRunsPerMinute);
  } catch (error) {
    figure.error = String((error as Error)?.message ?? error).split('\n')[0];
    log(`figure 4: runner failed: ${figure.error}`);
  }
  return figure;
}

async function runsPerMinute(scenario: Scenario, runs: number, database: Database): Promise<{ perMinute: number; meanOps: number }> {
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
    const ops = outcome.explored.map((run) => run.commands.length);
    return {
      perMinute: Math.round(((outcome.runs * 60_000) / elapsed) * 10) / 10,
      meanOps: Math.round((ops.reduce((a, b) => a + b, 0) / Math.max(1, ops.length)) * 10) / 10,
    };
  } finally {
    await target.close();
  }
}
