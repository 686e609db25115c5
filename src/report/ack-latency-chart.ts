import { escapeHtml } from './escape-html.js';
import { formatLatency } from './format-measure.js';
import type { SendOutcome } from './send-outcomes.js';
import { formatAxisMs, niceStep } from './timeline-scale.js';

export interface AckLatencyChartInput {
  sends: readonly SendOutcome[];
  /** Fault windows, ms since the same origin as the sends. */
  faults: readonly { fromMs: number; toMs: number; label: string }[];
  /** The time axis runs from 0 to this (shared by runs drawn side by side); default: the last send. */
  spanMs?: number;
  /** The latency axis's top (shared likewise); default: the slowest acknowledgment here. */
  maxLatencyMs?: number;
}

const W = 480;
const H = 172;
const PLOT = { left: 52, right: W - 10, top: 30, bottom: H - 26 };
/** The strip above the plot where sends without an acknowledgment are marked: never on the axis, never at 0. */
const STRIP_Y = 16;

/**
 * Each send's ack latency against its send time, as inline SVG (no script, prints as drawn), fault windows
 * shaded. Only acknowledged sends have a latency: the others are crosses in a strip of their own above the plot,
 * so a send without an acknowledgment never reads as a fast one; a run with none acknowledged gets a sentence,
 * not an empty axis.
 */
export function ackLatencyChartHtml(input: AckLatencyChartInput): string {
  const acked = input.sends.filter((s) => s.latencyMs !== null);
  const others = input.sends.filter((s) => s.latencyMs === null);
  if (input.sends.length === 0) return `<p class="al-empty">No sends in this run: no ack latency to draw.</p>`;
  if (acked.length === 0) {
    return `<p class="al-empty">No acknowledged sends (${escapeHtml(unackedWords(others))}): no ack latency to draw.</p>`;
  }
  const spanMs = Math.max(input.spanMs ?? 0, ...input.sends.map((s) => s.sentMs), 1);
  const slowest = Math.max(...acked.map((s) => s.latencyMs ?? 0));
  const yStep = niceStep(Math.max(input.maxLatencyMs ?? 0, slowest) / 3);
  const yMax = Math.max(yStep, Math.ceil(Math.max(input.maxLatencyMs ?? 0, slowest) / yStep) * yStep);
  const x = (ms: number) => PLOT.left + (ms / spanMs) * (PLOT.right - PLOT.left);
  const y = (ms: number) => PLOT.bottom - (ms / yMax) * (PLOT.bottom - PLOT.top);

  const bands = input.faults.map((f) => {
    const left = x(f.fromMs);
    const width = Math.max(2, x(f.toMs) - left);
    return `<rect class="al-band" x="${n(left)}" y="6" width="${n(width)}" height="${n(PLOT.bottom - 6)}"><title>${escapeHtml(`fault: ${f.label}`)}</title></rect>`;
  });
  const yTicks = range(0, yMax, yStep).map(
    (ms) => `<line class="al-grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${n(y(ms))}" y2="${n(y(ms))}"/><text class="al-tick" x="${PLOT.left - 4}" y="${n(y(ms) + 3)}" text-anchor="end">${escapeHtml(formatAxisMs(ms))}</text>`,
  );
  const xStep = niceStep(spanMs / 5);
  const xTicks = range(0, spanMs, xStep).map(
    // A label at the right edge is right-aligned there rather than cut by it.
    (ms) => `<text class="al-tick" x="${n(x(ms))}" y="${PLOT.bottom + 13}" text-anchor="${x(ms) > PLOT.right - 20 ? 'end' : 'middle'}">${escapeHtml(formatAxisMs(ms))}</text>`,
  );
  const points = acked.map(
    (s) => `<circle class="al-ok" cx="${n(x(s.sentMs))}" cy="${n(y(s.latencyMs ?? 0))}" r="3"><title>${escapeHtml(sendTitle(s))}</title></circle>`,
  );
  const crosses = others.map((s) => {
    const cx = x(s.sentMs);
    return `<path class="al-${s.status}" d="M${n(cx - 3.5)} ${STRIP_Y - 3.5}l7 7m0 -7l-7 7"><title>${escapeHtml(sendTitle(s))}</title></path>`;
  });
  const latencies = acked.map((s) => s.latencyMs ?? 0).sort((a, b) => a - b);
  const caption = [
    `${acked.length} acknowledged ${acked.length === 1 ? 'send' : 'sends'} (median ${formatLatency(latencies[Math.floor((latencies.length - 1) / 2)]!)}, slowest ${formatLatency(slowest)})`,
    ...(others.length > 0 ? [`${unackedWords(others)}, marked × above the plot`] : []),
  ].join('; ');
  return [
    `<figure class="ack-chart">`,
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(`ack latency of each send against its send time: ${caption}`)}">`,
    ...bands,
    ...yTicks,
    `<line class="al-axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>`,
    `<line class="al-axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>`,
    ...xTicks,
    `<text class="al-tick" x="${PLOT.left - 4}" y="${STRIP_Y + 3}" text-anchor="end">${others.length > 0 ? 'no ack' : ''}</text>`,
    `<text class="al-title" x="${PLOT.left}" y="${PLOT.top - 4}">ack latency</text>`,
    `<text class="al-title" x="${PLOT.right}" y="${H - 2}" text-anchor="end">sent at (since the first event)</text>`,
    ...points,
    ...crosses,
    `</svg>`,
    `<figcaption>${escapeHtml(caption)}.</figcaption>`,
    `</figure>`,
  ].join('');
}

/** `3 sends without an ack: 2 failed, 1 unknown`. */
function unackedWords(sends: readonly SendOutcome[]): string {
  const failed = sends.filter((s) => s.status === 'fail').length;
  const unknown = sends.length - failed;
  const parts = [...(failed > 0 ? [`${failed} failed`] : []), ...(unknown > 0 ? [`${unknown} unknown`] : [])];
  return `${sends.length} ${sends.length === 1 ? 'send' : 'sends'} without an ack: ${parts.join(', ')}`;
}

function sendTitle(s: SendOutcome): string {
  const what = `${s.process} sent ${s.clientMsgId ?? `op ${s.op}`} at ${formatLatency(s.sentMs)}`;
  return s.latencyMs === null ? `${what}: ${s.outcome}, no ack` : `${what}: acknowledged in ${formatLatency(s.latencyMs)} (${s.outcome})`;
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(v);
  return out;
}

function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}
