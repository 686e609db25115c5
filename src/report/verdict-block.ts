import type { CheckResult } from '../harness/checker/check-result.js';
import { validityLabel, type OutcomeLabel } from './case-outcome.js';
import { INVARIANT_IDS, invariantLabel } from './invariant-legend.js';
import { terminalPalette, type TerminalPalette } from './terminal-color.js';
import { renderTextTable } from './text-table.js';

/**
 * One line per invariant for a single case (what `check` prints):
 * `PASS  I1 durability     1,284 acknowledged: 1,284 stored`. An undecided invariant also names its error.
 */
export function renderVerdictBlock(check: CheckResult, options: { color: boolean; indent?: string }): string {
  const palette = terminalPalette(options.color);
  const rows = INVARIANT_IDS.flatMap((id) => {
    const verdict = check.invariants[id];
    if (verdict === undefined) return [];
    const label = validityLabel(verdict.valid);
    const summary = verdict.valid === 'unknown' ? `${verdict.summary} (${verdict.error})` : verdict.summary;
    return [[{ text: label, paint: outcomePaint(palette, label) }, invariantLabel(id), summary]];
  });
  return renderTextTable(rows, options.indent ?? '').join('\n') + '\n';
}

export function outcomePaint(palette: TerminalPalette, label: OutcomeLabel): (text: string) => string {
  if (label === 'PASS') return palette.pass;
  return label === 'FAIL' ? palette.fail : palette.unknown;
}
