import { describe, expect, it } from 'vitest';
import { ackLatencyChartHtml } from './ack-latency-chart.js';
import type { SendOutcome } from './send-outcomes.js';

const ok = (sentMs: number, latencyMs: number): SendOutcome => ({ op: sentMs, process: 'alice', clientMsgId: `a-${sentMs}`, sentMs, status: 'ok', latencyMs, outcome: 'ok 201' });
const failed = (sentMs: number): SendOutcome => ({ op: sentMs, process: 'bob', sentMs, status: 'fail', latencyMs: null, outcome: 'fail 500 BROADCAST_FAILED' });
const unknown = (sentMs: number): SendOutcome => ({ op: sentMs, process: 'bob', sentMs, status: 'info', latencyMs: null, outcome: 'no reply' });

/** The circles' centres and the crosses' first points, as numbers. */
function marks(html: string): { circles: [number, number][]; crosses: [number, number][] } {
  return {
    circles: [...html.matchAll(/<circle class="al-ok" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]),
    crosses: [...html.matchAll(/<path class="al-(?:fail|info)" d="M([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]),
  };
}

describe('ackLatencyChartHtml', () => {
  it('says so instead of drawing an empty axis when no send was acknowledged', () => {
    const html = ackLatencyChartHtml({ sends: [failed(10), unknown(20)], faults: [] });
    expect(html).toBe('<p class="al-empty">No acknowledged sends (2 sends without an ack: 1 failed, 1 unknown): no ack latency to draw.</p>');
    expect(ackLatencyChartHtml({ sends: [], faults: [] })).toBe('<p class="al-empty">No sends in this run: no ack latency to draw.</p>');
  });

  it('puts each acknowledged send at its send time and latency, on the axes it is given', () => {
    // x: 52..470 px for 0..1,000 ms; y: 146..30 px for 0..100 ms (steps of 50).
    const html = ackLatencyChartHtml({ sends: [ok(0, 0), ok(500, 50), ok(1_000, 100)], faults: [], spanMs: 1_000, maxLatencyMs: 100 });
    expect(marks(html).circles).toEqual([
      [52, 146],
      [261, 88],
      [470, 30],
    ]);
    expect(html).toContain('>50 ms</text>');
    expect(html).toContain('<figcaption>3 acknowledged sends (median 50 ms, slowest 100 ms).</figcaption>');
  });

  it('marks a send without an ack above the plot, never on the axis where a measured 0 would be', () => {
    const html = ackLatencyChartHtml({ sends: [ok(100, 20), failed(400), unknown(600)], faults: [], spanMs: 1_000 });
    const { circles, crosses } = marks(html);
    expect(circles).toHaveLength(1);
    expect(crosses).toHaveLength(2);
    for (const [, y] of crosses) expect(y).toBeLessThan(30);
    expect(html).toContain('>no ack</text>');
    expect(html).toContain('2 sends without an ack: 1 failed, 1 unknown, marked × above the plot');
    expect(html).toContain('<title>bob sent op 400 at 400 ms: fail 500 BROADCAST_FAILED, no ack</title>');
  });

  it('shades each fault window over the plot and the strip, with its name', () => {
    const html = ackLatencyChartHtml({ sends: [ok(100, 20)], faults: [{ fromMs: 250, toMs: 500, label: 'ws.reset on bob' }], spanMs: 1_000 });
    expect(html).toContain('<rect class="al-band" x="156.5" y="6" width="104.5" height="140"><title>fault: ws.reset on bob</title></rect>');
  });

  it('escapes what it shows', () => {
    const html = ackLatencyChartHtml({ sends: [{ ...ok(1, 2), process: '<b>x</b>' }], faults: [{ fromMs: 0, toMs: 1, label: '"q" & <r>' }] });
    expect(html).not.toMatch(/<b>|<r>/);
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
