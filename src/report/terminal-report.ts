import { join } from 'node:path';
import { BASIS_COLUMNS, basisCells, basisShortfall, casesWithBasis } from './basis-cells.js';
import { caseOutcome, validityLabel, type CaseOutcome } from './case-outcome.js';
import { formatCount, formatLatency, formatRate } from './format-measure.js';
import { caseErrorSentence } from './case-error-text.js';
import { invariantFindings } from './invariant-findings.js';
import type { CaseResult, RunResult } from '../harness/result/result-model.js';
import { comparedSentence, invariantSummary, scorecard, verdictSummary } from './scorecard.js';
import { DELIVERY_PATHS, deliveryBar, deliverySentence, deliveryShares, noDeliveriesReason } from './delivery-paths.js';
import { resultGrid } from './result-grid.js';
import { expectationSentence, resultHeadline } from './result-headline.js';
import { runFacts } from './run-facts.js';
import { thresholdLines } from './threshold-lines.js';
import { terminalPalette, type TerminalPalette } from './terminal-color.js';
import { renderTextTable, type TableCell } from './text-table.js';
import { outcomePaint } from './verdict-block.js';
import { nodeDeliveryLines } from './node-delivery.js';

export interface TerminalReportOptions {
  /** Decided by the caller (terminalColorEnabled): NO_COLOR, FORCE_COLOR, TTY. */
  color: boolean;
  /** Where the report files are; makes history paths and the replay command copy-pasteable. */
  reportDir?: string;
  /** Witnesses shown per broken invariant (default 3). */
  witnessLimit?: number;
}

/**
 * The whole result for a terminal: headline, scenario x target verdicts (with expectation marks), measures per
 * target, unmet expectations, then each counterexample and each undecided case.
 */
export function renderTerminalReport(result: RunResult, options: TerminalReportOptions): string {
  const palette = terminalPalette(options.color);
  const headline = resultHeadline(result);
  const lines = [
    outcomePaint(palette, validityLabel(headline.valid))(`ackproof ${result.command}: ${headline.text}`),
    palette.dim(runFacts(result).slice(1).join(' · ')),
    ...(result.database.probe?.unsafe ? [palette.fail(`UNSAFE database: ${result.database.probe.sentence}`)] : []),
    '',
    ...scorecardTable(result, palette),
    '',
    ...deliveryTable(result, palette),
    '',
    ...verdictTable(result, palette),
    '',
    ...measuresTable(result, palette),
    ...nodeDeliveryLines(result),
    ...basisTable(result, palette),
  ];
  const thresholds = thresholdLines(result);
  if (thresholds.length > 0) {
    lines.push('', palette.bold('Thresholds'), ...thresholds.map((x) => `  ${outcomePaint(palette, x.label)(x.label === 'PASS' ? '✓' : x.label === 'FAIL' ? '✗' : '?')} ${x.sentence}`));
  }
  const unmet = (result.expectations ?? []).filter((e) => !e.met);
  if (unmet.length > 0) {
    lines.push('', palette.bold('Unmet expectations'), ...unmet.map((e) => `  ${palette.fail('✗')} ${expectationSentence(e)}`));
  }
  const grid = resultGrid(result);
  for (const scenario of grid.scenarios) {
    for (const target of grid.targets) {
      const c = grid.caseAt(scenario, target);
      if (c !== undefined && c.valid !== true) lines.push('', ...caseDetails(c, result.runsPerCase, palette, options));
    }
  }
  if (options.reportDir !== undefined) lines.push('', `Report: ${join(options.reportDir, 'report.html')}`);
  return lines.join('\n') + '\n';
}

/** Per target at a glance; the measure columns only over the scenarios every target ran alike. */
function scorecardTable(result: RunResult, palette: TerminalPalette): string[] {
  const card = scorecard(result);
  const header = ['target', 'verdicts', 'invariants', 'live delivery', 'ack p50', 'ack p99', 'stable p99'].map((text, i) => ({
    text,
    paint: palette.bold,
    align: i >= 3 ? ('right' as const) : ('left' as const),
  }));
  const rows = card.targets.map((t) => [
    t.target,
    { text: verdictSummary(t), paint: t.verdicts.fail > 0 ? palette.fail : t.verdicts.unknown > 0 ? palette.unknown : palette.pass },
    { text: invariantSummary(t), paint: t.invariants.broken.length > 0 ? palette.fail : (text: string) => text },
    ...[formatRate(t.liveDelivery), formatLatency(t.ackP50), formatLatency(t.ackP99), formatLatency(t.stableP99)].map(
      (text): TableCell => ({ text, align: 'right' }),
    ),
  ]);
  const scenarios = resultGrid(result).scenarios.length;
  return [palette.bold('Scorecard'), ...renderTextTable([header, ...rows], '  '), palette.dim(`  ${comparedSentence(card, scenarios)}`)];
}

/** How each acknowledged message first reached each member, per scenario x target, as a bar and in words. */
function deliveryTable(result: RunResult, palette: TerminalPalette): string[] {
  const grid = resultGrid(result);
  const legend = DELIVERY_PATHS.map((p) => `${p.glyph} ${p.label}`).join('  ');
  const rows = grid.scenarios.flatMap((scenario) =>
    grid.targets.flatMap((target) => {
      const c = grid.caseAt(scenario, target);
      if (c === undefined) return [];
      const d = deliveryShares(c);
      const cells = d === undefined
        ? ['', { text: `– (${noDeliveriesReason(c)})`, paint: palette.dim }]
        : [deliveryBar(d.shares, 20), deliverySentence(d.shares)];
      return [[scenario, target, { text: d === undefined ? '' : formatCount(d.pairs), align: 'right' as const }, ...cells]];
    }),
  );
  const header = ['scenario', 'target', 'pairs', 'first reached by', ''].map((text, i) => ({ text, paint: palette.bold, align: i === 2 ? ('right' as const) : ('left' as const) }));
  return [palette.bold('Delivery paths') + palette.dim(`  ${legend}`), ...renderTextTable([header, ...rows], '  ')];
}

function verdictTable(result: RunResult, palette: TerminalPalette): string[] {
  const grid = resultGrid(result);
  const header = ['scenario', ...grid.targets].map((text) => ({ text, paint: palette.bold }));
  const rows = grid.scenarios.map((scenario) => [
    scenario,
    ...grid.targets.map((target): TableCell => {
      const c = grid.caseAt(scenario, target);
      return c === undefined ? { text: '–', paint: palette.dim } : verdictCell(caseOutcome(c, result.expectations !== undefined), palette);
    }),
  ]);
  return [palette.bold('Verdicts'), ...renderTextTable([header, ...rows], '  ')];
}

/** `FAIL I4 ✓ expected` / `PASS ✗ expected FAIL`: the verdict in its color, the expectation mark after it. */
function verdictCell(outcome: CaseOutcome, palette: TerminalPalette): TableCell {
  const expectation = outcome.expectation;
  if (expectation === undefined) return { text: outcome.text, paint: outcomePaint(palette, outcome.label) };
  const suffix = expectation.met ? ' ✓ expected' : ` ✗ expected ${expectation.expected.toUpperCase()}`;
  return {
    text: outcome.text + suffix,
    paint: (text) =>
      outcomePaint(palette, outcome.label)(text.slice(0, outcome.text.length)) +
      (expectation.met ? palette.dim(suffix) : palette.fail(suffix)),
  };
}

function measuresTable(result: RunResult, palette: TerminalPalette): string[] {
  const grid = resultGrid(result);
  const header = ['target', 'scenario', 'acked', 'ack p50', 'ack p99', 'live delivery'].map((text, i) => ({
    text,
    paint: palette.bold,
    align: i >= 2 ? ('right' as const) : ('left' as const),
  }));
  const rows = grid.targets.flatMap((target) => {
    const cases = grid.casesOf(target);
    const rowsOfCases = cases.map((c, i) => {
      const m = c.check.measures;
      return [
        i === 0 ? target : '',
        c.scenario,
        ...[formatCount(m.acknowledged), formatLatency(m.ackLatencyMs.p50), formatLatency(m.ackLatencyMs.p99), formatRate(m.liveDeliveryRate)].map(
          (text): TableCell => ({ text, align: 'right' }),
        ),
      ];
    });
    return rowsOfCases;
  });
  return [palette.bold('Measures per target'), ...renderTextTable([header, ...rows], '  ')];
}

/** What each verdict rests on, one row per case (nothing for a result without bases). */
function basisTable(result: RunResult, palette: TerminalPalette): string[] {
  const cases = casesWithBasis(result.cases);
  if (cases.length === 0) return [];
  const header = ['scenario', 'target', ...BASIS_COLUMNS].map((text, i) => ({
    text,
    paint: palette.bold,
    align: i >= 2 && i < 7 ? ('right' as const) : ('left' as const),
  }));
  const rows = cases.map((c) => [
    c.scenario,
    c.target,
    ...basisCells(c.basis).map((text, i): TableCell => ({ text, align: i < 5 ? 'right' : 'left' })),
  ]);
  return ['', palette.bold('Basis per case'), ...renderTextTable([header, ...rows], '  ')];
}

function caseDetails(c: CaseResult, runsPerCase: number, palette: TerminalPalette, options: TerminalReportOptions): string[] {
  const outcome = caseOutcome(c);
  const findings = invariantFindings(c.check, options.witnessLimit ?? 3);
  const broken = findings.broken.map((b) => b.label).join(', ');
  const lines = [
    outcomePaint(palette, outcome.label)(`${outcome.label} ${c.scenario} / ${c.target}`) + (broken ? palette.bold(`: ${broken}`) : ''),
    palette.dim(`  ${c.description}`),
  ];
  if (c.error !== undefined) lines.push(`  ${palette.unknown(caseErrorSentence(c.error))}`);
  const inReportDir = (file: string) => (options.reportDir === undefined ? file : join(options.reportDir, file));
  const cx = c.counterexample;
  if (cx !== undefined) {
    lines.push(
      `  failed in run ${c.runs} of ${c.plannedRuns ?? runsPerCase}; shrunk to ${cx.commands.length} commands; path ${cx.path}`,
      `  history: ${inReportDir(cx.historyFile)}`,
      `  replay:  ackproof replay ${options.reportDir ?? 'REPORT_DIR'} --case ${c.id}`,
      '  commands:',
      ...cx.commands.map((command, i) => `  ${String(i + 1).padStart(4)}. ${command}`),
    );
  } else if (c.historyFile !== undefined) {
    lines.push(`  history: ${inReportDir(c.historyFile)}`);
  }
  for (const b of findings.broken) {
    lines.push(`  ${palette.fail(b.label)}: ${b.summary}`, ...b.witnesses.map((w) => `    - ${w.description}`));
    if (b.omitted > 0) lines.push(palette.dim(`    … and ${b.omitted} more`));
  }
  for (const group of findings.undecided) {
    lines.push(`  ${palette.unknown(group.labels.join(', '))}: ${group.summary}`, `    error: ${group.error}`);
  }
  const shortfall = basisShortfall(c);
  if (shortfall !== undefined) lines.push(`  ${palette.unknown('basis')}: ${shortfall}`);
  return lines;
}
