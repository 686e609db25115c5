import { STABLE_LATENCY_HEADER, STABLE_LATENCY_NOTE, stableLatencyRows } from './stable-latency-rows.js';
import { BASIS_COLUMNS, BASIS_MEANING, basisCells, basisShortfall, casesWithBasis } from './basis-cells.js';
import { caseOutcome, OUTCOME_MEANINGS, validityLabel, type OutcomeLabel } from './case-outcome.js';
import { comparedSentence, invariantSummary, scorecard, verdictSummary } from './scorecard.js';
import { DELIVERY_PATHS, deliverySentence, deliveryShares, noDeliveriesReason, percent } from './delivery-paths.js';
import { chartJsSource } from './chart-js-source.js';
import { escapeHtml } from './escape-html.js';
import { formatCount, formatLatency, formatRate } from './format-measure.js';
import { caseErrorSentence } from './case-error-text.js';
import { invariantFindings } from './invariant-findings.js';
import { INVARIANT_IDS, INVARIANT_SENTENCES, invariantLabel } from './invariant-legend.js';
import { jsonInHtml } from './json-in-html.js';
import { REPORT_HTML_SCRIPT } from './report-html-script.js';
import { REPORT_HTML_STYLE } from './report-html-style.js';
import type { CaseResult, RunResult } from '../harness/result/result-model.js';
import { resultGrid, type ResultGrid } from './result-grid.js';
import { expectationSentence, resultHeadline } from './result-headline.js';
import { plannedRuns, runFacts } from './run-facts.js';
import { runDrawingsHtml } from './run-drawings.js';
import type { RunHistory } from './run-histories.js';
import { scenarioTimelinesSection } from './scenario-timelines.js';
import { timelineLegendHtml } from './timeline-html.js';
import { thresholdLines } from './threshold-lines.js';

export interface HtmlReportOptions {
  /** Shown in the replay command; `REPORT_DIR` when absent. */
  reportDir?: string;
  /** Witnesses listed per broken invariant (default 10). */
  witnessLimit?: number;
  /** Events drawn at most per timeline (default 400). */
  maxTimelineEvents?: number;
  /**
   * The first run's history of each case, by case id (readFirstRunHistories): drawn side by side per scenario.
   * Without it the page has no such section (the counterexamples still have their timelines).
   */
  runHistories?: ReadonlyMap<string, RunHistory>;
}

/** What the page's script reads from the JSON block: the numbers behind the charts, [target][scenario]. */
export interface ReportChartData {
  scenarios: string[];
  targets: string[];
  ackP50: (number | null)[][];
  ackP99: (number | null)[][];
  livePercent: (number | null)[][];
}

/**
 * report.html: one self-contained page (styles, Chart.js and data inlined; a Content-Security-Policy that allows
 * no network at all) that a person who has not read the code can open offline and follow: what was checked, the
 * verdicts, the legend, the measures as charts and table, and each counterexample with its timeline.
 */
export function renderHtmlReport(result: RunResult, options: HtmlReportOptions = {}): string {
  const grid = resultGrid(result);
  const headline = resultHeadline(result);
  const tone = toneOf(validityLabel(headline.valid));
  const title = `ackproof ${result.command}: ${headline.text}`;
  const notPassing = grid.scenarios.flatMap((scenario) =>
    grid.targets.flatMap((target) => {
      const c = grid.caseAt(scenario, target);
      return c !== undefined && c.valid !== true ? [c] : [];
    }),
  );
  const body = [
    `<header>`,
    `<h1>ackproof ${escapeHtml(result.command)} report</h1>`,
    `<p class="facts">${runFacts(result).map(escapeHtml).join(' · ')}</p>`,
    ...(result.database.probe?.unsafe ? [`<div class="banner fail" id="unsafe-database"><span class="mark">UNSAFE</span>${escapeHtml(result.database.probe.sentence)}</div>`] : []),
    `<div class="banner ${tone}" id="headline"><span class="mark">${validityLabel(headline.valid)}</span>${escapeHtml(headline.text)}</div>`,
    introduction(result, grid),
    `</header>`,
    scorecardSection(result, grid),
    `<section><h2>Verdicts</h2>`,
    verdictTable(grid, result.expectations !== undefined),
    expectationList(result),
    thresholdList(result),
    `</section>`,
    legend(),
    `<section><h2>Measures per target</h2>`,
    `<p>Ack latency is the time from sending a message to the server's acknowledgment. Live delivery is the share of (acknowledged message × member) pairs that reached the member by live broadcast, without a catch-up read.</p>`,
    `<div class="charts"><div class="chart"><canvas id="chart-ack-latency" role="img" aria-label="bar chart of acknowledgment latency p50 and p99 per scenario and target"></canvas></div>`,
    `<div class="chart"><canvas id="chart-live-delivery" role="img" aria-label="bar chart of live delivery rate per scenario and target"></canvas></div></div>`,
    measuresTable(grid),
    `</section>`,
    basisSection(result),
    notPassing.length > 0
      ? `<section><h2>Counterexamples and undecided cases</h2>${notPassing.map((c) => caseSection(c, result.runsPerCase, grid, options)).join('\n')}</section>`
      : '',
    options.runHistories !== undefined
      ? scenarioTimelinesSection(grid, options.runHistories, {
          ...(options.maxTimelineEvents !== undefined ? { maxEvents: options.maxTimelineEvents } : {}),
          counterexampleAnchor: (c) => caseAnchor(grid, c),
        })
      : '',
    `<footer>Generated by ackproof ${escapeHtml(result.tool.version)} · result format ${result.formatVersion} · the same data is in result.json beside this file.</footer>`,
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Everything is inline: forbid the network outright, so the page provably opens offline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    `<script type="application/json" id="report-data">${jsonInHtml(chartData(grid))}</script>`,
    `<script>${chartJsSource()}</script>`,
    `<script>${REPORT_HTML_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function introduction(result: RunResult, grid: ResultGrid): string {
  const runs = plannedRuns(result, 'time', 'times');
  const targets = grid.targets.map((p) => `<b>${escapeHtml(p)}</b>`).join(', ');
  return [
    `<div class="intro">`,
    `<p>ackproof checks that a chat server keeps its promise: <em>every message it acknowledged is stored, and every member can recover it</em>, whatever happens to WebSockets, the server process or the database.</p>`,
    `<p>Each of the ${grid.scenarios.length} scenarios below ran ${runs} against each server target (${targets}) with the same seeds: simulated clients sent, edited and deleted messages while faults were injected. Every run was recorded as a history (operations and their acknowledgments, broadcasts received, catch-up reads, faults, and a final read of the database) and checked against the ${INVARIANT_IDS.length} invariants listed below. A failing run was shrunk to a short sequence of steps that still fails.</p>`,
    `</div>`,
  ].join('\n');
}

/** The scorecard per target, then a stacked bar per scenario x target of how messages reached members. */
function scorecardSection(result: RunResult, grid: ResultGrid): string {
  const card = scorecard(result);
  const head = `<tr><th>target</th><th>verdicts</th><th>invariants</th><th class="num">live delivery</th><th class="num">ack p50</th><th class="num">ack p99</th><th class="num">stable p99</th></tr>`;
  const rows = card.targets.map((t) => {
    const tone = t.verdicts.fail > 0 ? 'fail' : t.verdicts.unknown > 0 ? 'unknown' : 'pass';
    const numbers = [formatRate(t.liveDelivery), formatLatency(t.ackP50), formatLatency(t.ackP99), formatLatency(t.stableP99)];
    return `<tr data-target="${escapeHtml(t.target)}"><th scope="row">${escapeHtml(t.target)}</th><td class="${tone}">${escapeHtml(verdictSummary(t))}</td><td>${escapeHtml(invariantSummary(t))}</td>${numbers.map((n) => `<td class="num">${escapeHtml(n)}</td>`).join('')}</tr>`;
  });
  const legendItems = DELIVERY_PATHS.map((p) => `<li><span class="dp-chip dp-${p.path}"></span>${escapeHtml(p.label)}</li>`);
  const bars = grid.scenarios.map((scenario) => {
    const cells = grid.targets.map((target) => {
      const c = grid.caseAt(scenario, target);
      if (c === undefined) return `<div class="dp-row"><span class="dp-target">${escapeHtml(target)}</span><span class="dp-none">– (did not run)</span></div>`;
      const d = deliveryShares(c);
      if (d === undefined) return `<div class="dp-row"><span class="dp-target">${escapeHtml(target)}</span><span class="dp-none">– (${escapeHtml(noDeliveriesReason(c))}; no bar)</span></div>`;
      const segments = d.shares
        .filter((s) => s.count > 0)
        .map((s) => `<span class="dp-seg dp-${s.path}" style="width:${(s.share * 100).toFixed(2)}%" title="${escapeHtml(`${s.label}: ${formatCount(s.count)} of ${formatCount(d.pairs)} (${percent(s.share)})`)}"></span>`);
      return `<div class="dp-row" data-case="${escapeHtml(c.id)}"><span class="dp-target">${escapeHtml(target)}</span><span class="dp-bar" role="img" aria-label="${escapeHtml(deliverySentence(d.shares))}">${segments.join('')}</span><span class="dp-words">${escapeHtml(deliverySentence(d.shares))} <span class="facts">of ${formatCount(d.pairs)} pairs</span></span></div>`;
    });
    return `<div class="dp-scenario"><h4>${escapeHtml(scenario)}</h4>${cells.join('')}</div>`;
  });
  return [
    `<section id="scorecard"><h2>Scorecard</h2>`,
    `<table class="measures scorecard"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`,
    `<p class="facts">${escapeHtml(comparedSentence(card, grid.scenarios.length))} Stable latency: from a send to the moment the last member holds the message, by any path.</p>`,
    `<h3>How each acknowledged message reached each member</h3>`,
    `<ul class="dp-legend">${legendItems.join('')}</ul>`,
    `<div class="delivery-paths" id="delivery-paths">${bars.join('')}</div>`,
    `</section>`,
  ].join('\n');
}

function verdictTable(grid: ResultGrid, judged: boolean): string {
  const head = `<tr><th>scenario</th>${grid.targets.map((p) => `<th>${escapeHtml(p)}</th>`).join('')}</tr>`;
  const rows = grid.scenarios.map((scenario) => {
    const description = grid.targets.map((p) => grid.caseAt(scenario, p)?.description).find((d) => d !== undefined) ?? '';
    const cells = grid.targets.map((target) => {
      const c = grid.caseAt(scenario, target);
      if (c === undefined) return '<td class="verdict">–</td>';
      const outcome = caseOutcome(c, judged);
      const broke = outcome.violated.map(invariantLabel).join(', ');
      const label = c.valid === true ? outcome.label : `<a href="#${caseAnchor(grid, c)}">${outcome.label}</a>`;
      const expectation = outcome.expectation;
      const expect =
        expectation === undefined
          ? ''
          : `<span class="expect${expectation.met ? '' : ' unmet'}">${expectation.met ? 'as expected' : `unmet: expected ${expectation.expected.toUpperCase()}`}</span>`;
      return `<td class="verdict ${toneOf(outcome.label)}" data-case="${escapeHtml(c.id)}"><span class="label">${label}</span>${broke ? `<span class="broke">${escapeHtml(broke)}</span>` : ''}${expect}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(scenario)}<span class="scenario-description">${escapeHtml(description)}</span></th>${cells.join('')}</tr>`;
  });
  return `<table class="verdicts" id="verdicts"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function expectationList(result: RunResult): string {
  const expectations = result.expectations ?? [];
  if (expectations.length === 0) return '';
  const met = expectations.filter((e) => e.met).length;
  const items = expectations.map((e) => `<li class="${e.met ? 'met' : 'unmet'}">${escapeHtml(expectationSentence(e))}</li>`);
  return `<h3>Expectations: ${met} of ${expectations.length} met</h3><ul class="expectations">${items.join('')}</ul>`;
}

function thresholdList(result: RunResult): string {
  const lines = thresholdLines(result);
  if (lines.length === 0) return '';
  const met = lines.filter((x) => x.label === 'PASS').length;
  const items = lines.map((x) => `<li class="${x.label === 'PASS' ? 'met' : 'unmet'}">${escapeHtml(x.sentence)}</li>`);
  return `<h3 id="thresholds">Thresholds: ${met} of ${lines.length} met</h3><ul class="expectations">${items.join('')}</ul>`;
}

function legend(): string {
  const invariants = INVARIANT_IDS.map((id) => `<li><b>${escapeHtml(invariantLabel(id))}</b> ${escapeHtml(INVARIANT_SENTENCES[id])}</li>`);
  const outcomes = (Object.keys(OUTCOME_MEANINGS) as OutcomeLabel[]).map(
    (label) => `<li><b>${label}</b> ${escapeHtml(OUTCOME_MEANINGS[label])}</li>`,
  );
  return [
    `<section id="legend"><h2>What each verdict means</h2>`,
    `<p>A case is one scenario against one target. It reads:</p>`,
    `<ul class="legend">${outcomes.join('')}</ul>`,
    `<p>The invariants checked on every run's history:</p>`,
    `<ul class="legend">${invariants.join('')}</ul>`,
    `</section>`,
  ].join('\n');
}

function measuresTable(grid: ResultGrid): string {
  const head = `<tr><th>target</th><th>scenario</th><th class="num">acknowledged</th><th class="num">ack p50</th><th class="num">ack p99</th><th class="num">live delivery</th><th class="num">catch-up reads</th></tr>`;
  const rows = grid.targets.flatMap((target) => {
    const cases = grid.casesOf(target);
    const rowsOfCases = cases.map((c) => {
      const m = c.check.measures;
      const numbers = [formatCount(m.acknowledged), formatLatency(m.ackLatencyMs.p50), formatLatency(m.ackLatencyMs.p99), formatRate(m.liveDeliveryRate), formatCount(m.catchup.reads)];
      return `<tr><td>${escapeHtml(target)}</td><td>${escapeHtml(c.scenario)}</td>${numbers.map((n) => `<td class="num">${escapeHtml(n)}</td>`).join('')}</tr>`;
    });
    return rowsOfCases;
  });
  return `<table class="measures"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>` + stableLatencyTable(grid);
}

function stableLatencyTable(grid: ResultGrid): string {
  const rows = stableLatencyRows(grid.targets.flatMap((target) => grid.casesOf(target)));
  if (rows.length === 0) return '';
  const cell = (text: string, i: number, tag: 'td' | 'th') => `<${tag}${i < 2 ? '' : ' class="num"'}>${escapeHtml(text)}</${tag}>`;
  const head = `<tr>${STABLE_LATENCY_HEADER.map((h, i) => cell(h, i, 'th')).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((text, i) => cell(text, i, 'td')).join('')}</tr>`).join('');
  return `<h3>Stable latency</h3><p>${escapeHtml(STABLE_LATENCY_NOTE)}</p><table class="measures stable-latency"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function basisSection(result: RunResult): string {
  const cases = casesWithBasis(result.cases);
  if (cases.length === 0) return '';
  const head = `<tr><th>scenario</th><th>target</th>${BASIS_COLUMNS.map((col, i) => `<th${i < 5 ? ' class="num"' : ''}>${escapeHtml(col)}</th>`).join('')}</tr>`;
  const rows = cases.map((c) => {
    const cells = basisCells(c.basis).map((text, i) => `<td${i < 5 ? ' class="num"' : ''}>${escapeHtml(text)}</td>`);
    return `<tr data-case="${escapeHtml(c.id)}"><td>${escapeHtml(c.scenario)}</td><td>${escapeHtml(c.target)}</td>${cells.join('')}</tr>`;
  });
  return `<section id="basis"><h2>Basis per case</h2><p>${escapeHtml(BASIS_MEANING)}</p><table class="measures basis"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function caseSection(c: CaseResult, runsPerCase: number, grid: ResultGrid, options: HtmlReportOptions): string {
  const outcome = caseOutcome(c);
  const findings = invariantFindings(c.check, options.witnessLimit ?? 10);
  const heading = [outcome.label, ...findings.broken.map((b) => b.label)].join(' ');
  const parts = [
    `<article class="case ${toneOf(outcome.label)}" id="${caseAnchor(grid, c)}">`,
    `<h3>${escapeHtml(`${c.scenario} / ${c.target}`)}: ${escapeHtml(heading)}</h3>`,
    `<p>${escapeHtml(c.description)}</p>`,
  ];
  if (c.error !== undefined) parts.push(`<p class="case-error"><b>${escapeHtml(caseErrorSentence(c.error))}</b></p>`);
  for (const b of findings.broken) {
    const witnesses = b.witnesses.map((w) => `<li>${escapeHtml(w.description)}</li>`);
    if (b.omitted > 0) witnesses.push(`<li>… and ${b.omitted} more (see result.json)</li>`);
    parts.push(
      `<p><b>${escapeHtml(b.label)}</b> is broken: ${escapeHtml(b.summary)}. ${escapeHtml(INVARIANT_SENTENCES[b.id])}</p>`,
      `<ul class="witnesses">${witnesses.join('')}</ul>`,
    );
  }
  for (const u of findings.undecided) {
    parts.push(`<p><b>${escapeHtml(u.labels.join(', '))}</b> could not be decided: ${escapeHtml(u.summary)}.</p><p>Error: <code>${escapeHtml(u.error)}</code></p>`);
  }
  const shortfall = basisShortfall(c);
  if (shortfall !== undefined) parts.push(`<p class="basis-shortfall"><b>Basis</b>: ${escapeHtml(shortfall)}.</p>`);
  const cx = c.counterexample;
  if (cx !== undefined) {
    const replay = `ackproof replay ${options.reportDir ?? 'REPORT_DIR'} --case ${c.id}`;
    parts.push(
      `<p>Found in run ${c.runs} of ${c.plannedRuns ?? runsPerCase} and shrunk to ${cx.commands.length} steps. Path <code>${escapeHtml(cx.path)}</code>, history <code>${escapeHtml(cx.historyFile)}</code>. Replay it with <code>${escapeHtml(replay)}</code>.</p>`,
      `<h4>The steps</h4>`,
      `<ol class="commands">${cx.commands.map((command) => `<li>${escapeHtml(command)}</li>`).join('')}</ol>`,
      `<h4>Timeline of the counterexample</h4>`,
      `<p class="facts">Every send's ack latency against when it was sent (crosses: sends without an ack), then the timeline: time runs downwards in proportion, a bar is an operation from its request to its outcome, shaded bands are while a fault was active; hover any box for every detail.</p>`,
      runDrawingsHtml(
        [{ history: cx.history, name: `the counterexample of ${c.id}`, witnesses: findings.broken.map((b) => ({ id: b.id, witnesses: b.witnesses })) }],
        options.maxTimelineEvents !== undefined ? { maxEvents: options.maxTimelineEvents } : {},
      )[0]!,
      timelineLegendHtml(),
    );
  } else if (c.historyFile !== undefined) {
    parts.push(`<p>History: <code>${escapeHtml(c.historyFile)}</code>.</p>`);
  }
  parts.push('</article>');
  return parts.join('\n');
}

function chartData(grid: ResultGrid): ReportChartData {
  const per = (pick: (c: CaseResult) => number | null) =>
    grid.targets.map((target) =>
      grid.scenarios.map((scenario) => {
        const c = grid.caseAt(scenario, target);
        return c === undefined ? null : pick(c);
      }),
    );
  return {
    scenarios: grid.scenarios,
    targets: grid.targets,
    ackP50: per((c) => c.check.measures.ackLatencyMs.p50),
    ackP99: per((c) => c.check.measures.ackLatencyMs.p99),
    livePercent: per((c) => {
      const rate = c.check.measures.liveDeliveryRate;
      return rate === null ? null : Math.round(rate * 1000) / 10;
    }),
  };
}

/** A fragment id that is valid and unique whatever the scenario is called. */
function caseAnchor(grid: ResultGrid, c: CaseResult): string {
  const index = grid.scenarios.indexOf(c.scenario) * grid.targets.length + grid.targets.indexOf(c.target);
  return `case-${index}-${c.id.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
}

function toneOf(label: OutcomeLabel): 'pass' | 'fail' | 'unknown' {
  return label === 'PASS' ? 'pass' : label === 'FAIL' ? 'fail' : 'unknown';
}
