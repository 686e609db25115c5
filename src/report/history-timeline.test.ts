import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/event.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { historyTimeline } from './history-timeline.js';

function fixtureHistory(): HistoryEvent[] {
  return runResultFixture().cases[0]!.counterexample!.history;
}

describe('historyTimeline', () => {
  it('has a column per client, then faults and database, its times counted from the first event', () => {
    const timeline = historyTimeline(fixtureHistory());
    expect(timeline.columns.map((c) => c.id)).toEqual(['client:alice', 'client:bob', 'faults', 'database']);
    // The first event is at 3 ms, the last (the database read) at 95 ms.
    expect(timeline).toMatchObject({ originMs: 3, spanMs: 92, drawnEvents: fixtureHistory().length - 1, omittedEvents: 0 });
  });

  it('draws an operation as a bar from its invoke to its completion, toned by status', () => {
    const timeline = historyTimeline(fixtureHistory());
    const bars = timeline.items.filter((i) => i.column.startsWith('client:') && i.shape === 'bar');
    expect(bars.map((b) => [b.column, b.fromMs, b.toMs, b.tone, b.outcome])).toEqual([
      ['client:alice', 7, 23, 'ok', 'ok 201'],
      ['client:alice', 28, 44, 'fail', 'fail 500 BROADCAST_FAILED'],
      ['client:bob', 49, 62, 'ok', 'ok 201'],
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
      { fromMs: 27, toMs: 47, label: 'broadcast.throw on server {"count":1}' },
      { fromMs: 67, toMs: 75, label: 'ws.reset on bob' },
    ]);
    expect(timeline.items.filter((i) => i.column === 'faults')).toHaveLength(2);
    expect(timeline.items.filter((i) => i.column === 'database').map((i) => i.label)).toEqual(['final read: 3 messages']);
  });

  it('runs an operation without completion, and a fault never healed, to the last event as unknown', () => {
    const history: HistoryEvent[] = [
      { type: 'fault', time: 1, fault: 'db.unreachable', phase: 'start', target: 'database' },
      { type: 'invoke', time: 2, process: 'carol', op: 7, kind: 'delete', roomId: 'r', messageId: '6743a1f0c2d4e5f601000009' },
      { type: 'connection', time: 9, process: 'carol', state: 'closed', code: 1006 },
    ];
    const timeline = historyTimeline(history);
    expect(timeline.columns.map((c) => c.id)).toEqual(['client:carol', 'faults', 'database']);
    const op = timeline.items.find((i) => i.shape === 'bar' && i.column === 'client:carol');
    expect(op).toMatchObject({ fromMs: 1, toMs: 8, tone: 'info', label: 'delete 6743…0009', outcome: 'no reply (info)' });
    expect(timeline.faultBands).toEqual([{ fromMs: 0, toMs: 8, label: 'db.unreachable on database' }]);
    expect(timeline.items.find((i) => i.column === 'faults')?.detail).toEqual(['1 ms: started db.unreachable on database', 'not healed before the history ended']);
  });

  it('labels a broadcast by seq first (what tells the boxes of a narrow column apart)', () => {
    const labels = historyTimeline(fixtureHistory()).items.filter((i) => i.tone === 'broadcast').map((i) => i.label);
    expect(labels.slice(0, 2)).toEqual(['seq 1 “hello bob”', 'seq 1 “hello bob”']);
  });

  it('lists at most a dozen messages in a tooltip, and says how many more there are', () => {
    const message = fixtureHistory().find((e) => e.type === 'db-snapshot');
    if (message?.type !== 'db-snapshot') throw new Error('fixture changed: no db-snapshot');
    const many = Array.from({ length: 30 }, (_, i) => ({ ...message.messages[0]!, seq: i + 1 }));
    const history: HistoryEvent[] = [{ type: 'db-snapshot', time: 5, messages: many }];
    const detail = historyTimeline(history).items[0]!.detail;
    expect(detail).toHaveLength(1 + 12 + 1);
    expect(detail.at(-1)).toBe('… and 18 more (the history file has them all)');
  });

  it('keeps overlapping operations of one client as they are (the layout puts them side by side)', () => {
    const history: HistoryEvent[] = [
      { type: 'invoke', time: 1, process: 'a', op: 1, kind: 'send', roomId: 'r', clientMsgId: 'a-1', text: 'x' },
      { type: 'invoke', time: 2, process: 'a', op: 2, kind: 'send', roomId: 'r', clientMsgId: 'a-2', text: 'y' },
      { type: 'complete', time: 3, process: 'a', op: 1, status: 'ok', httpStatus: 201 },
      { type: 'complete', time: 4, process: 'a', op: 2, status: 'info', error: { code: 'TIMEOUT', message: 'no answer in 2 s' } },
      { type: 'invoke', time: 5, process: 'a', op: 3, kind: 'send', roomId: 'r', clientMsgId: 'a-3', text: 'z' },
      { type: 'complete', time: 6, process: 'a', op: 3, status: 'ok', httpStatus: 201 },
    ];
    const timeline = historyTimeline(history);
    expect(timeline.items.map((i) => [i.fromMs, i.toMs])).toEqual([
      [0, 2],
      [1, 3],
      [4, 5],
    ]);
    expect(timeline.items[1]!.outcome).toBe('info TIMEOUT');
  });

  it('draws at most maxEvents events and says how many it left out', () => {
    const timeline = historyTimeline(fixtureHistory(), { maxEvents: 5 });
    // The fifth event is alice's broadcast at 25 ms; op 1 completes after it, so it runs to the end as unknown.
    expect(timeline).toMatchObject({ drawnEvents: 5, spanMs: 22, omittedEvents: fixtureHistory().length - 1 - 5 });
    expect(timeline.items.find((i) => i.shape === 'bar')).toMatchObject({ fromMs: 7, toMs: 22, tone: 'info' });
  });
});
