import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/event.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { historyTimeline } from './history-timeline.js';

function fixtureHistory(): HistoryEvent[] {
  return runResultFixture().cases[0]!.counterexample!.history;
}

describe('historyTimeline', () => {
  it('has a column per client, then faults and database, and a row per event (meta aside)', () => {
    const timeline = historyTimeline(fixtureHistory());
    expect(timeline.columns.map((c) => c.id)).toEqual(['client:alice', 'client:bob', 'faults', 'database']);
    expect(timeline.rowTimes).toHaveLength(fixtureHistory().length - 1);
    expect(timeline.rowTimes[0]).toBe(3);
    expect(timeline.omittedEvents).toBe(0);
  });

  it('draws an operation as a bar from its invoke row to its completion row, toned by status', () => {
    const timeline = historyTimeline(fixtureHistory());
    const bars = timeline.items.filter((i) => i.column.startsWith('client:') && i.lane !== 'point');
    expect(bars.map((b) => [b.column, b.fromRow, b.toRow, b.tone, b.outcome])).toEqual([
      ['client:alice', 2, 5, 'ok', 'ok 201'],
      ['client:alice', 7, 8, 'fail', 'fail 500 BROADCAST_FAILED'],
      ['client:bob', 10, 13, 'ok', 'ok 201'],
    ]);
    expect(bars[1]!.label).toBe('send alice-2 “<b>bold</b> & "quoted" | pi…”');
    expect(bars[1]!.detail).toContain('error: BROADCAST_FAILED: broadcast failed: injected fault broadcast.throw (not_applied)');
  });

  it('flags the operations a witness names', () => {
    const result = runResultFixture();
    const i4 = result.cases[0]!.check.invariants.I4;
    if (i4.valid !== false) throw new Error('fixture changed: I4 should be broken');
    const timeline = historyTimeline(fixtureHistory(), { witnesses: [{ id: 'I4', witnesses: i4.witnesses }] });
    const flagged = timeline.items.filter((i) => i.flagged.length > 0);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ tone: 'fail', flagged: ['I4'] });
  });

  it('spans faults from start to heal, in the faults column and as bands', () => {
    const timeline = historyTimeline(fixtureHistory());
    expect(timeline.faultBands).toEqual([
      { fromRow: 6, toRow: 9, label: 'broadcast.throw on server {"count":1}' },
      { fromRow: 15, toRow: 17, label: 'ws.reset on bob' },
    ]);
    expect(timeline.items.filter((i) => i.column === 'faults')).toHaveLength(2);
    expect(timeline.items.filter((i) => i.column === 'database').map((i) => i.label)).toEqual(['final read: 3 messages']);
  });

  it('runs an operation without completion, and a fault never healed, to the last row as unknown', () => {
    const history: HistoryEvent[] = [
      { type: 'fault', time: 1, fault: 'db.unreachable', phase: 'start', target: 'database' },
      { type: 'invoke', time: 2, process: 'carol', op: 7, kind: 'delete', roomId: 'r', messageId: '6743a1f0c2d4e5f601000009' },
      { type: 'connection', time: 9, process: 'carol', state: 'closed', code: 1006 },
    ];
    const timeline = historyTimeline(history);
    expect(timeline.columns.map((c) => c.id)).toEqual(['client:carol', 'faults', 'database']);
    const op = timeline.items.find((i) => i.lane !== 'point' && i.column === 'client:carol');
    expect(op).toMatchObject({ fromRow: 1, toRow: 2, tone: 'info', label: 'delete 6743…0009', outcome: 'no reply (info)' });
    expect(timeline.faultBands).toEqual([{ fromRow: 0, toRow: 2, label: 'db.unreachable on database' }]);
  });

  it('puts overlapping operations of one client side by side', () => {
    const history: HistoryEvent[] = [
      { type: 'invoke', time: 1, process: 'a', op: 1, kind: 'send', roomId: 'r', clientMsgId: 'a-1', text: 'x' },
      { type: 'invoke', time: 2, process: 'a', op: 2, kind: 'send', roomId: 'r', clientMsgId: 'a-2', text: 'y' },
      { type: 'complete', time: 3, process: 'a', op: 1, status: 'ok', httpStatus: 201 },
      { type: 'complete', time: 4, process: 'a', op: 2, status: 'info', error: { code: 'TIMEOUT', message: 'no answer in 2 s' } },
      { type: 'invoke', time: 5, process: 'a', op: 3, kind: 'send', roomId: 'r', clientMsgId: 'a-3', text: 'z' },
      { type: 'complete', time: 6, process: 'a', op: 3, status: 'ok', httpStatus: 201 },
    ];
    const timeline = historyTimeline(history);
    expect(timeline.items.map((i) => i.lane)).toEqual([0, 1, 0]);
    expect(timeline.columns[0]).toMatchObject({ barLanes: 2, hasPointLane: false });
    expect(timeline.items[1]!.outcome).toBe('info TIMEOUT');
  });

  it('draws at most maxRows events and says how many it left out', () => {
    const timeline = historyTimeline(fixtureHistory(), { maxRows: 5 });
    expect(timeline.rowTimes).toHaveLength(5);
    expect(timeline.omittedEvents).toBe(fixtureHistory().length - 1 - 5);
  });
});
