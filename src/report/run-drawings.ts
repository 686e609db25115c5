import type { InvariantId, Witness } from '../harness/checker/verdict.js';
import type { HistoryEvent } from '../history/event.js';
import { ackLatencyChartHtml } from './ack-latency-chart.js';
import { faultWindows, historyOrigin } from './fault-windows.js';
import { escapeHtml } from './escape-html.js';
import { historyTimeline } from './history-timeline.js';
import { sendOutcomes } from './send-outcomes.js';
import { renderTimelineHtml } from './timeline-html.js';
import { layoutTimeline } from './timeline-layout.js';
import { formatAxisMs, timeScale } from './timeline-scale.js';

export interface RunToDraw {
  history: HistoryEvent[];
  /** Says what the drawing shows, for screen readers. */
  name: string;
  /** Witnesses of broken invariants whose operations are in this history (a counterexample's). */
  witnesses?: { id: InvariantId; witnesses: Witness[] }[];
}

/**
 * Each run's ack latency chart and timeline, on scales shared by all of them (the same time is the same height in
 * every timeline, the same latency the same height in every chart), so runs drawn side by side compare by eye.
 */
export function runDrawingsHtml(runs: readonly RunToDraw[], { maxEvents }: { maxEvents?: number } = {}): string[] {
  const prepared = runs.map((run) => {
    const origin = historyOrigin(run.history);
    const timeline = historyTimeline(run.history, { ...(run.witnesses ? { witnesses: run.witnesses } : {}), ...(maxEvents !== undefined ? { maxEvents } : {}) });
    const all = run.history.filter((e) => e.type !== 'meta');
    const lastMs = all.reduce((last, e) => Math.max(last, 'time' in e ? e.time - origin : 0), 0);
    return { run, timeline, sends: sendOutcomes(run.history, origin), faults: faultWindows(run.history, origin), lastMs };
  });
  const scale = timeScale(prepared.map((p) => ({ spanMs: p.timeline.spanMs, events: p.timeline.drawnEvents })));
  const spanMs = Math.max(0, ...prepared.map((p) => p.lastMs));
  const maxLatencyMs = Math.max(0, ...prepared.flatMap((p) => p.sends.map((s) => s.latencyMs ?? 0)));
  return prepared.map(({ run, timeline, sends, faults }) => {
    const omitted =
      timeline.omittedEvents > 0
        ? `<p class="tl-omitted">The timeline draws the first ${timeline.drawnEvents} events (to ${escapeHtml(formatAxisMs(timeline.spanMs))}); ${timeline.omittedEvents} later ones are in the history file. The chart above has every send.</p>`
        : '';
    return [
      ackLatencyChartHtml({ sends, faults, spanMs, maxLatencyMs }),
      renderTimelineHtml(layoutTimeline(timeline, scale), { ariaLabel: `timeline of ${run.name}, one column per client, then faults and database` }),
      omitted,
    ].join('\n');
  });
}
