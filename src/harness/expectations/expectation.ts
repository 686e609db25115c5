import { mergeValidity, type Validity } from '../checker/verdict.js';
import type { CaseResult, ExpectationResult } from '../result/result-model.js';

/**
 * What `compare` expects, from `--expect`: `coupled=fail` is about a target over the whole suite (it fails at
 * least one scenario; `=pass`: it passes every one), `broadcast-throws/coupled=fail` about one case.
 */
export interface Expectation {
  target: string;
  /** A scenario name, or `*` for the target over every scenario. */
  scenario: string;
  expected: 'pass' | 'fail';
}

export class ExpectationSyntaxError extends Error {
  override readonly name = 'ExpectationSyntaxError';
}

export function parseExpectation(text: string): Expectation {
  const match = /^(?:([a-z0-9-]+)\/)?([a-z0-9:._+@-]+)=(pass|fail)$/.exec(text.trim());
  if (!match) {
    throw new ExpectationSyntaxError(
      `--expect "${text}": write TARGET=pass|fail (e.g. reference:coupled=fail, or coupled=fail) or SCENARIO/TARGET=pass|fail`,
    );
  }
  return { scenario: match[1] ?? '*', target: match[2]!, expected: match[3] as 'pass' | 'fail' };
}

/**
 * Judges expectations against the cases. With none given, each case's own (from its scenario file) applies.
 * UNKNOWN meets no expectation: an undecided run proves nothing.
 */
export function judgeExpectations(cases: readonly CaseResult[], given: readonly Expectation[]): ExpectationResult[] {
  if (given.length === 0) {
    return cases
      .filter((c) => c.expected !== undefined && !c.skipped)
      .map((c) => judge({ target: c.target, scenario: c.scenario, expected: c.expected! }, [c.valid]));
  }
  return given.map((e) => {
    // A skipped case decided nothing: it neither meets nor breaks an expectation.
    const matching = cases.filter((c) => !c.skipped && c.target === e.target && (e.scenario === '*' || c.scenario === e.scenario));
    return judge(e, matching.map((c) => c.valid));
  });
}

function judge(expectation: Expectation, verdicts: Validity[]): ExpectationResult {
  // No case to judge (a typo in a target or scenario name) is unknown, never silently met.
  const actual: Validity = verdicts.length === 0 ? 'unknown' : mergeValidity(verdicts);
  const met = expectation.expected === 'pass' ? actual === true : actual === false;
  return { ...expectation, actual, met };
}

/** Every expectation met: true; one contradicted: false; otherwise (only undecided ones unmet) unknown. */
export function expectationsValidity(results: readonly ExpectationResult[]): Validity {
  if (results.every((r) => r.met)) return true;
  return results.some((r) => !r.met && r.actual !== 'unknown') ? false : 'unknown';
}
