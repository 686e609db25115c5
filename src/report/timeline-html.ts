import { escapeHtml } from './escape-html.js';
import type { TimelineTone } from './history-timeline.js';
import type { TimelineBox, TimelineLayout } from './timeline-layout.js';

/** Pixel height of one line of a box's text (0.72rem at line-height 1.2, rounded up). */
const LINE_PX = 14;

/** What each colour of the timeline means, for the legend under it. */
export const TIMELINE_TONES: { tone: TimelineTone | 'mixed'; meaning: string }[] = [
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
  { tone: 'mixed', meaning: 'events of several kinds' },
];

/**
 * A laid-out timeline as HTML and CSS only (absolute positions in a grid, native tooltips), so it needs no script
 * and reads the same printed. Time runs downwards in proportion; the gutter marks round times. The columns share
 * the width (clients have no minimum; faults and database just their name's), so all of them are on screen however
 * many clients there are; a label that does not fit is cut, and its box's tooltip has it whole.
 */
export function renderTimelineHtml(layout: TimelineLayout, { ariaLabel }: { ariaLabel: string }): string {
  const widths = layout.columns.map((column) => (column.kind === 'client' ? 'minmax(0, 2fr)' : 'minmax(5.2rem, 1.4fr)'));
  const template = `grid-template-columns: var(--tl-gutter) ${widths.join(' ')}`;
  const head = layout.columns
    .map((column) => `<div class="tl-col-head tl-${column.kind}" title="${escapeHtml(column.label)}">${escapeHtml(column.label)}</div>`)
    .join('');
  const ticks = layout.ticks
    .map((tick) => `<div class="tl-tick" style="top:${px(tick.y)}"><span>${escapeHtml(tick.label)}</span></div>`)
    .join('');
  const bands = layout.bands
    .map((band) => `<div class="tl-band" style="top:${px(band.top)};height:${px(band.height)}" title="${escapeHtml(band.label)}"></div>`)
    .join('');
  const columns = layout.columns
    .map((column) => {
      const boxes = layout.boxes.filter((box) => box.column === column.id).map(boxHtml);
      return `<div class="tl-col tl-${column.kind}" data-column="${escapeHtml(column.id)}">${boxes.join('')}</div>`;
    })
    .join('');
  return [
    `<div class="timeline" role="figure" aria-label="${escapeHtml(ariaLabel)}">`,
    `<div class="tl-head" style="${template}"><div class="tl-col-head tl-gutter-head">time</div>${head}</div>`,
    `<div class="tl-body" style="${template};height:${layout.heightPx}px">`,
    ticks,
    bands,
    `<div class="tl-gutter"></div>`,
    columns,
    `</div>`,
    `</div>`,
  ].join('\n');
}

export function timelineLegendHtml(): string {
  const chips = TIMELINE_TONES.map(({ tone, meaning }) => `<li><span class="tl-chip tl-${tone}"></span>${escapeHtml(meaning)}</li>`).join('');
  return [
    `<ul class="tl-legend">${chips}`,
    `<li><span class="tl-chip tl-ok tl-bundle"></span>a bundle: events too close in time to draw apart (the tooltip lists them)</li>`,
    `<li><span class="tl-chip tl-band-chip"></span>while a fault was active</li>`,
    `<li><span class="tl-chip tl-ok tl-flagged"></span>named by a witness of a broken invariant</li></ul>`,
  ].join('');
}

function boxHtml(box: TimelineBox): string {
  const classes = ['tl-item', `tl-${box.tone}`, `tl-${box.shape}`, box.count > 1 ? 'tl-bundle' : '', box.flagged.length > 0 ? 'tl-flagged' : '']
    .filter((c) => c !== '')
    .join(' ');
  const style = `top:${px(box.top + 1)};height:${px(box.height - 2)};left:calc(${pct(box.leftPct)} + 1px);width:calc(${pct(box.widthPct)} - 2px)`;
  const flags = box.flagged.map((id) => `<span class="tl-flag">${escapeHtml(id)}</span>`).join('');
  // The label wraps over the lines the box has room for, leaving one or two for the outcome when there are lines to spare.
  const room = Math.max(1, Math.floor((box.height - 4) / LINE_PX));
  const outcomeLines = box.outcome === undefined || room < 2 ? 0 : room >= 4 ? 2 : 1;
  const outcome = outcomeLines === 0 ? '' : `<span class="tl-outcome" style="-webkit-line-clamp:${outcomeLines}">${escapeHtml(box.outcome ?? '')}</span>`;
  const label = `<span class="tl-label" style="-webkit-line-clamp:${room - outcomeLines}">${escapeHtml(box.label)}</span>`;
  const title = [box.outcome === undefined || box.count > 1 ? box.label : `${box.label} → ${box.outcome}`, ...box.detail].join('\n');
  return `<div class="${classes}" style="${style}" title="${escapeHtml(title)}">${flags}${label}${outcome}</div>`;
}

function px(n: number): string {
  return `${Math.round(n * 10) / 10}px`;
}

function pct(n: number): string {
  return `${Math.round(n * 1000) / 1000}%`;
}
