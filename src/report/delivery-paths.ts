import type { Measures } from '../harness/checker/measures.js';
import type { CaseResult } from '../harness/result/result-model.js';

export type DeliveryPath = keyof Measures['deliveries'];

/** The ways an acknowledged message first reaches a member, best first, with the words every report uses. */
export const DELIVERY_PATHS: { path: DeliveryPath; label: string; glyph: string }[] = [
  { path: 'broadcast', label: 'live', glyph: '█' },
  { path: 'gapFill', label: 'gap fill', glyph: '▓' },
  { path: 'reconnect', label: 'reconnect catch-up', glyph: '▒' },
  { path: 'final', label: 'final catch-up', glyph: '░' },
  { path: 'never', label: 'never', glyph: '×' },
];

export interface DeliveryShare {
  path: DeliveryPath;
  label: string;
  count: number;
  /** count / pairs, in [0, 1]. */
  share: number;
}

/**
 * How each (acknowledged message x member) pair of a case first reached the member, as shares of its pairs; none
 * for a case without pairs (skipped, or nothing acknowledged), so that a missing bar never reads as 0%.
 */
export function deliveryShares(c: CaseResult): { pairs: number; shares: DeliveryShare[] } | undefined {
  if (c.skipped) return undefined;
  const d = c.check.measures.deliveries;
  const pairs = DELIVERY_PATHS.reduce((sum, p) => sum + d[p.path], 0);
  if (pairs === 0) return undefined;
  return { pairs, shares: DELIVERY_PATHS.map((p) => ({ path: p.path, label: p.label, count: d[p.path], share: d[p.path] / pairs })) };
}

/** Why a case has no delivery breakdown, in a few words. */
export function noDeliveriesReason(c: CaseResult): string {
  return c.skipped ? 'skipped' : 'nothing acknowledged to a member';
}

/** `live 87% · gap fill 13%` (paths with no pair left out). */
export function deliverySentence(shares: readonly DeliveryShare[]): string {
  return shares
    .filter((s) => s.count > 0)
    .map((s) => `${s.label} ${percent(s.share)}`)
    .join(' · ');
}

/** A text bar of `width` cells, one glyph per path; a path with any pair gets at least one cell. */
export function deliveryBar(shares: readonly DeliveryShare[], width: number): string {
  const cells = apportion(shares.map((s) => s.count), width);
  return shares.map((s, i) => (DELIVERY_PATHS.find((p) => p.path === s.path)?.glyph ?? '?').repeat(cells[i] ?? 0)).join('');
}

/** Whole percent, but never 0% or 100% for a share that is neither (a single lost pair must show). */
export function percent(share: number): string {
  if (share > 0 && share < 0.01) return '<1%';
  if (share < 1 && share > 0.99) return '>99%';
  return `${Math.round(share * 100)}%`;
}

/** Largest remainder, with a floor of one cell for every nonzero count. */
function apportion(counts: number[], width: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const nonzero = counts.filter((c) => c > 0).length;
  const spare = Math.max(0, width - nonzero);
  const exact = counts.map((c) => (c > 0 ? (c / total) * spare : 0));
  const cells = exact.map((x, i) => Math.floor(x) + ((counts[i] ?? 0) > 0 ? 1 : 0));
  let left = width - cells.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r);
  for (const { i } of order) {
    if (left <= 0) break;
    if ((counts[i] ?? 0) === 0) continue;
    cells[i] = (cells[i] ?? 0) + 1;
    left--;
  }
  return cells;
}
