import type { CaseResult } from '../harness/result/result-model.js';
import type { HistoryEvent } from '../history/event.js';
import { caseOutcome } from './case-outcome.js';
import { escapeHtml } from './escape-html.js';
import { formatLatency } from './format-measure.js';
import type { ResultGrid } from './result-grid.js';
import { runDrawingsHtml } from './run-drawings.js';
import type { RunHistory } from './run-histories.js';
import { timelineLegendHtml } from './timeline-html.js';

export interface ScenarioTimelinesOptions {
  /** Events drawn at most per timeline. */
  maxEvents?: number;
  /** The fragment of a case's counterexample section, when it has one. */
  counterexampleAnchor?: (c: CaseResult) => string | undefined;
}

/**
 * One `<details>` per scenario with run 1 of each target side by side (run 1 has the same seed, so the same
 * generated commands and faults, on every target), passing runs as much as failing ones: an ack latency chart
 * and a time-scaled timeline each, on scales the scenario's panels share. A panel that cannot be drawn says why.
 */
export function scenarioTimelinesSection(grid: ResultGrid, histories: ReadonlyMap<string, RunHistory>, options: ScenarioTimelinesOptions = {}): string {
  const open = grid.scenarios.length === 1;
  const scenarios = grid.scenarios.map((scenario) => {
    const cases = grid.targets.map((target) => ({ target, c: grid.caseAt(scenario, target) }));
    const drawable = cases.flatMap(({ c }) => {
      const history = c === undefined ? undefined : histories.get(c.id);
      return c !== undefined && history !== undefined && 'events' in history ? [{ c, history }] : [];
    });
    const drawings = runDrawingsHtml(
      drawable.map(({ c, history }) => ({ history: history.events, name: `run 1 of ${c.id}` })),
      options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {},
    );
    const drawingOf = new Map(drawable.map(({ c, history }, i) => [c.id, { html: drawings[i]!, history }]));
    const seeds = [...new Set(drawable.map(({ history }) => seedOf(history.events)).filter((s) => s !== undefined))];
    const verdicts = cases.map(({ target, c }) => `${target} ${c === undefined ? '–' : caseOutcome(c).text}`).join(' · ');
    const panels = cases.map(({ target, c }) => {
      const head = `<h4 class="tl-panel-head" title="${escapeHtml(target)}">${escapeHtml(target)}${c === undefined ? '' : ` <span class="tl-verdict ${tone(c)}">${escapeHtml(caseOutcome(c).text)}</span>`}</h4>`;
      if (c === undefined) return `<div class="tl-panel tl-panel-empty">${head}<p class="tl-none">– did not run</p></div>`;
      if (c.skipped) return `<div class="tl-panel tl-panel-empty" data-case="${escapeHtml(c.id)}">${head}<p class="tl-none">– skipped${c.error ? `: ${escapeHtml(c.error.message)}` : ''}</p></div>`;
      const drawing = drawingOf.get(c.id);
      const history = histories.get(c.id);
      if (drawing === undefined) {
        const why = history !== undefined && 'unavailable' in history ? history.unavailable : 'its history was not read for this report';
        return `<div class="tl-panel tl-panel-empty" data-case="${escapeHtml(c.id)}">${head}<p class="tl-none">– no timeline: ${escapeHtml(why)}</p></div>`;
      }
      return `<div class="tl-panel" data-case="${escapeHtml(c.id)}">${head}<p class="facts">${panelFacts(c, drawing.history.file, drawing.history.events, options)}</p>${drawing.html}</div>`;
    });
    // The run's seed derives from --seed (printed once, with the run's facts); only a mismatch is worth a word.
    const seedWords = seeds.length > 1 ? ', whose targets did not share a seed' : '';
    return [
      `<details class="tl-scenario" data-scenario="${escapeHtml(scenario)}"${open ? ' open' : ''}>`,
      `<summary><b>${escapeHtml(scenario)}</b> <span class="facts">run 1${escapeHtml(seedWords)} · ${escapeHtml(verdicts)}</span></summary>`,
      `<div class="tl-panels" style="--tl-panels:${cases.length}">${panels.join('')}</div>`,
      `</details>`,
    ].join('\n');
  });
  return [
    `<section id="timelines"><h2>Timelines: run 1 of each scenario, targets side by side</h2>`,
    `<p>Run 1 of a scenario has the same seed on every target: the same generated sends, edits, deletes and faults, so the panels differ only by what each system did. Above each timeline, every send's ack latency against when it was sent, crosses for sends without an ack. In a timeline, time runs downwards in proportion (the same scale in every panel of a scenario); a bar is an operation from its request to its outcome, shaded bands are while a fault was active; hover any box for every detail.</p>`,
    timelineLegendHtml(),
    ...scenarios,
    `</section>`,
  ].join('\n');
}

function panelFacts(c: CaseResult, file: string, events: HistoryEvent[], options: ScenarioTimelinesOptions): string {
  const recorded = events.filter((e) => e.type !== 'meta');
  const times = recorded.flatMap((e) => ('time' in e ? [e.time] : []));
  const span = times.length > 0 ? Math.max(...times) - Math.min(...times) : 0;
  const anchor = c.counterexample !== undefined ? options.counterexampleAnchor?.(c) : undefined;
  return [
    `run 1 of ${c.runs}`,
    `${recorded.length} events over ${formatLatency(span)}`,
    `<code>${escapeHtml(file)}</code>`,
    ...(anchor !== undefined ? [`<a href="#${escapeHtml(anchor)}">its shrunk counterexample</a>`] : []),
  ].join(' · ');
}

function seedOf(events: HistoryEvent[]): number | undefined {
  const meta = events.find((e) => e.type === 'meta');
  return meta?.type === 'meta' ? meta.seed : undefined;
}

function tone(c: CaseResult): string {
  const label = caseOutcome(c).label;
  return label === 'PASS' ? 'pass' : label === 'FAIL' ? 'fail' : 'unknown';
}
