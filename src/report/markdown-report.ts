import { BASIS_COLUMNS, BASIS_MEANING, basisCells, basisShortfall, casesWithBasis } from './basis-cells.js';
import { caseOutcome, OUTCOME_MEANINGS, validityLabel, type CaseOutcome, type OutcomeLabel } from './case-outcome.js';
import { targetTotals } from './target-totals.js';
import { STABLE_LATENCY_HEADER, STABLE_LATENCY_NOTE, stableLatencyRows } from './stable-latency-rows.js';
import { nodeDeliveryLines } from './node-delivery.js';
import { comparedSentence, invariantSummary, scorecard, verdictSummary } from './scorecard.js';
import { deliverySentence, deliveryShares, noDeliveriesReason } from './delivery-paths.js';
import { formatCount, formatLatency, formatRate } from './format-measure.js';
import { caseErrorSentence } from './case-error-text.js';
import { invariantFindings } from './invariant-findings.js';
import { INVARIANT_IDS, INVARIANT_SENTENCES, invariantLabel } from './invariant-legend.js';
import { markdownCode, markdownCodeBlock, markdownHtmlText, markdownText } from './markdown-text.js';
import type { CaseResult, RunResult } from '../harness/result/result-model.js';
import { resultGrid } from './result-grid.js';
import { expectationSentence, resultHeadline } from './result-headline.js';
import { runFacts } from './run-facts.js';
import { thresholdLines } from './threshold-lines.js';

export interface MarkdownReportOptions {
  /** Shown in the replay command; `REPORT_DIR` when absent. */
  reportDir?: string;
  /** Witnesses shown per broken invariant (default 5). */
  witnessLimit?: number;
  /** Commands shown per counterexample before "… more" (default 40): a PR comment is capped at 65,536 characters. */
  commandLimit?: number;
}

const MARKS: Record<OutcomeLabel, string> = { PASS: '✅ PASS', FAIL: '❌ FAIL', UNKNOWN: '❔ UNKNOWN', SKIPPED: '⏭️ SKIPPED' };

/**
 * summary.md: fits a pull-request comment or `$GITHUB_STEP_SUMMARY`. The verdict table and expectations show at
 * once; each counterexample is folded in a <details>.
 */
export function renderMarkdownReport(result: RunResult, options: MarkdownReportOptions = {}): string {
  const headline = resultHeadline(result);
  const sections = [
    `## ${MARKS[validityLabel(headline.valid)].split(' ')[0]} ackproof ${result.command}: ${markdownText(headline.text)}`,
    runFacts(result).slice(1).map(markdownText).join(' · '),
    ...(result.database.probe?.unsafe ? [`> **UNSAFE database:** ${markdownText(result.database.probe.sentence)}`] : []),
    scorecardTable(result),
    deliveryTable(result),
    verdictTable(result),
    ...expectationList(result),
    ...thresholdList(result),
    measuresTable(result),
    ...basisTable(result),
    ...caseSections(result, options),
    legend(),
  ];
  return sections.join('\n\n') + '\n';
}

function scorecardTable(result: RunResult): string {
  const card = scorecard(result);
  const rows = card.targets.map((t) =>
    tableRow([
      markdownText(t.target),
      markdownText(verdictSummary(t)),
      t.invariants.broken.length > 0 ? `**${markdownText(invariantSummary(t))}**` : markdownText(invariantSummary(t)),
      formatRate(t.liveDelivery),
      formatLatency(t.ackP50),
      formatLatency(t.ackP99),
      formatLatency(t.stableP99),
    ]),
  );
  return [
    '### Scorecard',
    '',
    tableRow(['target', 'verdicts', 'invariants', 'live delivery', 'ack p50', 'ack p99', 'stable p99']),
    tableRow(['---', '---', '---', '---:', '---:', '---:', '---:']),
    ...rows,
    '',
    markdownText(comparedSentence(card, resultGrid(result).scenarios.length)),
  ].join('\n');
}

function deliveryTable(result: RunResult): string {
  const grid = resultGrid(result);
  const rows = grid.scenarios.flatMap((scenario) =>
    grid.targets.flatMap((target) => {
      const c = grid.caseAt(scenario, target);
      if (c === undefined) return [];
      const d = deliveryShares(c);
      const words = d === undefined ? `– (${noDeliveriesReason(c)})` : deliverySentence(d.shares);
      return [tableRow([markdownText(scenario), markdownText(target), d === undefined ? '–' : formatCount(d.pairs), markdownText(words)])];
    }),
  );
  return [
    '### Delivery paths',
    '',
    'How each acknowledged message first reached each member (live broadcast, gap fill, reconnect catch-up, final catch-up, or never).',
    '',
    tableRow(['scenario', 'target', 'pairs', 'first reached by']),
    tableRow(['---', '---', '---:', '---']),
    ...rows,
  ].join('\n');
}

function verdictTable(result: RunResult): string {
  const grid = resultGrid(result);
  const rows = grid.scenarios.map((scenario) => {
    const cells = grid.targets.map((target) => {
      const c = grid.caseAt(scenario, target);
      return c === undefined ? '–' : verdictCell(caseOutcome(c, result.expectations !== undefined));
    });
    return tableRow([markdownText(scenario), ...cells]);
  });
  return ['### Verdicts', '', tableRow(['scenario', ...grid.targets.map(markdownText)]), tableRow(['---', ...grid.targets.map(() => '---')]), ...rows].join('\n');
}

function verdictCell(outcome: CaseOutcome): string {
  const verdict = `${MARKS[outcome.label]}${outcome.violated.length > 0 ? ` ${outcome.violated.join(' ')}` : ''}`;
  const expectation = outcome.expectation;
  if (expectation === undefined) return verdict;
  return expectation.met ? `${verdict} (as expected)` : `${verdict} (**unmet: expected ${expectation.expected.toUpperCase()}**)`;
}

function expectationList(result: RunResult): string[] {
  const expectations = result.expectations ?? [];
  if (expectations.length === 0) return [];
  const met = expectations.filter((e) => e.met).length;
  return [
    [
      `### Expectations: ${met} of ${expectations.length} met`,
      '',
      ...expectations.map((e) => `- ${e.met ? '✅ met' : '❌ unmet'}: ${markdownText(expectationSentence(e))}`),
    ].join('\n'),
  ];
}

function thresholdList(result: RunResult): string[] {
  const lines = thresholdLines(result);
  if (lines.length === 0) return [];
  const marks = { PASS: '✅ met', FAIL: '❌ unmet', UNKNOWN: '❔ unknown' };
  return [['### Thresholds', '', ...lines.map((x) => `- ${marks[x.label]}: ${markdownText(x.sentence)}`)].join('\n')];
}

function measuresTable(result: RunResult): string {
  const grid = resultGrid(result);
  const rows = grid.targets.flatMap((target) => {
    const cases = grid.casesOf(target);
    const rowsOfCases = cases.map((c) => {
      const m = c.check.measures;
      return tableRow([
        markdownText(target),
        markdownText(c.scenario),
        formatCount(m.acknowledged),
        formatLatency(m.ackLatencyMs.p50),
        formatLatency(m.ackLatencyMs.p99),
        formatRate(m.liveDeliveryRate),
      ]);
    });
    return rowsOfCases;
  });
  return [
    '### Measures per target',
    '',
    'Ack latency: from sending to the server\'s acknowledgment. Live delivery: share of (acknowledged message × member) pairs delivered by broadcast, without a catch-up read.',
    '',
    tableRow(['target', 'scenario', 'acknowledged', 'ack p50', 'ack p99', 'live delivery']),
    tableRow(['---', '---', '---:', '---:', '---:', '---:']),
    ...rows,
    ...perNode(result),
    ...stableLatencyTable(result),
  ].join('\n');
}

function stableLatencyTable(result: RunResult): string[] {
  const rows = stableLatencyRows(result.cases);
  if (rows.length === 0) return [];
  return [
    '',
    '### Stable latency',
    '',
    STABLE_LATENCY_NOTE,
    '',
    tableRow(STABLE_LATENCY_HEADER),
    tableRow(STABLE_LATENCY_HEADER.map((_, i) => (i < 2 ? '---' : '---:'))),
    ...rows.map((row) => tableRow(row)),
  ];
}

/** Several nodes: the per-node lines, as a list under the table. */
function perNode(result: RunResult): string[] {
  const [title, ...lines] = nodeDeliveryLines(result);
  return title ? ['', `**${title}**`, '', ...lines.map((line) => `- ${markdownText(line.trim())}`)] : [];
}

function basisTable(result: RunResult): string[] {
  const cases = casesWithBasis(result.cases);
  if (cases.length === 0) return [];
  return [
    [
      '### Basis per case',
      '',
      markdownText(BASIS_MEANING),
      '',
      tableRow(['scenario', 'target', ...BASIS_COLUMNS.map(markdownText)]),
      tableRow(['---', '---', '---:', '---:', '---:', '---:', '---:', '---']),
      ...cases.map((c) => tableRow([markdownText(c.scenario), markdownText(c.target), ...basisCells(c.basis).map(markdownText)])),
    ].join('\n'),
  ];
}

function caseSections(result: RunResult, options: MarkdownReportOptions): string[] {
  const grid = resultGrid(result);
  const notPassing = grid.scenarios.flatMap((scenario) =>
    grid.targets.flatMap((target) => {
      const c = grid.caseAt(scenario, target);
      return c !== undefined && c.valid !== true ? [c] : [];
    }),
  );
  const failed = notPassing.filter((c) => c.valid === false);
  const undecided = notPassing.filter((c) => c.valid === 'unknown');
  const sections: string[] = [];
  if (failed.length > 0) {
    sections.push('### Counterexamples', ...failed.map((c) => caseDetails(c, result.runsPerCase, options)));
  }
  if (undecided.length > 0) {
    sections.push('### Could not be checked', ...undecided.map((c) => caseDetails(c, result.runsPerCase, options)));
  }
  return sections;
}

function caseDetails(c: CaseResult, runsPerCase: number, options: MarkdownReportOptions): string {
  const findings = invariantFindings(c.check, options.witnessLimit ?? 5);
  const outcome = caseOutcome(c);
  const title = [outcome.label, ...findings.broken.map((b) => b.label)].join(' ');
  const body = [`<details>\n<summary><b>${markdownHtmlText(`${c.scenario} / ${c.target}`)}</b>: ${markdownHtmlText(title)}</summary>`];
  body.push(markdownText(c.description));
  if (c.error !== undefined) body.push(`**${markdownText(caseErrorSentence(c.error))}**`);
  const cx = c.counterexample;
  if (cx !== undefined) {
    const limit = options.commandLimit ?? 40;
    const commands = cx.commands.slice(0, limit).map((command, i) => `${String(i + 1).padStart(3)}. ${command}`);
    if (cx.commands.length > limit) commands.push(`… ${cx.commands.length - limit} more (see the history file)`);
    body.push(
      `Failed in run ${c.runs} of ${c.plannedRuns ?? runsPerCase}, shrunk to ${cx.commands.length} commands. Path ${markdownCode(cx.path)}, history ${markdownCode(cx.historyFile)}. Replay:`,
      markdownCodeBlock([`ackproof replay ${options.reportDir ?? 'REPORT_DIR'} --case ${c.id}`], 'sh'),
      'Shrunk commands:',
      markdownCodeBlock(commands),
    );
  } else if (c.historyFile !== undefined) {
    body.push(`History ${markdownCode(c.historyFile)}.`);
  }
  for (const b of findings.broken) {
    const witnesses = b.witnesses.map((w) => `- ${markdownText(w.description)}`);
    if (b.omitted > 0) witnesses.push(`- … and ${b.omitted} more`);
    body.push(`**${markdownText(b.label)}**: ${markdownText(b.summary)}\n\n${witnesses.join('\n')}`);
  }
  for (const u of findings.undecided) {
    body.push(`**${markdownText(u.labels.join(', '))}**: ${markdownText(u.summary)} (${markdownText(u.error)})`);
  }
  const shortfall = basisShortfall(c);
  if (shortfall !== undefined) body.push(`**Basis**: ${markdownText(shortfall)}`);
  body.push('</details>');
  return body.join('\n\n');
}

function legend(): string {
  const invariants = INVARIANT_IDS.map((id) => `- **${markdownText(invariantLabel(id))}**: ${markdownText(INVARIANT_SENTENCES[id])}`);
  const outcomes = (Object.keys(OUTCOME_MEANINGS) as OutcomeLabel[]).map((label) => `- **${label}**: ${markdownText(OUTCOME_MEANINGS[label])}`);
  return [
    '<details>\n<summary>What was checked</summary>',
    'Each scenario ran against each target, with the same seeds for every target; every run\'s history was checked against these invariants:',
    invariants.join('\n'),
    'A case (one scenario against one target) reads:',
    outcomes.join('\n'),
    '</details>',
  ].join('\n\n');
}

function tableRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}
