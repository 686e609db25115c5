import type { InvariantId, Validity } from '../harness/checker/verdict.js';
import type { CaseResult } from '../harness/result/result-model.js';
import { INVARIANT_IDS } from './invariant-legend.js';

export type OutcomeLabel = 'PASS' | 'FAIL' | 'UNKNOWN' | 'SKIPPED';

/** What PASS, FAIL and UNKNOWN mean, for every report's legend. */
export const OUTCOME_MEANINGS: Record<OutcomeLabel, string> = {
  PASS: 'every invariant held in every run of the case.',
  FAIL: 'a run broke an invariant; the case shows the shrunk counterexample and the witnesses.',
  UNKNOWN: 'the checker could not decide (for example, the final database read failed); nothing was proven either way.',
  SKIPPED: 'the target lacks what the scenario needs (a fault it cannot take, edits it does not have); the reason is given, and nothing was run.',
};

/** How one scenario x target case reads in a report: `FAIL I4`, and whether it met its expectation. */
export interface CaseOutcome {
  label: OutcomeLabel;
  /** `PASS`, `FAIL I2 I4`, `UNKNOWN`. */
  text: string;
  violated: InvariantId[];
  unknown: InvariantId[];
  expectation?: { expected: 'pass' | 'fail'; met: boolean };
}

/**
 * `judged`: whether the result judged expectations (compare does; run does not, so its cases carry their scenario
 * file's expectation without it deciding anything, and no report marks it).
 */
export function caseOutcome(c: CaseResult, judged = true): CaseOutcome {
  const violated = INVARIANT_IDS.filter((id) => c.check.invariants[id]?.valid === false);
  const unknown = INVARIANT_IDS.filter((id) => c.check.invariants[id]?.valid === 'unknown');
  const label = c.skipped ? 'SKIPPED' : validityLabel(c.valid);
  const outcome: CaseOutcome = {
    label,
    text: label === 'FAIL' && violated.length > 0 ? `FAIL ${violated.join(' ')}` : label,
    violated,
    unknown,
  };
  if (judged && c.expected !== undefined) outcome.expectation = { expected: c.expected, met: expectationMet(c.expected, c.valid) };
  return outcome;
}

export function validityLabel(valid: Validity): OutcomeLabel {
  if (valid === true) return 'PASS';
  return valid === false ? 'FAIL' : 'UNKNOWN';
}

/** UNKNOWN meets no expectation: an undecided run proves nothing. */
export function expectationMet(expected: 'pass' | 'fail', actual: Validity): boolean {
  return expected === 'pass' ? actual === true : actual === false;
}
