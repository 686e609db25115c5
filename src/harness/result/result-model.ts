import type { HistoryEvent } from '../../history/event.js';
import type { JudgedBasis } from '../checker/basis-requirements.js';
import type { CheckResult } from '../checker/check-result.js';
import type { InvariantId, Validity } from '../checker/verdict.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { DatabaseProbeSummary } from '../../mongo/probe/probe-summary.js';

/**
 * The one result model every renderer reads (terminal, result.json, summary.md, junit.xml, report.html).
 * Serialized as `result.json`; bump RESULT_FORMAT_VERSION on any incompatible change.
 */
export const RESULT_FORMAT_VERSION = 2;

export interface RunResult {
  formatVersion: typeof RESULT_FORMAT_VERSION;
  tool: { name: 'ackproof'; version: string };
  command: 'run' | 'compare' | 'check' | 'replay';
  startedAt: string;
  finishedAt: string;
  /** `probe`: what `ackproof probe-db` measured on this database (absent in results written before it existed). */
  database: { kind: string; version: string; writeConcern: string; probe?: DatabaseProbeSummary };
  /** The base seed; each case's runs derive from it, identically for every target. */
  seed: number;
  runsPerCase: number;
  targets: string[];
  cases: CaseResult[];
  /** Present for compare: each expectation and whether it was met. */
  expectations?: ExpectationResult[];
  /** Overall: false beats unknown beats true. For compare, whether every expectation was met. */
  valid: Validity;
  /** Stopped by a signal (SIGINT, SIGTERM) before every case ran: the cases are those decided (or cut) so far. */
  interrupted?: true;
  /** Ran one slice of the cases (`--shard index/count`); `ofCases`: how many the whole suite has. Absent once merged. */
  shard?: { index: number; count: number; ofCases: number };
}

/** One scenario against one target. */
export interface CaseResult {
  /** Stable id, `<scenario>/<target>`, used by `replay --case`. */
  id: string;
  scenario: string;
  /** The scenario file it came from (absolute); `replay`'s fallback for results without `scenarioSpec`. */
  scenarioFile?: string;
  /**
   * The scenario itself, as loaded (before any adaptation to the target), so that `replay` needs no file: a report
   * copied from CI replays on another machine.
   */
  scenarioSpec?: Scenario;
  description: string;
  target: string;
  valid: Validity;
  /** The target lacks what the scenario needs (the reason is `error`, code NOT_SUPPORTED): it decided nothing. */
  skipped?: true;
  /** How the scenario was adapted to the target, e.g. edits left out of the mix of a system that has none. */
  notes?: string[];
  /** The verdict the scenario file (or --expect) expects for this target. */
  expected?: 'pass' | 'fail';
  /** Property runs executed (fewer than asked when a counterexample stopped it). */
  runs: number;
  /** Property runs asked for (--runs, or the scenario file's `runs`). */
  plannedRuns?: number;
  /** The first failing run's check (shrunk), else the merged check of the passing runs. */
  check: CheckResult;
  counterexample?: Counterexample;
  /** Relative to the report dir. */
  historyFile?: string;
  /**
   * Every explored run's history, in run order, relative to the report dir (absent in results written before it):
   * run 1 of every target of a scenario has the same seed, and report.html draws them side by side.
   */
  runHistoryFiles?: string[];
  /** The thresholds on its measures (`--threshold`, the scenario's `thresholds`), judged; part of `valid` of the run. */
  thresholds?: ThresholdResult[];
  /**
   * Why the case could not decide (valid is then `unknown`): ackproof's own machinery failed (`HARNESS_ERROR`, an
   * errno such as `ECONNREFUSED`, a process that did not start), the setup cannot run it (`NOT_SUPPORTED`), or it
   * was stopped (`INTERRUPTED`). Never a verdict about the system under test.
   */
  error?: { code: string; message: string };
  durationMs: number;
  /**
   * What the verdict rests on, over the explored runs (commands, writes and outcomes, faults opened and the writes
   * they met, concurrent writes), what the scenario required of it, and what fell short: a case that held every
   * invariant on a short basis is unknown.
   */
  basis?: JudgedBasis;
}

export interface Counterexample {
  seed: number;
  path: string;
  /** fc.commands' replay hint (which generated commands were skipped), passed back on replay. */
  commandsReplayPath?: string;
  /** The shrunk command sequence, one readable line each (e.g. `alice sends "m3" to general`). */
  commands: string[];
  violated: InvariantId[];
  /** Relative to the report dir. */
  historyFile: string;
  /** The shrunk run's history, for timelines. */
  history: HistoryEvent[];
}

export interface ThresholdResult {
  /** As written, e.g. `outbox:live-delivery>=0.99`. */
  threshold: string;
  from: 'command line' | 'scenario';
  metric: string;
  /** The case's measure, in the metric's base unit (rate, ms, count); null when nothing was measured. */
  actual: number | null;
  /** Met, unmet, or unknown (nothing measured). */
  valid: Validity;
}

export interface ExpectationResult {
  target: string;
  /** A scenario name, or `*` for all. */
  scenario: string;
  expected: 'pass' | 'fail';
  actual: Validity;
  met: boolean;
}
