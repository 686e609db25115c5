import type { PropertyId } from './probe-properties.js';
import type { ProbeCounts, PropertyResult, PropertyVerdict } from './probe-result.js';

/**
 * A probe's counts → its verdict. Any lost write, double winner, key without a winner or stored refusal is `broken` (it is evidence
 * whatever else happened); otherwise unexpected errors, or nothing acknowledged, leave it `unknown` (a write that
 * failed may or may not have applied, so "no anomaly" would claim more than was seen); otherwise `holds`.
 */
export function judgeProperty(property: PropertyId, counts: ProbeCounts, durationMs: number): PropertyResult {
  const base = { property, counts, durationMs };
  const violations = [
    counts.lost > 0 ? `${counts.lost} of ${counts.acknowledged} acknowledged writes lost` : '',
    counts.doubleWinners > 0 ? `${counts.doubleWinners} of ${counts.rounds} keys got more than one winner` : '',
    counts.noWinner > 0 ? `${counts.noWinner} of ${counts.rounds} keys refused every insert yet stored none` : '',
    counts.phantoms > 0 ? `${counts.phantoms} writes refused as duplicates were stored anyway` : '',
  ].filter(Boolean);
  if (violations.length > 0) return { ...base, verdict: 'broken', reason: `${violations.join('; ')} (${attempted(counts)})${detail(counts)}` };
  if (counts.errors > 0) {
    return {
      ...base,
      verdict: 'unknown',
      reason: `${counts.errors} of ${counts.attempts} writes failed with an unexpected error (first: ${counts.firstError ?? 'none recorded'}), so whether it holds is not known`,
    };
  }
  if (counts.acknowledged === 0) return { ...base, verdict: 'unknown', reason: `no write was acknowledged (${attempted(counts)}), so nothing was tested` };
  return { ...base, verdict: 'holds', reason: `no anomaly (${attempted(counts)}, ${counts.acknowledged} acknowledged)${detail(counts)}` };
}

/** The probe itself could not run to the end (setup failed, timed out): `unknown`, with the reason. */
export function probeFailed(property: PropertyId, reason: string, durationMs: number): PropertyResult {
  return { property, verdict: 'unknown', reason, durationMs };
}

/** broken beats unknown beats holds; no property at all is unknown. */
export function overallVerdict(verdicts: readonly PropertyVerdict[]): PropertyVerdict {
  if (verdicts.includes('broken')) return 'broken';
  if (verdicts.length === 0 || verdicts.includes('unknown')) return 'unknown';
  return 'holds';
}

function detail(counts: ProbeCounts): string {
  return counts.detail ? `: ${counts.detail}` : '';
}

function attempted(counts: ProbeCounts): string {
  return `${counts.attempts} concurrent writes on ${counts.rounds} ${counts.rounds === 1 ? 'key' : 'keys'}`;
}
