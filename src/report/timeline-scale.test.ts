import { describe, expect, it } from 'vitest';
import { formatAxisMs, MIN_BOX_PX, niceStep, timeScale, timeTicks, yOf } from './timeline-scale.js';

describe('timeScale', () => {
  it('is proportional: twice the time, twice the height', () => {
    const scale = timeScale([{ spanMs: 2_000, events: 100 }]);
    expect(yOf(scale, 0)).toBe(0);
    expect(yOf(scale, 1_000) * 2).toBeCloseTo(yOf(scale, 2_000), 9);
    // 100 events aim at 18 px each: 1,800 px for 2 s.
    expect(scale.pxPerMs).toBeCloseTo(0.9, 9);
    expect(scale.heightPx).toBe(1_800 + MIN_BOX_PX);
  });

  it('is shared: the longest and busiest run decide, so the same time is the same height in every panel', () => {
    const alone = timeScale([{ spanMs: 500, events: 40 }]);
    const shared = timeScale([
      { spanMs: 500, events: 40 },
      { spanMs: 4_000, events: 120 },
    ]);
    expect(shared.spanMs).toBe(4_000);
    expect(shared.pxPerMs).toBeCloseTo((120 * 18) / 4_000, 9);
    expect(shared.pxPerMs).toBeLessThan(alone.pxPerMs);
  });

  it('keeps a short history tall enough to read and a long one within bounds', () => {
    expect(timeScale([{ spanMs: 1_000, events: 3 }]).heightPx).toBe(320 + MIN_BOX_PX);
    expect(timeScale([{ spanMs: 60_000, events: 5_000 }]).heightPx).toBe(2_400 + MIN_BOX_PX);
    // A 10 ms counterexample is not stretched over 320 px: at most 12 px a millisecond.
    expect(timeScale([{ spanMs: 10, events: 20 }])).toMatchObject({ pxPerMs: 12, heightPx: 120 + MIN_BOX_PX });
    expect(timeScale([{ spanMs: 0, events: 1 }])).toMatchObject({ spanMs: 0, heightPx: MIN_BOX_PX });
  });
});

describe('timeTicks', () => {
  it('marks round times from 0 through the span, far enough apart to label', () => {
    const scale = timeScale([{ spanMs: 2_000, events: 100 }]);
    const ticks = timeTicks(scale);
    // 56 px at 0.9 px/ms is 62 ms: the next round step is 100 ms.
    expect(ticks.map((t) => t.ms)).toEqual(Array.from({ length: 21 }, (_, i) => i * 100));
    expect(ticks[10]).toEqual({ ms: 1_000, y: 900, label: '1 s' });
    for (const [a, b] of ticks.slice(1).map((t, i) => [ticks[i]!, t] as const)) expect(b.y - a.y).toBeGreaterThanOrEqual(56);
  });
});

describe('niceStep and formatAxisMs', () => {
  it('rounds a step up to 1, 2 or 5 times a power of ten, whole milliseconds', () => {
    expect([0.3, 1, 1.5, 3, 7, 62, 200, 201, 4_999].map(niceStep)).toEqual([1, 1, 2, 5, 10, 100, 200, 500, 5_000]);
  });

  it('writes axis times short', () => {
    expect([0, 5, 250, 1_000, 1_500, 12_000, 1_250].map(formatAxisMs)).toEqual(['0', '5 ms', '250 ms', '1 s', '1.5 s', '12 s', '1.25 s']);
  });
});
