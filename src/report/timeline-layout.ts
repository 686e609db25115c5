import type { InvariantId } from '../harness/checker/verdict.js';
import type { Timeline, TimelineColumn, TimelineItem, TimelineTone } from './history-timeline.js';
import { MIN_BOX_PX, timeTicks, yOf, type TimeScale } from './timeline-scale.js';

/**
 * A timeline placed on a time scale, as pixel boxes: pure, so the geometry is tested without a browser and
 * timeline-html.ts only writes it out. Every box is at least MIN_BOX_PX tall so an instant stays readable; boxes
 * of one column that would then overlap go side by side in lanes (operations, faults), and where there are more
 * than fit (a burst), or instants closer than a box's height, they are drawn as one bundle that says how many
 * events it holds and lists them in its tooltip: nothing recorded is left out of the drawing. Each group of
 * overlapping bars takes the column's bar share for itself, so a burst elsewhere does not thin every bar.
 */
export interface TimelineLayout {
  heightPx: number;
  columns: TimelineColumn[];
  boxes: TimelineBox[];
  /** Fault windows, shaded across every column. */
  bands: { top: number; height: number; label: string }[];
  ticks: { y: number; label: string }[];
}

export interface TimelineBox {
  column: string;
  top: number;
  height: number;
  /** Place within the column, in % of its width. */
  leftPct: number;
  widthPct: number;
  shape: 'bar' | 'point';
  /** `mixed`: a bundle of events of several kinds. */
  tone: TimelineTone | 'mixed';
  label: string;
  outcome?: string;
  detail: string[];
  flagged: InvariantId[];
  /** Items it stands for: more than one is a bundle. */
  count: number;
}

export interface LayoutOptions {
  /** Operations drawn side by side at most in a column before the rest are bundled (default 2). */
  maxBarLanes?: number;
}

/** Share of a column the bar lanes take when it also has instants (bars carry two lines: what, and its outcome). */
const BAR_SHARE = 56;
/** A fault that started and healed in the same millisecond still shows. */
const MIN_BAND_PX = 4;
/** Members listed at most in a bundle's tooltip. */
const BUNDLE_LIST = 30;

const NOUNS: Record<TimelineTone, string> = {
  ok: 'operation',
  fail: 'operation',
  info: 'operation',
  broadcast: 'broadcast',
  catchup: 'catch-up',
  open: 'connect',
  closed: 'disconnect',
  fault: 'fault',
  view: 'final view',
  snapshot: 'final read',
};

interface Placed {
  item: TimelineItem;
  top: number;
  bottom: number;
}

export function layoutTimeline(timeline: Timeline, scale: TimeScale, options: LayoutOptions = {}): TimelineLayout {
  const maxBarLanes = options.maxBarLanes ?? 2;
  const boxes = timeline.columns.flatMap((column) => columnBoxes(column.id, timeline.items, scale, maxBarLanes));
  const bands = timeline.faultBands.map((band) => {
    const top = yOf(scale, band.fromMs);
    return { top, height: Math.max(MIN_BAND_PX, yOf(scale, band.toMs) - top), label: band.label };
  });
  const heightPx = Math.ceil(Math.max(scale.heightPx, ...boxes.map((b) => b.top + b.height), ...bands.map((b) => b.top + b.height)));
  return { heightPx, columns: timeline.columns, boxes, bands, ticks: timeTicks(scale).map(({ y, label }) => ({ y, label })) };
}

function columnBoxes(column: string, items: TimelineItem[], scale: TimeScale, maxBarLanes: number): TimelineBox[] {
  const place = (item: TimelineItem): Placed => {
    const top = yOf(scale, item.fromMs);
    return { item, top, bottom: Math.max(yOf(scale, item.toMs), top + MIN_BOX_PX) };
  };
  const bars = items.filter((i) => i.column === column && i.shape === 'bar').map(place);
  const points = items.filter((i) => i.column === column && i.shape === 'point').map(place);

  const barShare = points.length === 0 ? 100 : bars.length === 0 ? 0 : BAR_SHARE;
  const pointLane = { leftPct: barShare, widthPct: 100 - barShare };
  return [
    ...clusters(bars).flatMap((cluster) => clusterBoxes(column, cluster, barShare, maxBarLanes)),
    ...clusters(points).map((group) => (group.length === 1 ? single(column, group[0]!, pointLane) : bundle(column, group, pointLane))),
  ];
}

/**
 * Overlapping operations (or faults) of one column, side by side across the bar share. More than maxBarLanes at
 * once (a burst) would make slivers: then the flagged ones keep a lane each and the rest are bundled in one more.
 */
function clusterBoxes(column: string, cluster: Placed[], barShare: number, maxBarLanes: number): TimelineBox[] {
  const all = lanesOf(cluster);
  if (all.length <= maxBarLanes) return all.flatMap((lane, i) => lane.map((bar) => single(column, bar, slot(i, all.length))));
  const flaggedLanes = lanesOf(cluster.filter((bar) => bar.item.flagged.length > 0)).slice(0, maxBarLanes - 1);
  const kept = new Set(flaggedLanes.flat());
  const rest = cluster.filter((bar) => !kept.has(bar));
  const lanes = flaggedLanes.length + 1;
  return [
    ...flaggedLanes.flatMap((lane, i) => lane.map((bar) => single(column, bar, slot(i, lanes)))),
    ...clusters(rest).map((group) => (group.length === 1 ? single(column, group[0]!, slot(lanes - 1, lanes)) : bundle(column, group, slot(lanes - 1, lanes)))),
  ];

  function slot(lane: number, of: number): { leftPct: number; widthPct: number } {
    return { leftPct: (lane * barShare) / of, widthPct: barShare / of };
  }
}

/** Greedy interval colouring in time order: each bar in the first lane free at its top. */
function lanesOf(bars: readonly Placed[]): Placed[][] {
  const lanes: Placed[][] = [];
  for (const bar of [...bars].sort((a, b) => a.top - b.top)) {
    const lane = lanes.find((taken) => taken.at(-1)!.bottom <= bar.top);
    if (lane) lane.push(bar);
    else lanes.push([bar]);
  }
  return lanes;
}

/** Groups boxes whose extents overlap, directly or through others, in time order. */
export function clusters<T extends { top: number; bottom: number }>(boxes: readonly T[]): T[][] {
  const groups: { members: T[]; bottom: number }[] = [];
  for (const box of [...boxes].sort((a, b) => a.top - b.top)) {
    const last = groups.at(-1);
    if (last !== undefined && box.top < last.bottom) {
      last.members.push(box);
      last.bottom = Math.max(last.bottom, box.bottom);
    } else {
      groups.push({ members: [box], bottom: box.bottom });
    }
  }
  return groups.map((g) => g.members);
}

function single(column: string, { item, top, bottom }: Placed, where: { leftPct: number; widthPct: number }): TimelineBox {
  return {
    column,
    top,
    height: bottom - top,
    ...where,
    shape: item.shape,
    tone: item.tone,
    label: item.label,
    ...(item.outcome !== undefined ? { outcome: item.outcome } : {}),
    detail: item.detail,
    flagged: item.flagged,
    count: 1,
  };
}

function bundle(column: string, group: Placed[], where: { leftPct: number; widthPct: number }): TimelineBox {
  const items = group.map((p) => p.item);
  const top = Math.min(...group.map((p) => p.top));
  const bottom = Math.max(...group.map((p) => p.bottom));
  const tones = [...new Set(items.map((i) => i.tone))];
  const isOps = items.every((i) => NOUNS[i.tone] === 'operation');
  // A bundle of operations takes the colour of its worst outcome, so a failure inside it is not hidden.
  const tone: TimelineBox['tone'] = tones.length === 1 ? tones[0]! : isOps ? (['fail', 'info', 'ok'] as const).find((t) => tones.includes(t))! : 'mixed';
  const from = Math.min(...items.map((i) => i.fromMs));
  const to = Math.max(...items.map((i) => i.toMs));
  const listed = items.slice(0, BUNDLE_LIST).map((i) => `• ${i.label}${i.outcome ? ` → ${i.outcome}` : ''} (${i.detail[0] ?? ''})`);
  return {
    column,
    top,
    height: bottom - top,
    ...where,
    shape: group[0]!.item.shape,
    tone,
    label: `${items.length} ${isOps ? 'operations' : countsByKind(items)}`,
    ...(isOps ? { outcome: outcomeCounts(items) } : {}),
    detail: [
      `${items.length} events from ${round(from)} to ${round(to)} ms after the first event, too close in time to draw apart:`,
      ...listed,
      ...(items.length > BUNDLE_LIST ? [`… and ${items.length - BUNDLE_LIST} more (the history file has them all)`] : []),
    ],
    flagged: [...new Set(items.flatMap((i) => i.flagged))],
    count: items.length,
  };
}

/** `events: 3 broadcasts, 1 catch-up` (or `faults` when all are). */
function countsByKind(items: TimelineItem[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(NOUNS[item.tone], (counts.get(NOUNS[item.tone]) ?? 0) + 1);
  if (counts.size === 1 && counts.has('fault')) return 'faults';
  return `events: ${[...counts].map(([noun, n]) => `${n} ${n === 1 ? noun : `${noun}s`}`).join(', ')}`;
}

/** `4 ok · 1 fail`. */
function outcomeCounts(items: TimelineItem[]): string {
  return (['ok', 'fail', 'info'] as const)
    .map((tone) => [tone, items.filter((i) => i.tone === tone).length] as const)
    .filter(([, n]) => n > 0)
    .map(([tone, n]) => `${n} ${tone}`)
    .join(' · ');
}

function round(ms: number): string {
  return String(Math.round(ms * 10) / 10);
}
