import type { CheckResult } from '../harness/checker/check-result.js';
import type { InvariantId, Witness } from '../harness/checker/verdict.js';
import { INVARIANT_IDS, invariantLabel } from './invariant-legend.js';

export interface BrokenInvariant {
  id: InvariantId;
  /** `I4 honest acks`. */
  label: string;
  summary: string;
  /** The first witnesses, at most the limit asked for. */
  witnesses: Witness[];
  /** Witnesses left out. */
  omitted: number;
}

/** Invariants the checker could not decide, grouped by cause: they usually share one (a failed final read). */
export interface UndecidedInvariants {
  ids: InvariantId[];
  /** `I1 durability`, `I3 no phantom`. */
  labels: string[];
  summary: string;
  error: string;
}

/** What a check found against its invariants, trimmed for reading: reports show the first witnesses, not all. */
export function invariantFindings(
  check: CheckResult,
  witnessLimit: number,
): { broken: BrokenInvariant[]; undecided: UndecidedInvariants[] } {
  const broken: BrokenInvariant[] = [];
  const undecided = new Map<string, UndecidedInvariants>();
  for (const id of INVARIANT_IDS) {
    const verdict = check.invariants[id];
    if (verdict === undefined || verdict.valid === true) continue;
    const label = invariantLabel(id);
    if (verdict.valid === false) {
      const witnesses = verdict.witnesses.slice(0, witnessLimit);
      broken.push({ id, label, summary: verdict.summary, witnesses, omitted: verdict.witnesses.length - witnesses.length });
    } else {
      const cause = JSON.stringify([verdict.summary, verdict.error]);
      const group = undecided.get(cause) ?? { ids: [], labels: [], summary: verdict.summary, error: verdict.error };
      group.ids.push(id);
      group.labels.push(label);
      undecided.set(cause, group);
    }
  }
  return { broken, undecided: [...undecided.values()] };
}
