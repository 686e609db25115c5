import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../mongo/database.js';
import type { CaseResult, Counterexample, RunResult } from '../../report/result-model.js';
import { RESULT_FORMAT_VERSION } from '../../report/result-model.js';
import type { Progress } from '../../report/progress-line.js';
import { basisOf } from '../checker/basis.js';
import { judgeBasis, verdictOnBasis } from '../checker/basis-requirements.js';
import { checkHistory } from '../checker/check-history.js';
import { mergeValidity } from '../checker/verdict.js';
import { concatHistories } from '../history/concat-histories.js';
import { writeHistory } from '../history/jsonl-history-writer.js';
import type { LoadedScenario } from '../scenario/load-scenarios.js';
import { scenarioRequirements } from '../scenario/scenario-requirements.js';
import { caseSeed } from './case-seed.js';
import { LiveCaseTarget } from './live-case-target.js';
import { runCase, type CaseOutcome } from './run-case.js';

export interface SuiteOptions {
  command: RunResult['command'];
  scenarios: LoadedScenario[];
  patterns: string[];
  /** Property runs per case; default: each scenario's `runs`. */
  runs?: number;
  seed: number;
  shrinkBudgetMs: number;
  reportDir: string;
  database: Database;
  toolVersion: string;
  /** Replay one counterexample: only this case, from this path. */
  replay?: { caseId: string; seed: number; path: string; commandsReplayPath?: string };
  onProgress?: (progress: Progress) => void;
  onCase?: (result: CaseResult) => void;
}

/** Runs every scenario against every pattern (same seeds per scenario), writes the histories, returns the result. */
export async function runSuite(options: SuiteOptions): Promise<RunResult> {
  const startedAt = new Date();
  const cases: CaseResult[] = [];
  const plan = options.scenarios.flatMap((loaded) => options.patterns.map((pattern) => ({ loaded, pattern })));
  const selected = options.replay ? plan.filter((p) => caseId(p.loaded.scenario.name, p.pattern) === options.replay!.caseId) : plan;
  await mkdir(join(options.reportDir, 'histories'), { recursive: true });
  let writeConcern = 'unknown';
  let databaseVersion = options.database.version;

  for (const [i, { loaded, pattern }] of selected.entries()) {
    const { scenario } = loaded;
    const id = caseId(scenario.name, pattern);
    const runs = options.replay ? 1 : (options.runs ?? scenario.runs);
    const seed = options.replay?.seed ?? caseSeed(options.seed, scenario.name);
    const started = Date.now();
    const target = await LiveCaseTarget.start({
      scenario,
      pattern,
      database: options.database,
      dbName: `ackproof_${Date.now().toString(36)}_${i}`,
    });
    let outcome: CaseOutcome;
    try {
      outcome = await runCase(scenario, target, {
        runs,
        seed,
        shrinkBudgetMs: options.shrinkBudgetMs,
        ...(options.replay ? { path: options.replay.path, commandsReplayPath: options.replay.commandsReplayPath } : {}),
        onRun: ({ run, shrinking }) =>
          options.onProgress?.({
            caseNumber: i + 1,
            caseCount: selected.length,
            scenario: scenario.name,
            pattern,
            run,
            runs,
            phase: shrinking ? 'shrinking' : 'running',
          }),
      });
    } finally {
      await target.close();
    }
    const meta = outcome.explored[0]?.history[0];
    if (meta?.type === 'meta') {
      writeConcern = meta.database.writeConcern;
      databaseVersion = meta.database.version;
    }
    const result = await caseResult(options.reportDir, id, loaded, pattern, outcome, Date.now() - started, runs);
    cases.push(result);
    options.onCase?.(result);
  }

  return {
    formatVersion: RESULT_FORMAT_VERSION,
    tool: { name: 'ackproof', version: options.toolVersion },
    command: options.command,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    database: { kind: options.database.kind, version: databaseVersion, writeConcern },
    seed: options.seed,
    runsPerCase: options.runs ?? Math.max(...options.scenarios.map((s) => s.scenario.runs)),
    patterns: options.patterns,
    cases,
    valid: mergeValidity(cases.map((c) => c.valid)),
  };
}

export function caseId(scenario: string, pattern: string): string {
  return `${scenario}/${pattern}`;
}

async function caseResult(
  reportDir: string,
  id: string,
  { scenario, file }: LoadedScenario,
  pattern: string,
  outcome: CaseOutcome,
  durationMs: number,
  plannedRuns: number,
): Promise<CaseResult> {
  const stem = `histories/${scenario.name}.${pattern}`;
  const historyFiles = await Promise.all(
    outcome.explored.map(async (run, i) => {
      const file = `${stem}.run-${i + 1}.jsonl`;
      await writeHistory(join(reportDir, file), run.history);
      return file;
    }),
  );
  // Measures and verdict sentences over every explored run; the verdicts of a failing case are its counterexample's.
  const overall = checkHistory(concatHistories(outcome.explored.map((run) => run.history)));
  let counterexample: Counterexample | undefined;
  if (outcome.counterexample) {
    const ce = outcome.counterexample;
    const historyFile = `${stem}.counterexample.jsonl`;
    await writeHistory(join(reportDir, historyFile), ce.history);
    counterexample = {
      seed: ce.seed,
      path: ce.path,
      ...(ce.commandsReplayPath ? { commandsReplayPath: ce.commandsReplayPath } : {}),
      commands: ce.commands,
      violated: ce.violated,
      historyFile,
      history: ce.history,
    };
  }
  const basis = judgeBasis(
    basisOf(outcome.explored.map((run) => ({ history: run.history, commands: run.commands.length }))),
    scenarioRequirements(scenario, plannedRuns),
  );
  // The check says what the checker found; the case's verdict also weighs whether its basis meets the scenario's needs.
  const checked = counterexample ? false : mergeValidity(outcome.explored.map((run) => run.check.valid));
  const valid = verdictOnBasis(checked, basis);
  const expected = scenario.expect[pattern];
  return {
    id,
    scenario: scenario.name,
    scenarioFile: file,
    description: scenario.description,
    pattern,
    valid,
    ...(expected ? { expected } : {}),
    runs: outcome.explored.length,
    plannedRuns,
    check: {
      valid: checked,
      invariants: outcome.counterexample ? outcome.counterexample.check.invariants : overall.invariants,
      measures: overall.measures,
    },
    ...(counterexample ? { counterexample } : {}),
    ...(counterexample ? { historyFile: counterexample.historyFile } : historyFiles[0] ? { historyFile: historyFiles[0] } : {}),
    durationMs,
    basis,
  };
}
