import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/event.js';
import { faultWindows, historyOrigin } from './fault-windows.js';

describe('faultWindows', () => {
  const history: HistoryEvent[] = [
    { type: 'connection', time: 10, process: 'a', state: 'open' },
    { type: 'fault', time: 20, fault: 'ws.reset', phase: 'start', target: 'a' },
    { type: 'fault', time: 25, fault: 'broadcast.throw', phase: 'start', target: 'server', params: { count: 1 } },
    { type: 'fault', time: 40, fault: 'ws.reset', phase: 'heal', target: 'a' },
    { type: 'fault', time: 45, fault: 'ws.reset', phase: 'start', target: 'b' },
    { type: 'connection', time: 90, process: 'a', state: 'closed' },
  ];

  it('pairs each start with the heal of the same fault on the same target, in ms since the first event', () => {
    expect(historyOrigin(history)).toBe(10);
    expect(faultWindows(history)).toEqual([
      { label: 'ws.reset on a', fromMs: 10, toMs: 30, healed: true, startedAt: 20, healedAt: 40 },
      { label: 'broadcast.throw on server {"count":1}', fromMs: 15, toMs: 80, healed: false, startedAt: 25 },
      { label: 'ws.reset on b', fromMs: 35, toMs: 80, healed: false, startedAt: 45 },
    ]);
  });

  it('starts a heal whose start is not in the history at the origin', () => {
    const cut: HistoryEvent[] = [
      { type: 'connection', time: 5, process: 'a', state: 'open' },
      { type: 'fault', time: 8, fault: 'db.unreachable', phase: 'heal', target: 'database' },
    ];
    expect(faultWindows(cut)).toEqual([{ label: 'db.unreachable on database', fromMs: 0, toMs: 3, healed: true, startedAt: 5, healedAt: 8 }]);
  });
});
