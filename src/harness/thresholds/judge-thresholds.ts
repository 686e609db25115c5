import { mergeValidity, type Validity } from '../checker/verdict.js';
import type { CaseResult, RunResult, ThresholdResult } from '../result/result-model.js';
import { compare, METRICS, parseThreshold, scopeMatchesTarget, type Threshold } from './threshold.js';

/**
 * Judges the thresholds given on the command line and those each case's scenario declares (`thresholds`, by target
 * or pattern) against every case that ran, stores the judgments on the cases, and folds them into the result's
 * validity: an unmet threshold fails the run, one with nothing measured leaves it undecided.
 */
export function judgeThresholds(result: RunResult, given: readonly Threshold[]): RunResult {
  const cases = result.cases.map((c) => {
    if (c.skipped) return c;
    const judged = [...given.filter((t) => appliesTo(t, c)).map((t) => judge(t, c, 'command line')), ...declared(c)];
    return judged.length > 0 ? { ...c, thresholds: judged } : c;
  });
  const thresholds = cases.flatMap((c) => c.thresholds ?? []);
  const valid = thresholds.length === 0 ? result.valid : mergeValidity([result.valid, ...thresholds.map((t) => t.valid)]);
  return { ...result, cases, valid };
}

/** The thresholds of every case, unmet first (for the reports). */
export function thresholdResults(result: RunResult): { c: CaseResult; t: ThresholdResult }[] {
  const all = result.cases.flatMap((c) => (c.thresholds ?? []).map((t) => ({ c, t })));
  const rank = (v: Validity) => (v === false ? 0 : v === 'unknown' ? 1 : 2);
  return all.map((x, i) => ({ ...x, i })).sort((a, b) => rank(a.t.valid) - rank(b.t.valid) || a.i - b.i);
}

function declared(c: CaseResult): ThresholdResult[] {
  const byTarget = c.scenarioSpec?.thresholds ?? {};
  return Object.entries(byTarget)
    .filter(([scope]) => scopeMatchesTarget(scope, c.target))
    .flatMap(([, texts]) => texts.map((text) => judge(parseThreshold(text), c, 'scenario')));
}

function appliesTo(t: Threshold, c: CaseResult): boolean {
  return scopeMatchesTarget(t.target, c.target) && (t.scenario === undefined || t.scenario === c.scenario);
}

function judge(t: Threshold, c: CaseResult, from: ThresholdResult['from']): ThresholdResult {
  const actual = METRICS[t.metric].read(c.check.measures);
  const valid: Validity = actual === null ? 'unknown' : compare(actual, t.op, t.limit);
  return { threshold: t.text, from, metric: t.metric, actual, valid };
}
