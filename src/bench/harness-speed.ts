import type { Database } from '../mongo/database.js';
import { loadScenarioFile } from '../harness/scenario/load-scenarios.js';
import type { Scenario } from '../harness/scenario/scenario-schema.js';
import { LiveCaseTarget } from '../harness/runner/live-case-target.js';
import { runCase } from '../harness/runner/run-case.js';
import type { BenchConfig } from './bench-config.js';
import { ratio } from './percentiles.js';

export interface HarnessSpeedFigure {
  scenario: string;
  pattern: string;
  ops: number;
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
  const faulted: Scenario = { ...loaded.scenario, workload: { ...loaded.scenario.workload, ops: OPS } };
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
    faultedRunsPerMinute: Number.NaN,
    unfaultedRunsPerMinute: Number.NaN,
    faulted_vs_unfaulted_ratio: Number.NaN,
    method:
      `${config.HARNESS_RUNS} property runs of scenario ${loaded.scenario.name} with workload.ops = ${OPS} against ` +
      `${PATTERN} through runCase + LiveCaseTarget (server child, TCP and frame proxies, clients, checker); ` +
      `baseline: the same with its faults removed (fault weight 0)`,
  };
  try {
    figure.faultedRunsPerMinute = await runsPerMinute(faulted, config.HARNESS_RUNS, database);
    log(`figure 4: faulted ${figure.faultedRunsPerMinute.toFixed(1)} runs/min`);
    figure.unfaultedRunsPerMinute = await runsPerMinute(unfaulted, config.HARNESS_RUNS, database);
    log(`figure 4: unfaulted ${figure.unfaultedRunsPerMinute.toFixed(1)} runs/min`);
    figure.faulted_vs_unfaulted_ratio = ratio(figure.faultedRunsPerMinute, figure.unfaultedRunsPerMinute);
  } catch (error) {
    figure.error = String((error as Error)?.message ?? error).split('\n')[0];
    log(`figure 4: runner failed: ${figure.error}`);
  }
  return figure;
}

async function runsPerMinute(scenario: Scenario, runs: number, database: Database): Promise<number> {
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
    return Math.round(((outcome.runs * 60_000) / elapsed) * 10) / 10;
  } finally {
    await target.close();
  }
}
