import type { CaseResult } from '../harness/result/result-model.js';
import { formatCount, formatLatency } from './format-measure.js';

export const STABLE_LATENCY_HEADER = ['target', 'scenario', 'messages', 'min', 'p50', 'p95', 'p99', 'max', 'never delivered'];

/** What the stable-latency tables say about it, in one place for every format. */
export const STABLE_LATENCY_NOTE =
  'Stable latency (Maelstrom\'s broadcast measure): from a send to the moment the last member other than the sender first holds the message, by any path, with its quantiles 0, .5, .95, .99 and 1. Never delivered: (message × member) pairs that no path reached.';

/**
 * One row per decided case with a stable latency: the quantiles, then the pairs never delivered. A quantile a result
 * predates is `–`, never a 0.
 */
export function stableLatencyRows(cases: readonly CaseResult[]): string[][] {
  return cases
    .filter((c) => !c.skipped && c.check.measures.stableLatencyMs !== undefined)
    .map((c) => {
      const s = c.check.measures.stableLatencyMs!;
      const quantiles = [s.min, s.p50, s.p95, s.p99, s.max].map((q) => formatLatency(q ?? null));
      return [c.target, c.scenario, formatCount(s.count), ...quantiles, formatCount(c.check.measures.deliveries.never)];
    });
}
