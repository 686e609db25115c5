import type { PropertyId } from './probe-properties.js';
import type { DbProbeResult } from './probe-result.js';
import { STORE_REQUIREMENTS, type StoreRequirements } from './store-requirements.js';

/** What the given patterns need that the probed database does not give: broken, or not decided. */
export interface UnmetRequirements {
  broken: PropertyId[];
  unknown: PropertyId[];
}

/**
 * Pure: the probed properties some of `patterns` require that are broken or unknown. A name absent from the table
 * needs nothing here: the table covers every pattern at compile time, so such a name is no pattern at all, and
 * `serve` refuses it as such.
 */
export function unmetRequirements(
  result: DbProbeResult,
  patterns: readonly string[],
  requirements: StoreRequirements = STORE_REQUIREMENTS,
): UnmetRequirements {
  const needed = new Set(patterns.flatMap((p) => requirements[p] ?? []));
  const verdictOf = (property: PropertyId) => result.properties.find((r) => r.property === property)?.verdict ?? 'unknown';
  const sorted = [...needed];
  return {
    broken: sorted.filter((p) => verdictOf(p) === 'broken'),
    unknown: sorted.filter((p) => verdictOf(p) === 'unknown'),
  };
}

/** The patterns (of the table) that require `property`. */
export function patternsRequiring(property: PropertyId, requirements: StoreRequirements = STORE_REQUIREMENTS): string[] {
  return Object.entries(requirements)
    .filter(([, needs]) => needs.includes(property))
    .map(([pattern]) => pattern);
}
