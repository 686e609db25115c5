import type { CheckResult } from './check-result.js';
import { mergeValidity, type InvariantId, type Verdict } from './verdict.js';

/**
 * The check as a system that does not promise some invariants is judged: a broken invariant it never promised is
 * no violation, but it is said, with its evidence and the system's reason ("not promised by centrifugo:memory:
 * history is a bounded cache"), never passed in silence. Pure.
 */
export function judgeAgainstPromises(
  check: CheckResult,
  targetId: string,
  notPromised: Partial<Record<InvariantId, string>>,
): CheckResult {
  const entries = Object.entries(notPromised) as [InvariantId, string][];
  if (entries.length === 0) return check;
  const invariants = { ...check.invariants };
  for (const [id, reason] of entries) {
    const verdict = invariants[id];
    if (!verdict) continue;
    invariants[id] = notPromisedVerdict(verdict, targetId, reason);
  }
  return { ...check, invariants, valid: mergeValidity(Object.values(invariants).map((v) => v.valid)) };
}

function notPromisedVerdict(verdict: Verdict, targetId: string, reason: string): Verdict {
  const prefix = `not promised by ${targetId}: ${reason}`;
  if (verdict.valid === false) {
    return {
      valid: true,
      summary: `${prefix}; it did not hold here (${verdict.witnesses.length} witness${verdict.witnesses.length === 1 ? '' : 'es'}): ${verdict.summary}`,
      notPromised: { reason, witnesses: verdict.witnesses },
    };
  }
  return { ...verdict, summary: `${prefix}; ${verdict.summary}` } as Verdict;
}
