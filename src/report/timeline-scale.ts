/**
 * The time axis of report.html's timelines: ms since a run's first event to pixels, proportional, one scale shared
 * by the runs drawn side by side so the same height means the same time in each.
 */
export interface TimeScale {
  pxPerMs: number;
  /** The longest span it was made for. */
  spanMs: number;
  /** Pixel height of the drawing: the span plus room for an instant's box at its end. */
  heightPx: number;
}

/** Smallest box drawn (an instant, a fast operation): one line of text. */
export const MIN_BOX_PX = 22;
/** Height aimed for per event, so that a run whose events are spread evenly draws each apart. */
const PX_PER_EVENT = 18;
const MIN_HEIGHT_PX = 320;
const MAX_HEIGHT_PX = 2_400;
/** A 20 ms counterexample is not stretched over the whole height. */
const MAX_PX_PER_MS = 12;
/** Gutter labels at least this far apart. */
const TICK_SPACING_PX = 56;

/** The scale for these runs (each its span and event count): the longest and busiest decide, all share it. */
export function timeScale(runs: readonly { spanMs: number; events: number }[]): TimeScale {
  const spanMs = Math.max(0, ...runs.map((r) => r.spanMs));
  const events = Math.max(0, ...runs.map((r) => r.events));
  const aim = Math.min(MAX_HEIGHT_PX, Math.max(MIN_HEIGHT_PX, events * PX_PER_EVENT));
  const pxPerMs = spanMs > 0 ? Math.min(MAX_PX_PER_MS, aim / spanMs) : MAX_PX_PER_MS;
  return { pxPerMs, spanMs, heightPx: Math.ceil(spanMs * pxPerMs) + MIN_BOX_PX };
}

export function yOf(scale: TimeScale, ms: number): number {
  return ms * scale.pxPerMs;
}

/** Round times for the gutter, from 0 through the span, at least TICK_SPACING_PX apart. */
export function timeTicks(scale: TimeScale): { ms: number; y: number; label: string }[] {
  const step = niceStep(TICK_SPACING_PX / scale.pxPerMs);
  const ticks: { ms: number; y: number; label: string }[] = [];
  for (let i = 0; i * step <= scale.spanMs; i++) {
    const ms = i * step;
    ticks.push({ ms, y: yOf(scale, ms), label: formatAxisMs(ms) });
  }
  return ticks;
}

/** The smallest of 1, 2, 5 × 10^k (k ≥ 0: whole milliseconds) that is at least `min`. */
export function niceStep(min: number): number {
  if (!(min > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(min));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= min) ?? 10 * power;
}

/** `0`, `250 ms`, `1.5 s`, `12 s`: short enough for a narrow gutter. */
export function formatAxisMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(2))} s`;
}
