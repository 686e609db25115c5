import type { CaseResult } from '../harness/result/result-model.js';

/** One target over all its scenarios: what the per-case measures add up to exactly. */
export interface TargetTotals {
  acknowledged: number;
  /** Live (message x member) pairs over all pairs; null when no pair. */
  liveDeliveryRate: number | null;
}

/**
 * Sums a target's cases. The live delivery rate is exact, not an average of rates: each case's deliveries
 * (broadcast + gap fill + reconnect + final + never) count its pairs, and rate x pairs its live ones. Latency
 * percentiles cannot be added up, so there are none here.
 */
export function targetTotals(cases: readonly CaseResult[]): TargetTotals {
  let acknowledged = 0;
  let pairs = 0;
  let live = 0;
  for (const c of cases) {
    const m = c.check.measures;
    acknowledged += m.acknowledged;
    const d = m.deliveries;
    const casePairs = d.broadcast + d.gapFill + d.reconnect + d.final + d.never;
    pairs += casePairs;
    live += Math.round((m.liveDeliveryRate ?? 0) * casePairs);
  }
  return { acknowledged, liveDeliveryRate: pairs === 0 ? null : live / pairs };
}
