import type { JudgedBasis } from '../harness/checker/basis-requirements.js';
import { formatCount } from './format-measure.js';
import type { CaseResult } from '../harness/result/result-model.js';

/** The columns every report's basis table has, after scenario and target. */
export const BASIS_COLUMNS = ['runs', 'commands/run min/mean/max', 'writes', 'ok/fail/info', 'concurrent', 'faults: opened, writes met'];

/** What the basis table means, for every report. */
export const BASIS_MEANING =
  'What each verdict rests on, over the runs explored: commands run, writes (sends, edits, deletes, retries included) ' +
  'and how they ended (info = outcome unknown), writes that overlapped another write, and per fault the windows ' +
  'opened and the writes that overlapped one. A case that held every invariant without what its scenario requires ' +
  'having happened is UNKNOWN, not PASS.';

/** One cell per BASIS_COLUMNS entry. */
export function basisCells(basis: JudgedBasis): string[] {
  const { perRun } = basis.commands;
  const { ok, fail, info } = basis.outcomes;
  const faults = Object.entries(basis.faults).map(([name, f]) => `${name} ${f.opened}×, ${formatCount(f.writesHit)}`);
  return [
    formatCount(basis.runs),
    `${perRun.min}/${perRun.mean}/${perRun.max}`,
    formatCount(basis.writes),
    `${formatCount(ok)}/${formatCount(fail)}/${formatCount(info)}`,
    formatCount(basis.concurrentWrites),
    faults.length > 0 ? faults.join('; ') : '–',
  ];
}

/**
 * Why a case's basis falls short of its scenario's requirements, as one sentence; undefined when it does not, and for
 * a skipped case (it ran nothing by design: its reason is the skip, not a shortfall).
 */
export function basisShortfall(c: CaseResult): string | undefined {
  if (c.skipped) return undefined;
  const unmet = c.basis?.unmet ?? [];
  return unmet.length === 0 ? undefined : `not enough happened to decide: ${unmet.join('; ')}`;
}

/** The cases that carry a basis (results written before it existed have none). */
export function casesWithBasis(cases: readonly CaseResult[]): (CaseResult & { basis: JudgedBasis })[] {
  return cases.filter((c): c is CaseResult & { basis: JudgedBasis } => c.basis !== undefined);
}
