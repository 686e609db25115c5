import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { indexHistory } from './history-index.js';
import { measure, summarizeLatencies } from './measure.js';

describe('measure', () => {
  it('counts ops, latencies, live delivery and how each member first got each acknowledged message', () => {
    const h = new HistoryBuilder();
    // m1 acked at t=10 (latency 10); c1 gets it live at 12, c2 live at 15.
    const m1 = h.send('c1', 'general', 'one', { latency: 10 });
    h.at(12).broadcast('c1', m1).at(15).broadcast('c2', m1);
    // m2 acked at t=40 (latency 20); c1 gets it by a gap fill, c2 on reconnect, then a (late) broadcast.
    const m2 = h.at(20).send('c2', 'general', 'two', { latency: 20 });
    h.at(50).catchup('c1', 'general', 'gap', [m2], 1).catchup('c2', 'general', 'reconnect', [m1, m2]);
    h.at(60).broadcast('c2', m2);
    // m3 in secret (alice only): c1 gets it only in the final catch-up.
    const m3 = h.at(70).send('c1', 'secret', 'three', { latency: 30 });
    h.at(100).catchup('c1', 'secret', 'final');
    // m4 acked, never delivered to anyone; one failed and one unknown send, one edit.
    h.at(110).send('c1', 'general', 'four', { latency: 40 });
    h.send('c2', 'general', 'no', { status: 'fail' });
    h.send('c2', 'general', 'maybe', { status: 'info', open: true });
    h.edit('c1', m3, 'three, edited', { latency: 5 });
    const measures = measure(indexHistory(h.finish()));

    expect(measures.clients).toBe(2);
    expect(measures.ops).toEqual({
      send: { ok: 4, fail: 1, info: 1 },
      edit: { ok: 1, fail: 0, info: 0 },
      delete: { ok: 0, fail: 0, info: 0 },
    });
    expect(measures.acknowledged).toBe(4);
    expect(measures.ackLatencyMs).toEqual({ count: 5, p50: 20, p99: 40, max: 40 });
    // pairs: m1 x {c1, c2}, m2 x {c1, c2}, m3 x {c1}, m4 x {c1, c2} = 7; live: m1 c1, m1 c2, m2 c2 = 3.
    expect(measures.liveDeliveryRate).toBeCloseTo(3 / 7);
    expect(measures.deliveries).toEqual({ broadcast: 2, gapFill: 1, reconnect: 1, final: 1, never: 2 });
    // from the sends' invokes: m1 at 0 -> 12, 15; m2 at 20 -> 60.
    expect(measures.broadcastLatencyMs).toEqual({ count: 3, p50: 15, p99: 40, max: 40 });
    expect(measures.catchup).toEqual({ reads: 3, changesFetched: 4 });
  });

  it('has no rate when nothing was acknowledged', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'no', { status: 'fail' });
    const measures = measure(indexHistory(h.finish()));
    expect(measures.liveDeliveryRate).toBeNull();
    expect(measures.ackLatencyMs).toEqual({ count: 0, p50: null, p99: null, max: null });
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatencies(values)).toEqual({ count: 100, p50: 50, p99: 99, max: 100 });
  });
});
