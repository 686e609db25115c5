import fc from 'fast-check';
import { checkHistory } from '../checker/check-history.js';
import type { CheckResult } from '../checker/check-result.js';
import type { InvariantId } from '../checker/verdict.js';
import { emptyModel } from '../generator/run-model.js';
import { isScenarioRun, scenarioCommands } from '../generator/scenario-commands.js';
import type { HistoryEvent } from '../../history/event.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { CaseTarget } from './case-target.js';

export interface CaseOptions {
  runs: number;
  seed: number;
  /** fast-check path of a counterexample, to replay it (with the seed it was found with). */
  path?: string;
  /** fc.commands' own replay hint for that counterexample. */
  commandsReplayPath?: string;
  /** Stop shrinking (keep the smallest counterexample so far) after this long. */
  shrinkBudgetMs: number;
  onRun?: (progress: { run: number; shrinkStep?: number; shrinking: boolean; valid: CheckResult['valid'] }) => void;
  /** Aborted (SIGINT, SIGTERM): the run under way ends as soon as it can and no further run starts. */
  signal?: AbortSignal;
  /** How a run's history is judged (default: every invariant, checkHistory); a target's promises adjust it. */
  judge?: (history: HistoryEvent[]) => CheckResult;
}

export interface RunOutcome {
  commands: string[];
  history: HistoryEvent[];
  check: CheckResult;
}

export interface CaseOutcome {
  /** Property runs executed, shrinking included. */
  runs: number;
  /** Every run that was not a shrink candidate, in order, whatever its verdict (their histories feed the measures). */
  explored: RunOutcome[];
  /** The smallest failing run found, with the seed and path that replay it. */
  counterexample?: RunOutcome & { seed: number; path: string; commandsReplayPath?: string; violated: InvariantId[] };
  /** ackproof's own machinery failed (not the system under test): the case could not decide. */
  error?: unknown;
  /** Stopped by its signal before it finished. */
  interrupted?: boolean;
}

class Violation extends Error {}

/**
 * Runs a scenario's property against a target: fast-check generates command sequences, each run ends with the
 * history checked; a violation makes the property fail, and fast-check shrinks it to a minimal sequence.
 *
 * It never throws: a failure of the harness itself (a run that could not be set up or finished) ends the case with
 * `error`, an abort with `interrupted`; either way what was explored so far is kept.
 */
export async function runCase(scenario: Scenario, target: CaseTarget, options: CaseOptions): Promise<CaseOutcome> {
  const outcome: CaseOutcome = { runs: 0, explored: [] };
  let lastFailure: (RunOutcome & { commandsReplayPath?: string }) | undefined;
  let shrinkStartedAt: number | undefined;
  const { signal } = options;
  // Once the case is decided otherwise (a harness error) or stopped, every further call "passes" unrun, so
  // fast-check ends at once (while shrinking: on the smallest counterexample so far).
  const stopped = () => outcome.error !== undefined || (signal?.aborted ?? false);

  const property = fc.asyncProperty(scenarioCommands(scenario, options.commandsReplayPath), async (commands) => {
    const shrinking = shrinkStartedAt !== undefined;
    if (stopped()) return;
    // Past the budget, every shrink candidate "passes" unrun, so fast-check settles on the smallest so far.
    if (shrinking && Date.now() - shrinkStartedAt! > options.shrinkBudgetMs) return;
    // Too short for the scenario, or without a window of each of its faults: not a run at all; fast-check draws (or
    // shrinks to) another sequence.
    // A shrink candidate or a replayed counterexample may be shorter than minOps.
    fc.pre(isScenarioRun([...commands], scenario, shrinking || options.path !== undefined));
    const runIndex = outcome.runs++;
    let history: HistoryEvent[];
    const model = emptyModel();
    try {
      const live = await target.beginRun(runIndex, { seed: options.seed, ...(signal ? { signal } : {}) });
      try {
        await fc.asyncModelRun(() => ({ model, real: live }), commands);
      } finally {
        history = await live.finish();
      }
    } catch (error) {
      // A harness failure while shrinking only discards that candidate; before, it is the case's error (unless
      // the run failed because it was being stopped).
      if (!shrinking && !signal?.aborted) outcome.error = error;
      return;
    }
    // A run that ended while being stopped skipped its final catch-up: its history would accuse the system unfairly.
    if (signal?.aborted) return;
    const check = (options.judge ?? checkHistory)(history);
    const run: RunOutcome = { commands: model.ran, history, check };
    if (!shrinking) outcome.explored.push(run);
    // While shrinking, `run` stays the failing run (never past the runs asked for); the candidates are steps.
    const explored = outcome.explored.length;
    options.onRun?.({ run: shrinking ? explored : outcome.runs, ...(shrinking ? { shrinkStep: outcome.runs - explored } : {}), shrinking, valid: check.valid });
    if (check.valid === false) {
      lastFailure = { ...run, commandsReplayPath: replayHint(String(commands)) };
      shrinkStartedAt ??= Date.now();
      throw new Violation(violatedIds(check).join(', '));
    }
  });

  let details;
  try {
    details = await fc.check(property, {
      numRuns: options.runs,
      seed: options.seed,
      ...(options.path ? { path: options.path } : {}),
      // A run takes seconds; a long shrink is bounded by shrinkBudgetMs instead of fast-check's counts.
      verbose: 0,
    });
  } catch (error) {
    outcome.error ??= error;
    return outcome;
  }
  if (signal?.aborted) outcome.interrupted = true;
  if (details.failed && lastFailure && details.counterexamplePath !== null) {
    outcome.counterexample = {
      ...lastFailure,
      seed: details.seed,
      path: details.counterexamplePath,
      ...(lastFailure.commandsReplayPath ? { commandsReplayPath: lastFailure.commandsReplayPath } : {}),
      violated: violatedIds(lastFailure.check),
    };
  } else if (details.failed && !(details.errorInstance instanceof Violation)) {
    // Something outside a run broke (the generator, the checker's caller): the case could not decide.
    outcome.error ??= details.errorInstance ?? new Error('a property run failed without a violation');
  }
  return outcome;
}

function violatedIds(check: CheckResult): InvariantId[] {
  return (Object.keys(check.invariants) as InvariantId[]).filter((id) => check.invariants[id].valid === false);
}

// fc.commands prints its replay hint into the sequence's string form, as a replayPath="..." comment.
function replayHint(printed: string): string | undefined {
  return /replayPath="([^"]*)"/.exec(printed)?.[1];
}
