import type { PropertyId } from './probe-properties.js';
import type { ProbeCounts } from './probe-result.js';
import type { ProbeScratch } from './scratch-database.js';

/** One property's experiment: races writes in its own collection of the scratch database and counts anomalies. */
export interface Probe {
  readonly property: PropertyId;
  run(scratch: ProbeScratch): Promise<ProbeCounts>;
}

/** 0 … n-1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
