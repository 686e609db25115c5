import { METRICS, type MetricName } from '../harness/thresholds/threshold.js';
import type { CaseResult, RunResult, ThresholdResult } from '../harness/result/result-model.js';
import { thresholdResults } from '../harness/thresholds/judge-thresholds.js';
import { validityLabel } from './case-outcome.js';
import { formatCount, formatLatency, formatRate } from './format-measure.js';

export interface ThresholdLine {
  c: CaseResult;
  t: ThresholdResult;
  /** `PASS` met, `FAIL` unmet, `UNKNOWN` nothing measured. */
  label: 'PASS' | 'FAIL' | 'UNKNOWN';
  /** `broadcast-window / reference:outbox: live-delivery>=0.99 (scenario) was 87.1%`. */
  sentence: string;
}

/** Every judged threshold of the result, unmet first, as each report words it. */
export function thresholdLines(result: RunResult): ThresholdLine[] {
  return thresholdResults(result).map(({ c, t }) => ({ c, t, label: validityLabel(t.valid) as ThresholdLine['label'], sentence: thresholdSentence(c, t) }));
}

export function thresholdSentence(c: CaseResult, t: ThresholdResult): string {
  const actual = t.actual === null ? 'nothing measured' : `was ${formatMetric(t.metric, t.actual)}`;
  return `${c.scenario} / ${c.target}: ${t.threshold} (${t.from}) ${actual}`;
}

/** `3 of 4 thresholds met` for the headline, or nothing when there are none. */
export function thresholdTally(result: RunResult): string | undefined {
  const all = thresholdResults(result);
  if (all.length === 0) return undefined;
  const unmet = all.filter((x) => x.t.valid !== true).length;
  return unmet === 0 ? `${all.length === 1 ? 'the threshold' : `all ${all.length} thresholds`} met` : `${unmet} of ${all.length} thresholds unmet`;
}

function formatMetric(metric: string, value: number): string {
  const unit = (METRICS as Record<string, { unit: string }>)[metric as MetricName]?.unit;
  if (unit === 'rate') return formatRate(value);
  if (unit === 'ms') return formatLatency(value);
  return formatCount(value);
}
