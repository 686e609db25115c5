import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../mongo/database.js';
import { EnvironmentError } from '../../proc/environment-error.js';
import type { CaseResult, Counterexample, RunResult } from '../result/result-model.js';
import { RESULT_FORMAT_VERSION } from '../result/result-model.js';
import type { Progress } from '../result/progress.js';
import { basisOf } from '../checker/basis.js';
import { judgeBasis, verdictOnBasis } from '../checker/basis-requirements.js';
import { checkHistory } from '../checker/check-history.js';
import { judgeAgainstPromises } from '../checker/not-promised.js';
import type { HistoryEvent, MetaEvent } from '../../history/event.js';
import type { TargetFactory } from '../sut/target.js';
import { adaptedScenario, needsDatabaseAlone, notPromisedIn, unmetNeeds } from './case-needs.js';
import { mergeValidity } from '../checker/verdict.js';
import { concatHistories } from '../../history/concat-histories.js';
import { writeHistory } from '../../history/jsonl-history-writer.js';
import type { LoadedScenario } from '../scenario/load-scenarios.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { scenarioRequirements } from '../scenario/scenario-requirements.js';
import { caseError, type CaseError } from './case-error.js';
import { caseSeed } from './case-seed.js';
import type { CaseTarget } from './case-target.js';
import { LiveCase, type CaseStart } from './live-case.js';
import { runCase, type CaseOutcome } from './run-case.js';
import { NotSupportedError } from './not-supported-error.js';
import { SuiteStoppedError } from './suite-stopped-error.js';
import { inShard, type Shard } from './shard.js';
import { runPool } from './worker-pool.js';

export interface SuiteOptions {
  command: RunResult['command'];
  scenarios: LoadedScenario[];
  /** The systems under test, each against every scenario. */
  targets: TargetFactory[];
  /** Property runs per case; default: each scenario's `runs`. */
  runs?: number;
  seed: number;
  shrinkBudgetMs: number;
  reportDir: string;
  database: Database;
  toolVersion: string;
  /** Run only this slice of the scenario x target cases (`--shard i/n`); `ackproof merge` puts the slices together. */
  shard?: Shard;
  /**
   * Cases run at once (`--workers`), default 1: one after another. Each case has its own target, ports, database
   * name, seed and history files, so the verdicts do not depend on it; the result lists the cases in plan order.
   */
  workers?: number;
  /** Replay one counterexample: only this case, from this path. */
  replay?: { caseId: string; seed: number; path: string; commandsReplayPath?: string };
  onProgress?: (progress: Progress) => void;
  onCase?: (result: CaseResult) => void;
  /** Aborted (SIGINT, SIGTERM): the case under way ends at once, no further case starts, the result is `interrupted`. */
  signal?: AbortSignal;
  /** How a case's live system is started (default: LiveCase, the target with the harness's proxies before it). */
  startCase?: (start: CaseStart) => Promise<CaseTarget>;
}

/**
 * Runs every scenario against every pattern (same seeds per scenario), writes the histories, returns the result.
 * A case whose machinery fails is `unknown` with its error and the next case runs; an environment failure stops the
 * suite (SuiteStoppedError, with the result so far); an abort stops it with what it has, marked `interrupted`.
 * With several workers, a stop or an environment failure starts no further case; an abort closes the cases under way,
 * an environment failure lets them end (their verdicts are reported with the rest).
 */
export async function runSuite(options: SuiteOptions): Promise<RunResult> {
  const startedAt = new Date();
  const plan = options.scenarios.flatMap((loaded) => options.targets.map((target) => ({ loaded, target })));
  const selected = options.replay
    ? plan.filter((p) => caseId(p.loaded.scenario.name, p.target.id) === options.replay!.caseId)
    : inShard(plan, options.shard);
  await mkdir(join(options.reportDir, 'histories'), { recursive: true });
  const startCase = options.startCase ?? LiveCase.start;
  const aborted = () => options.signal?.aborted ?? false;
  // Each case's result (and the database its runs saw) at its place in the plan, whatever order the cases end in.
  const done: (CaseResult | undefined)[] = [];
  const databases: (MetaEvent['database'] | undefined)[] = [];
  let environmentFailure: EnvironmentError | undefined;
  const result = (): RunResult => {
    const cases = done.filter((c) => c !== undefined);
    // The database as the last case in the plan that ran saw it (all of them share it).
    const seen = databases.findLast((d) => d !== undefined);
    return {
      formatVersion: RESULT_FORMAT_VERSION,
      tool: { name: 'ackproof', version: options.toolVersion },
      command: options.command,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      database: { kind: options.database.kind, version: seen?.version ?? options.database.version, writeConcern: seen?.writeConcern ?? 'unknown' },
      seed: options.seed,
      runsPerCase: options.runs ?? Math.max(...options.scenarios.map((s) => s.scenario.runs)),
      targets: options.targets.map((t) => t.id),
      cases,
      // A skipped case decided nothing and says why; it does not make the whole run undecided, unless every case was
      // skipped: then nothing was checked at all.
      valid: cases.length > 0 && cases.every((c) => c.skipped) ? 'unknown' : mergeValidity(cases.filter((c) => !c.skipped).map((c) => c.valid)),
      ...(aborted() ? { interrupted: true as const } : {}),
      ...(options.shard && !options.replay ? { shard: { ...options.shard, ofCases: plan.length } } : {}),
    };
  };

  const runOne = async ({ loaded, target: factory }: (typeof selected)[number], i: number): Promise<void> => {
    const { scenario, notes } = adaptedScenario(loaded.scenario, factory);
    const id = caseId(scenario.name, factory.id);
    const runs = options.replay ? 1 : (options.runs ?? scenario.runs);
    const seed = options.replay?.seed ?? caseSeed(options.seed, scenario.name);
    const started = Date.now();
    let outcome: CaseOutcome = { runs: 0, explored: [] };
    const unmet = unmetNeeds(scenario, factory, options.database);
    const judge = (history: HistoryEvent[]) => judgeAgainstPromises(checkHistory(history), factory.id, notPromisedIn(scenario, factory));
    if (unmet.length > 0) {
      outcome.error = new NotSupportedError(`skipped: ${scenario.name} on ${factory.id}: ${unmet.join('; ')}`);
    } else {
      let target: CaseTarget | undefined;
      let closing: Promise<void> | undefined;
      const closeTarget = () => (closing ??= target?.close().catch(() => undefined));
      // Stopping closes the live system under the run: its requests fail at once instead of running out their time.
      const stop = () => void closeTarget();
      options.signal?.addEventListener('abort', stop, { once: true });
      try {
        target = await startCase({ scenario, target: factory, database: options.database, dbName: `ackproof_${Date.now().toString(36)}_${i}` });
        outcome = await runCase(scenario, target, {
          judge,
          runs,
          seed,
          shrinkBudgetMs: options.shrinkBudgetMs,
          ...(options.replay ? { path: options.replay.path, commandsReplayPath: options.replay.commandsReplayPath } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          onRun: ({ run, shrinking, shrinkStep }) =>
            options.onProgress?.({
              caseNumber: i + 1,
              caseCount: selected.length,
              scenario: scenario.name,
              target: factory.id,
              run,
              runs,
              phase: shrinking ? 'shrinking' : 'running',
              ...(shrinkStep !== undefined ? { shrinkStep } : {}),
            }),
        });
      } catch (error) {
        // The target did not start: the case could not decide (or, stopped meanwhile, was interrupted).
        outcome.error = error;
      } finally {
        options.signal?.removeEventListener('abort', stop);
        await closeTarget();
      }
    }
    if (aborted() && outcome.error !== undefined && !(outcome.error instanceof EnvironmentError)) {
      // An error while being stopped is the stop's doing.
      delete outcome.error;
      outcome.interrupted = true;
    }
    const meta = outcome.explored[0]?.history[0];
    if (meta?.type === 'meta') databases[i] = meta.database;
    const caseRun = await caseResult(options.reportDir, id, { scenario, file: loaded.file }, loaded.scenario, factory, outcome, {
      durationMs: Date.now() - started,
      plannedRuns: runs,
      signal: options.signal,
      judge,
      notes,
      skipped: unmet.length > 0,
    });
    done[i] = caseRun;
    options.onCase?.(caseRun);
    if (outcome.error instanceof EnvironmentError) environmentFailure ??= outcome.error;
  };
  await runPool(selected, {
    workers: options.workers ?? 1,
    stopped: () => aborted() || environmentFailure !== undefined,
    alone: ({ loaded, target }) => needsDatabaseAlone(loaded.scenario, target, options.database),
  }, runOne);
  if (environmentFailure) throw new SuiteStoppedError(result(), environmentFailure);
  return result();
}

export function caseId(scenario: string, target: string): string {
  return `${scenario}/${target}`;
}

/**
 * What the scenario file expects of this target, most specific key first: its id (`reference:outbox+redis-pubsub@3`),
 * the id without the node count (`reference:outbox+redis-pubsub`), and for a reference target the same without
 * `reference:` (`outbox+redis-pubsub`, then the pattern alone, `outbox`).
 */
export function expectedOf(scenario: Scenario, targetId: string): 'pass' | 'fail' | undefined {
  const anyNodes = targetId.replace(/@\d+$/, '');
  const keys = [targetId, anyNodes];
  if (targetId.startsWith('reference:')) {
    const local = anyNodes.slice('reference:'.length);
    keys.push(local, local.replace(/\+.*$/, ''));
  }
  for (const key of keys) if (scenario.expect[key] !== undefined) return scenario.expect[key];
  return undefined;
}

async function caseResult(
  reportDir: string,
  id: string,
  { scenario, file }: LoadedScenario,
  spec: Scenario,
  factory: TargetFactory,
  outcome: CaseOutcome,
  { durationMs, plannedRuns, signal, judge, notes, skipped }: {
    durationMs: number;
    plannedRuns: number;
    signal: AbortSignal | undefined;
    judge: (history: HistoryEvent[]) => ReturnType<typeof checkHistory>;
    notes: string[];
    skipped: boolean;
  },
): Promise<CaseResult> {
  // A file name on every system: `reference:outbox` -> `reference-outbox`.
  const stem = `histories/${scenario.name}.${factory.id.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;
  const historyFiles = await Promise.all(
    outcome.explored.map(async (run, i) => {
      const file = `${stem}.run-${i + 1}.jsonl`;
      await writeHistory(join(reportDir, file), run.history);
      return file;
    }),
  );
  // Measures and verdict sentences over every explored run; the verdicts of a failing case are its counterexample's.
  const overall = judge(concatHistories(outcome.explored.map((run) => run.history)));
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
  const error: CaseError | undefined = outcome.error !== undefined
    ? caseError(outcome.error)
    : outcome.interrupted && !counterexample
      ? { code: 'INTERRUPTED', message: `stopped by ${String(signal?.reason ?? 'a signal')} after ${outcome.explored.length} of ${plannedRuns} runs` }
      : undefined;
  const basis = judgeBasis(
    basisOf(outcome.explored.map((run) => ({ history: run.history, commands: run.commands.length }))),
    scenarioRequirements(scenario, plannedRuns),
  );
  // The check says what the checker found; the case's verdict also weighs whether its basis meets the scenario's
  // needs, and a case its own machinery broke is undecided.
  const checked = counterexample ? false : error ? 'unknown' : mergeValidity(outcome.explored.map((run) => run.check.valid));
  const valid = error ? checked : verdictOnBasis(checked, basis);
  const expected = expectedOf(scenario, factory.id);
  return {
    id,
    scenario: scenario.name,
    scenarioFile: file,
    scenarioSpec: spec,
    description: scenario.description,
    target: factory.id,
    ...(skipped ? { skipped: true as const } : {}),
    ...(notes.length > 0 ? { notes } : {}),
    valid,
    ...(expected && !skipped ? { expected } : {}),
    runs: outcome.explored.length,
    plannedRuns,
    check: {
      valid: checked,
      invariants: outcome.counterexample ? outcome.counterexample.check.invariants : overall.invariants,
      measures: overall.measures,
    },
    ...(counterexample ? { counterexample } : {}),
    ...(counterexample ? { historyFile: counterexample.historyFile } : historyFiles[0] ? { historyFile: historyFiles[0] } : {}),
    ...(historyFiles.length > 0 ? { runHistoryFiles: historyFiles } : {}),
    ...(error ? { error } : {}),
    durationMs,
    basis,
  };
}
