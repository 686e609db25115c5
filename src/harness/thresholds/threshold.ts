import type { Measures } from '../checker/measures.js';

/**
 * A threshold on a measure, k6-style: `live-delivery>=0.99`, `ack-p99<=500ms`, optionally scoped to a target
 * (`reference:outbox:live-delivery>=0.99`, or a reference pattern's name: `outbox:…`) or to one scenario's target
 * (`broadcast-window/outbox:live-delivery>=0.99`). Judged per case; an unmet threshold fails the run like a broken
 * invariant, and one with nothing measured is unknown.
 */
export interface Threshold {
  /** As written, for every report. */
  text: string;
  metric: MetricName;
  op: ComparisonOp;
  /** In the metric's base unit: a rate in [0, 1], milliseconds, or a count. */
  limit: number;
  /** A target id or a reference pattern name; absent: every target. */
  target?: string;
  /** A scenario name; absent: every scenario. */
  scenario?: string;
}

type ComparisonOp = '<' | '<=' | '>' | '>=' | '==';
type Unit = 'rate' | 'ms' | 'count';

/** The measures a threshold can name: what each reads from a case's measures (null: nothing measured). */
export const METRICS = {
  'live-delivery': { unit: 'rate', read: (m: Measures) => m.liveDeliveryRate },
  'ack-p50': { unit: 'ms', read: (m: Measures) => m.ackLatencyMs.p50 },
  'ack-p99': { unit: 'ms', read: (m: Measures) => m.ackLatencyMs.p99 },
  'broadcast-p99': { unit: 'ms', read: (m: Measures) => m.broadcastLatencyMs.p99 },
  'stable-p99': { unit: 'ms', read: (m: Measures) => m.stableLatencyMs?.p99 ?? null },
  'never-delivered': { unit: 'count', read: (m: Measures) => m.deliveries.never },
} as const satisfies Record<string, { unit: Unit; read: (m: Measures) => number | null }>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export class ThresholdSyntaxError extends Error {
  override readonly name = 'ThresholdSyntaxError';
}

const SHAPE = new RegExp(`^(?:([^/:]*)/)?(?:(.*):)?(${METRIC_NAMES.join('|')})\\s*(<=|>=|==|<|>)\\s*(\\d+(?:\\.\\d+)?)\\s*(%|ms|s)?$`);

/** Parses `[SCENARIO/][TARGET:]METRIC OP VALUE[UNIT]` (`*` as TARGET: every one); throws ThresholdSyntaxError with the fix. */
export function parseThreshold(text: string): Threshold {
  const match = SHAPE.exec(text.trim());
  if (!match) {
    throw new ThresholdSyntaxError(
      `threshold "${text}": write [SCENARIO/][TARGET:]METRIC OP VALUE, e.g. live-delivery>=0.99, ack-p99<=500ms or ` +
        `outbox:live-delivery>=99%; metrics: ${METRIC_NAMES.join(', ')}`,
    );
  }
  const [, scenario, target, metricName, op, number, unit] = match;
  const metric = metricName as MetricName;
  const threshold: Threshold = { text: text.trim(), metric, op: op as ComparisonOp, limit: inBaseUnit(text, metric, Number(number), unit) };
  if (target !== undefined) {
    if (!/^([a-z0-9][a-z0-9:._-]*|\*)$/.test(target)) throw new ThresholdSyntaxError(`threshold "${text}": "${target}" is not a target name`);
    threshold.target = target;
  }
  if (scenario !== undefined) {
    if (!/^[a-z][a-z0-9-]*$/.test(scenario)) throw new ThresholdSyntaxError(`threshold "${text}": "${scenario}" is not a scenario name`);
    threshold.scenario = scenario;
  }
  return threshold;
}

function inBaseUnit(text: string, metric: MetricName, value: number, unit: string | undefined): number {
  const kind: Unit = METRICS[metric].unit;
  if (kind === 'rate') {
    if (unit === '%') return value / 100;
    if (unit === undefined && value <= 1) return value;
    throw new ThresholdSyntaxError(`threshold "${text}": ${metric} is a rate, written 0.99 or 99%`);
  }
  if (kind === 'ms') {
    if (unit === undefined || unit === 'ms') return value;
    if (unit === 's') return value * 1000;
    throw new ThresholdSyntaxError(`threshold "${text}": ${metric} is a latency, written 500ms or 0.5s`);
  }
  if (unit !== undefined) throw new ThresholdSyntaxError(`threshold "${text}": ${metric} is a count, written without a unit`);
  return value;
}

/** Whether a scope names this target: its id, or (a reference target) its pattern's name, as expectations do. */
export function scopeMatchesTarget(scope: string | undefined, targetId: string): boolean {
  if (scope === undefined || scope === '*' || scope === targetId) return true;
  return targetId.startsWith('reference:') && scope === targetId.slice('reference:'.length);
}

export function compare(actual: number, op: ComparisonOp, limit: number): boolean {
  switch (op) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '==':
      return actual === limit;
  }
}
