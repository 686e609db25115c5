import { escapeHtml } from './escape-html.js';
import type { Timeline, TimelineColumn, TimelineItem, TimelineTone } from './history-timeline.js';

/** Pixel height of one history event's row. */
const ROW_PX = 40;
/** Pixel height of one line of a box's text (0.74rem at line-height 1.25, rounded up). */
const LINE_PX = 15;
/** Share of a column's width the bars take when the column also has instant events. */
const BAR_SHARE = 46;

/** What each colour of the timeline means, for the legend under it. */
export const TIMELINE_TONES: { tone: TimelineTone; meaning: string }[] = [
  { tone: 'ok', meaning: 'operation acknowledged (ok)' },
  { tone: 'fail', meaning: 'operation reported failed (fail)' },
  { tone: 'info', meaning: 'outcome unknown (info: timeout, lost connection)' },
  { tone: 'broadcast', meaning: 'live broadcast received' },
  { tone: 'catchup', meaning: 'catch-up read of missed changes' },
  { tone: 'open', meaning: 'WebSocket connected' },
  { tone: 'closed', meaning: 'WebSocket closed' },
  { tone: 'fault', meaning: 'fault active (start to heal)' },
  { tone: 'view', meaning: "a client's final view" },
  { tone: 'snapshot', meaning: 'final database read' },
];

/**
 * The timeline as HTML and CSS only (absolute positions on a grid, native tooltips), so it needs no script and
 * reads the same printed. Time runs downwards, one row per event; the left gutter gives each row's time.
 */
export function renderTimelineHtml(timeline: Timeline): string {
  const rows = timeline.rowTimes.length;
  // Clients get the room; the faults and database columns hold few, short boxes.
  const widths = timeline.columns.map((column) => (column.kind === 'client' ? 'minmax(12rem, 2fr)' : 'minmax(9rem, 1fr)'));
  const template = `grid-template-columns: var(--tl-gutter) ${widths.join(' ')}`;
  const head = timeline.columns
    .map((column) => `<div class="tl-col-head tl-${column.kind}">${escapeHtml(column.label)}</div>`)
    .join('');
  const bands = timeline.faultBands
    .map((band) => `<div class="tl-band" style="${vertical(band.fromRow, band.toRow, 0)}" title="${escapeHtml(band.label)}"></div>`)
    .join('');
  const times = timeline.rowTimes
    .map((time, row) => `<div class="tl-time" style="top:${row * ROW_PX}px;height:${ROW_PX}px;line-height:${ROW_PX}px">${escapeHtml(`${formatRowTime(time)} ms`)}</div>`)
    .join('');
  const columns = timeline.columns.map((column) => columnHtml(column, timeline.items)).join('');
  const omitted =
    timeline.omittedEvents > 0
      ? `<p class="tl-omitted">${timeline.omittedEvents} later events are not drawn; the history file has them all.</p>`
      : '';
  return [
    `<div class="timeline" style="--tl-gutter:4.5rem" role="figure" aria-label="timeline of the counterexample, one column per client">`,
    `<div class="tl-head" style="${template}"><div class="tl-col-head tl-gutter-head">time</div>${head}</div>`,
    `<div class="tl-body" style="${template};height:${rows * ROW_PX}px;background-size:100% ${ROW_PX * 2}px">`,
    bands,
    `<div class="tl-gutter">${times}</div>`,
    columns,
    `</div>`,
    `</div>`,
    omitted,
    legendHtml(),
  ].join('\n');
}

function columnHtml(column: TimelineColumn, items: TimelineItem[]): string {
  const mine = items.filter((item) => item.column === column.id);
  const barShare = column.hasPointLane ? (column.barLanes > 0 ? BAR_SHARE : 0) : 100;
  const boxes = mine.map((item) => {
    const [left, width] =
      item.lane === 'point'
        ? [barShare, 100 - barShare]
        : [(barShare / column.barLanes) * item.lane, barShare / column.barLanes];
    const classes = ['tl-item', `tl-${item.tone}`, item.lane === 'point' ? 'tl-point' : 'tl-bar', item.flagged.length > 0 ? 'tl-flagged' : '']
      .filter((c) => c !== '')
      .join(' ');
    const style = `${vertical(item.fromRow, item.toRow, 3)};left:calc(${left}% + 2px);width:calc(${width}% - 4px)`;
    const flags = item.flagged.map((id) => `<span class="tl-flag">${escapeHtml(id)}</span>`).join('');
    // The label wraps over as many lines as the box has room for, leaving one or two for the outcome.
    const room = Math.floor(((item.toRow - item.fromRow + 1) * ROW_PX - 10) / LINE_PX);
    const outcomeLines = item.outcome === undefined ? 0 : room >= 4 ? 2 : 1;
    const lines = Math.max(1, room - outcomeLines);
    const outcome = item.outcome === undefined ? '' : `<span class="tl-outcome" style="-webkit-line-clamp:${outcomeLines}">${escapeHtml(item.outcome)}</span>`;
    const label = `<span class="tl-label" style="-webkit-line-clamp:${lines}">${escapeHtml(item.label)}</span>`;
    return `<div class="${classes}" style="${style}" title="${escapeHtml(item.detail.join('\n'))}">${flags}${label}${outcome}</div>`;
  });
  return `<div class="tl-col tl-${column.kind}" data-column="${escapeHtml(column.id)}">${boxes.join('')}</div>`;
}

function vertical(fromRow: number, toRow: number, inset: number): string {
  return `top:${fromRow * ROW_PX + inset}px;height:${(toRow - fromRow + 1) * ROW_PX - 2 * inset}px`;
}

function legendHtml(): string {
  const chips = TIMELINE_TONES.map(
    ({ tone, meaning }) => `<li><span class="tl-chip tl-${tone}"></span>${escapeHtml(meaning)}</li>`,
  ).join('');
  return `<ul class="tl-legend">${chips}<li><span class="tl-chip tl-ok tl-flagged"></span>named by a witness of the broken invariant</li></ul>`;
}

/** Row times to a tenth of a millisecond: enough to order rows, short enough for the gutter. */
function formatRowTime(ms: number): string {
  return ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1);
}
