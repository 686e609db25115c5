import { describe, expect, it } from 'vitest';
import type { CompletionStatus, HistoryEvent } from '../../history/event.js';
import { basisOf } from './basis.js';
import { judgeBasis, verdictOnBasis, type BasisRequirements } from './basis-requirements.js';

/** A run's history from writes `[start, end?, status]` and fault windows `[name, start, heal?]`, on its own clock. */
function run(
  writes: [number, number | undefined, CompletionStatus?][],
  faults: [string, number, number?][] = [],
  endTime = 1_000,
): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  writes.forEach(([start, end, status = 'ok'], op) => {
    events.push({ type: 'invoke', time: start, process: 'c1', op, kind: 'send', roomId: 'general', clientMsgId: `k${op}`, text: `t${op}` });
    if (end !== undefined) events.push({ type: 'complete', time: end, process: 'c1', op, status });
  });
  for (const [fault, start, heal] of faults) {
    events.push({ type: 'fault', time: start, fault, phase: 'start', target: 'database' });
    if (heal !== undefined) events.push({ type: 'fault', time: heal, fault, phase: 'heal', target: 'database' });
  }
  events.push({ type: 'db-snapshot', time: endTime, messages: [] });
  return events.sort((a, b) => ('time' in a ? a.time : 0) - ('time' in b ? b.time : 0));
}

const none: BasisRequirements = { faultedWrites: {}, unknownOutcomes: 0, concurrentWrites: 0, commandsPerRun: 0 };

describe('basisOf', () => {
  it('counts runs, commands (total and per-run spread), writes and their outcomes; a write never completed is info', () => {
    const basis = basisOf([
      { history: run([[10, 20], [30, 40, 'fail']]), commands: 2 },
      { history: run([[10, 20, 'info'], [30, undefined]]), commands: 7 },
      { history: run([]), commands: 0 },
    ]);
    expect(basis.runs).toBe(3);
    expect(basis.commands).toEqual({ total: 9, perRun: { min: 0, mean: 3, max: 7 } });
    expect(basis.writes).toBe(4);
    expect(basis.outcomes).toEqual({ ok: 1, fail: 1, info: 2 });
  });

  it('counts per fault the windows opened and the writes that overlapped one; an unhealed window lasts to the end', () => {
    const basis = basisOf([
      {
        // db.response-lost open 100..200: the write at 150..160 and the one at 190..250 meet it, 50..90 and 210..220
        // do not. db.unreachable opens at 500 and never heals: the write at 900..950 meets it.
        history: run(
          [[50, 90], [150, 160], [190, 250], [210, 220], [900, 950]],
          [['db.response-lost', 100, 200], ['db.unreachable', 500]],
        ),
        commands: 5,
      },
      // Opened and healed with no write between: opened, met nothing.
      { history: run([[10, 20]], [['db.response-lost', 30, 40]]), commands: 2 },
    ]);
    expect(basis.faults).toEqual({
      'db.response-lost': { opened: 2, writesHit: 2 },
      'db.unreachable': { opened: 1, writesHit: 1 },
    });
    expect(basis.faultedWrites).toBe(3);
  });

  it('counts a write that met two faults once in faultedWrites, and once per fault', () => {
    const basis = basisOf([{ history: run([[10, 100]], [['ws.reset', 20, 30], ['db.latency', 40, 50]]), commands: 1 }]);
    expect(basis.faults['ws.reset']?.writesHit).toBe(1);
    expect(basis.faults['db.latency']?.writesHit).toBe(1);
    expect(basis.faultedWrites).toBe(1);
  });

  it('counts writes that overlap another write, within a run only', () => {
    const basis = basisOf([
      // 0..100 holds 10..20 and 50..60 (which do not overlap each other); 200..210 stands alone; 300..310 and
      // 305..400 overlap.
      { history: run([[0, 100], [10, 20], [50, 60], [200, 210], [300, 310], [305, 400]]), commands: 6 },
      // The same times in another run: its clock is its own.
      { history: run([[200, 210]]), commands: 1 },
      // Back to back (one ends as the next starts) is not concurrent; the same start is.
      { history: run([[0, 10], [10, 20], [30, 40], [30, 35]]), commands: 4 },
    ]);
    expect(basis.concurrentWrites).toBe(5 + 0 + 2);
  });
});

describe('judgeBasis', () => {
  const basis = basisOf([
    { history: run([[10, 20, 'ok'], [30, 40, 'fail']], [['db.response-lost', 25, 28], ['ws.reset', 35, 36]]), commands: 3 },
  ]);

  it('meets no requirement by default and leaves the verdict alone', () => {
    const judged = judgeBasis(basis, none);
    expect(judged.unmet).toEqual([]);
    expect(verdictOnBasis(true, judged)).toBe(true);
  });

  it('says in a sentence each what fell short, and a PASS on it is unknown (a FAIL stands)', () => {
    const judged = judgeBasis(basis, {
      faultedWrites: { 'db.response-lost': 1, 'ws.reset': 2, 'db.kill': 1 },
      unknownOutcomes: 1,
      concurrentWrites: 1,
      commandsPerRun: 4,
    });
    expect(judged.unmet).toEqual([
      'fault db.response-lost opened 1 time and met no write (1 required)',
      'fault ws.reset opened 1 time and met 1 write (2 required)',
      'fault db.kill never opened (1 faulted write required)',
      '0 unknown outcomes (info) (1 required)',
      '0 concurrent writes (1 required)',
      '3 commands per run on average (4 required)',
    ]);
    expect(judged.required.unknownOutcomes).toBe(1);
    expect(verdictOnBasis(true, judged)).toBe('unknown');
    expect(verdictOnBasis(false, judged)).toBe(false);
    expect(verdictOnBasis('unknown', judged)).toBe('unknown');
  });
});
