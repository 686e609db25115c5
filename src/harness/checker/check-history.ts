import type { HistoryEvent } from '../../history/event.js';
import type { CheckResult } from './check-result.js';
import { checkConvergence } from './convergence.js';
import { checkDurability } from './durability.js';
import { indexHistory, type HistoryIndex } from './history-index.js';
import { checkHonestAcks } from './honest-acks.js';
import { checkHonestRecovery } from './honest-recovery.js';
import { checkIsolation } from './isolation.js';
import { emptyMeasures, measure } from './measure.js';
import { checkNoDuplicates } from './no-duplicates.js';
import { checkNoPhantom } from './no-phantom.js';
import { checkOrder } from './order.js';
import { checkRecoverability } from './recoverability.js';
import { INVARIANTS, mergeValidity, type InvariantId, type Verdict } from './verdict.js';
import { undecided } from './verdict-from.js';

export type InvariantChecker = (index: HistoryIndex) => Verdict;

export const INVARIANT_CHECKERS: Record<InvariantId, InvariantChecker> = {
  I1: checkDurability,
  I2: checkRecoverability,
  I3: checkNoPhantom,
  I4: checkHonestAcks,
  I5: checkNoDuplicates,
  I6: checkOrder,
  I7: checkConvergence,
  I8: checkIsolation,
  I9: checkHonestRecovery,
};

/**
 * History in, verdicts and measures out; pure, and it never throws (Jepsen's check-safe): a checker that throws
 * is `unknown` with the error, so is every invariant when the history cannot even be indexed. Overall validity:
 * false beats unknown beats true.
 */
export function checkHistory(
  history: readonly HistoryEvent[],
  checkers: Record<InvariantId, InvariantChecker> = INVARIANT_CHECKERS,
): CheckResult {
  const ids = Object.keys(INVARIANTS) as InvariantId[];
  let index: HistoryIndex;
  try {
    index = indexHistory(history);
  } catch (error) {
    const verdict = undecided(`the history could not be indexed: ${errorText(error)}`);
    return {
      valid: 'unknown',
      invariants: Object.fromEntries(ids.map((id) => [id, verdict])) as Record<InvariantId, Verdict>,
      measures: emptyMeasures(),
    };
  }
  const invariants = Object.fromEntries(ids.map((id) => [id, runGuarded(id, checkers[id], index)])) as Record<
    InvariantId,
    Verdict
  >;
  let measures;
  try {
    measures = measure(index);
  } catch {
    measures = emptyMeasures();
  }
  return { valid: mergeValidity(Object.values(invariants).map((verdict) => verdict.valid)), invariants, measures };
}

/** One checker, its exception turned into `unknown`. */
export function runGuarded(id: InvariantId, checker: InvariantChecker, index: HistoryIndex): Verdict {
  try {
    return checker(index);
  } catch (error) {
    return undecided(`the ${INVARIANTS[id]} checker failed: ${errorText(error)}`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
