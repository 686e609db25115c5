import { describe, expect, it } from 'vitest';
import type { Timeline, TimelineItem } from './history-timeline.js';
import { clusters, layoutTimeline } from './timeline-layout.js';
import { MIN_BOX_PX, timeScale, type TimeScale } from './timeline-scale.js';

/** 2 px a millisecond, 1,000 ms. */
const SCALE: TimeScale = { pxPerMs: 2, spanMs: 1_000, heightPx: 2_000 + MIN_BOX_PX };

function timeline(items: Partial<TimelineItem>[], faultBands: Timeline['faultBands'] = []): Timeline {
  return {
    columns: [
      { id: 'client:a', label: 'a', kind: 'client' },
      { id: 'faults', label: 'faults', kind: 'faults' },
      { id: 'database', label: 'database', kind: 'database' },
    ],
    originMs: 0,
    spanMs: 1_000,
    items: items.map((i, n) => ({ column: 'client:a', shape: 'bar', fromMs: 0, toMs: 0, tone: 'ok', label: `item ${n}`, detail: [`${n}`], flagged: [], ...i })),
    faultBands,
    drawnEvents: items.length,
    omittedEvents: 0,
  };
}

const op = (fromMs: number, toMs: number, extra: Partial<TimelineItem> = {}): Partial<TimelineItem> => ({ fromMs, toMs, outcome: 'ok 201', ...extra });
const instant = (ms: number, extra: Partial<TimelineItem> = {}): Partial<TimelineItem> => ({ shape: 'point', fromMs: ms, toMs: ms, tone: 'broadcast', ...extra });

describe('layoutTimeline', () => {
  it('places a bar in proportion to time: its top at its start, its height its duration', () => {
    const layout = layoutTimeline(timeline([op(100, 300)]), SCALE);
    expect(layout.boxes).toEqual([expect.objectContaining({ top: 200, height: 400, leftPct: 0, widthPct: 100, count: 1, tone: 'ok' })]);
    expect(layout.heightPx).toBe(SCALE.heightPx);
  });

  it('gives an instant, and an operation faster than a box, the minimum height', () => {
    const layout = layoutTimeline(timeline([op(500, 501), instant(700)]), SCALE);
    expect(layout.boxes.map((b) => [b.shape, b.top, b.height])).toEqual([
      ['bar', 1_000, MIN_BOX_PX],
      ['point', 1_400, MIN_BOX_PX],
    ]);
  });

  it('splits a column between operations and instants only when it has both', () => {
    const both = layoutTimeline(timeline([op(0, 100), instant(500)]), SCALE).boxes;
    expect(both.map((b) => [b.leftPct, b.widthPct])).toEqual([
      [0, 56],
      [56, 44],
    ]);
    const onlyInstants = layoutTimeline(timeline([instant(500)]), SCALE).boxes;
    expect(onlyInstants.map((b) => [b.leftPct, b.widthPct])).toEqual([[0, 100]]);
  });

  it('puts two overlapping operations side by side, and a later one alone back across the whole share', () => {
    const boxes = layoutTimeline(timeline([op(0, 100), op(50, 150), op(400, 450)]), SCALE).boxes;
    expect(boxes.map((b) => [b.label, b.leftPct, b.widthPct])).toEqual([
      ['item 0', 0, 50],
      ['item 1', 50, 50],
      ['item 2', 0, 100],
    ]);
  });

  it('overlaps by box, not only by time: two sends 5 ms apart are side by side though neither runs into the other', () => {
    // At 2 px/ms, 5 ms is 10 px, less than a box's 22.
    const boxes = layoutTimeline(timeline([op(100, 101), op(105, 106)]), SCALE).boxes;
    expect(boxes.map((b) => b.leftPct)).toEqual([0, 50]);
  });

  it('bundles a burst beyond the lanes, keeping a flagged operation in a lane of its own and its failure visible', () => {
    const burst = [op(300, 360), op(301, 370), op(302, 380, { tone: 'fail', outcome: 'fail 500 BROADCAST_FAILED' }), op(303, 390), op(304, 395, { flagged: ['I4'] })];
    const boxes = layoutTimeline(timeline(burst), SCALE).boxes;
    expect(boxes).toHaveLength(2);
    expect(boxes[0]).toMatchObject({ label: 'item 4', flagged: ['I4'], leftPct: 0, widthPct: 50, count: 1 });
    expect(boxes[1]).toMatchObject({ label: '4 operations', outcome: '3 ok · 1 fail', tone: 'fail', leftPct: 50, widthPct: 50, count: 4, top: 600 });
    expect(boxes[1]!.height).toBe(780 - 600);
    expect(boxes[1]!.detail[0]).toBe('4 events from 300 to 390 ms after the first event, too close in time to draw apart:');
    expect(boxes[1]!.detail).toContain('• item 2 → fail 500 BROADCAST_FAILED (2)');
  });

  it('bundles instants closer than a box into one that counts them by kind; those far apart stay single', () => {
    const items = [instant(100), instant(104), instant(108, { tone: 'catchup' }), instant(600)];
    const boxes = layoutTimeline(timeline(items), SCALE).boxes;
    expect(boxes.map((b) => [b.label, b.tone, b.count, b.top])).toEqual([
      ['3 events: 2 broadcasts, 1 catch-up', 'mixed', 3, 200],
      ['item 3', 'broadcast', 1, 1_200],
    ]);
    // The bundle reaches from the first instant to the last one's box.
    expect(boxes[0]!.height).toBe(216 + MIN_BOX_PX - 200);
  });

  it('leaves nothing out: the boxes stand for every item', () => {
    const items = [...Array.from({ length: 40 }, (_, i) => op(i * 3, i * 3 + 50)), ...Array.from({ length: 25 }, (_, i) => instant(i * 7))];
    const boxes = layoutTimeline(timeline(items), SCALE).boxes;
    expect(boxes.reduce((sum, b) => sum + b.count, 0)).toBe(65);
  });

  it('shades each fault window by its times, at least a few pixels for one that healed at once', () => {
    const layout = layoutTimeline(timeline([], [
      { fromMs: 100, toMs: 250, label: 'ws.reset on a' },
      { fromMs: 400, toMs: 400, label: 'server.crash on server' },
    ]), SCALE);
    expect(layout.bands).toEqual([
      { top: 200, height: 300, label: 'ws.reset on a' },
      { top: 800, height: 4, label: 'server.crash on server' },
    ]);
  });

  it('grows to hold a box that ends past the scale (an instant at the very end of a shorter scale)', () => {
    const scale = timeScale([{ spanMs: 100, events: 10 }]);
    const layout = layoutTimeline(timeline([instant(100), op(80, 160)]), scale);
    expect(layout.heightPx).toBe(Math.ceil(160 * scale.pxPerMs));
  });

  it('marks the gutter with the scale’s round times', () => {
    expect(layoutTimeline(timeline([]), SCALE).ticks.slice(0, 3)).toEqual([
      { y: 0, label: '0' },
      { y: 100, label: '50 ms' },
      { y: 200, label: '100 ms' },
    ]);
  });
});

describe('clusters', () => {
  it('chains overlapping extents, in order of top', () => {
    const boxes = [
      { top: 50, bottom: 60 },
      { top: 0, bottom: 10 },
      { top: 5, bottom: 20 },
      { top: 19, bottom: 30 },
    ];
    expect(clusters(boxes).map((group) => group.map((b) => b.top))).toEqual([[0, 5, 19], [50]]);
  });
});
