import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { indexHistory } from './history-index.js';
import { measure, summarizeLatencies } from './measure.js';

describe('measure', () => {
  it('counts ops, latencies, live delivery and how each member first got each acknowledged message', () => {
    const h = new HistoryBuilder();
    // Pairs are (message x member other than its sender): the sender holds its message from its own ack.
    // m1 (c1) acked at t=10 (latency 10); c2 gets it live at 15.
    const m1 = h.send('c1', 'general', 'one', { latency: 10 });
    h.at(12).broadcast('c1', m1).at(15).broadcast('c2', m1);
    // m2 (c2) acked at t=40 (latency 20); c1 gets it by a gap fill, never live.
    const m2 = h.at(20).send('c2', 'general', 'two', { latency: 20 });
    h.at(50).catchup('c1', 'general', 'gap', [m2], 1).catchup('c2', 'general', 'reconnect', [m1, m2]);
    h.at(60).broadcast('c2', m2);
    // m3 (c2) acked at t=100 (latency 30); c1 gets it first on reconnect, then by a late broadcast (live, 35 ms).
    const m3 = h.at(70).send('c2', 'general', 'three', { latency: 30 });
    h.at(100).catchup('c1', 'general', 'reconnect', [m3], 2);
    h.at(105).broadcast('c1', m3);
    // m4 (c1) acked, never delivered to c2; one failed and one unknown send, one edit.
    h.at(110).send('c1', 'general', 'four', { latency: 40 });
    h.send('c2', 'general', 'no', { status: 'fail' });
    h.send('c2', 'general', 'maybe', { status: 'info', open: true });
    h.edit('c1', m1, 'one, edited', { latency: 5 });
    // m5 (c2): c1 gets it only in the final catch-up.
    const m5 = h.at(160).send('c2', 'general', 'five', { latency: 50 });
    h.at(300).catchup('c1', 'general', 'final', [m5], 3);
    const measures = measure(indexHistory(h.finish()));

    expect(measures.clients).toBe(2);
    expect(measures.ops).toEqual({
      send: { ok: 5, fail: 1, info: 1 },
      edit: { ok: 1, fail: 0, info: 0 },
      delete: { ok: 0, fail: 0, info: 0 },
    });
    expect(measures.acknowledged).toBe(5);
    // ok latencies 10, 20, 30, 40, 50 and the edit's 5.
    expect(measures.ackLatencyMs).toEqual({ count: 6, min: 5, p50: 20, p95: 50, p99: 50, max: 50 });
    // pairs: m1 x c2, m2 x c1, m3 x c1, m4 x c2, m5 x c1 = 5; live: m1 x c2, m3 x c1 = 2.
    expect(measures.liveDeliveryRate).toBeCloseTo(2 / 5);
    expect(measures.deliveries).toEqual({ broadcast: 1, gapFill: 1, reconnect: 1, final: 1, never: 1 });
    // from the sends' invokes: m1 at 0 -> 15; m3 at 70 -> 105.
    expect(measures.broadcastLatencyMs).toEqual({ count: 2, min: 15, p50: 15, p95: 35, p99: 35, max: 35 });
    expect(measures.catchup).toEqual({ reads: 4, changesFetched: 5 });
    // until the last member held it, by any path: m1 15, m2 30 (gap fill), m3 30 (reconnect), m5 140 (final); m4 never.
    expect(measures.stableLatencyMs).toEqual({ count: 4, min: 15, p50: 30, p95: 140, p99: 140, max: 140 });
  });

  it('several nodes: live delivery per receiving node and across nodes', () => {
    const h = new HistoryBuilder({
      rooms: [{ id: 'general', members: ['alice', 'bob', 'carol'] }],
      clients: [
        { id: 'c1', userId: 'alice', node: 0 },
        { id: 'c2', userId: 'bob', node: 1 },
        { id: 'c3', userId: 'carol', node: 0 },
      ],
    });
    // m1 from node 0: bob (node 1) gets it live, carol (node 0) only in the final catch-up.
    const m1 = h.send('c1', 'general', 'one');
    h.broadcast('c2', m1);
    const measures = measure(indexHistory(h.finish()));
    expect(measures.nodes).toEqual({
      byNode: { n0: { pairs: 1, live: 0 }, n1: { pairs: 1, live: 1 } },
      crossNode: { pairs: 1, live: 1 },
    });
    expect(measure(indexHistory(new HistoryBuilder().finish())).nodes).toBeUndefined();
  });

  it('has no rate when nothing was acknowledged', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'no', { status: 'fail' });
    const measures = measure(indexHistory(h.finish()));
    expect(measures.liveDeliveryRate).toBeNull();
    expect(measures.ackLatencyMs).toEqual({ count: 0, min: null, p50: null, p95: null, p99: null, max: null });
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatencies(values)).toEqual({ count: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100 });
  });
});
