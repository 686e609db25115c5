import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/event.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { sendOutcomes } from './send-outcomes.js';

describe('sendOutcomes', () => {
  it('gives each acknowledged send its latency and every other send none', () => {
    const history = runResultFixture().cases[0]!.counterexample!.history;
    // The first event is at 3 ms; sends at 10, 31 and 52 ms.
    expect(sendOutcomes(history).map((s) => [s.process, s.clientMsgId, s.sentMs, s.status, s.latencyMs, s.outcome])).toEqual([
      ['alice', 'alice-1', 7, 'ok', 16, 'ok 201'],
      ['alice', 'alice-2', 28, 'fail', null, 'fail 500 BROADCAST_FAILED'],
      ['bob', 'bob-1', 49, 'ok', 13, 'ok 201'],
    ]);
  });

  it('counts a send without a reply as unknown, leaves edits and deletes out', () => {
    const history: HistoryEvent[] = [
      { type: 'invoke', time: 0, process: 'a', op: 1, kind: 'send', roomId: 'r', clientMsgId: 'a-1', text: 'x' },
      { type: 'invoke', time: 1, process: 'a', op: 2, kind: 'edit', roomId: 'r', messageId: 'm', text: 'y' },
      { type: 'complete', time: 3, process: 'a', op: 2, status: 'ok', httpStatus: 200 },
      { type: 'invoke', time: 4, process: 'a', op: 3, kind: 'send', roomId: 'r', clientMsgId: 'a-3', text: 'z' },
      { type: 'complete', time: 9, process: 'a', op: 3, status: 'info', error: { code: 'TIMEOUT', message: 'no answer' } },
    ];
    expect(sendOutcomes(history).map((s) => [s.op, s.status, s.latencyMs, s.outcome])).toEqual([
      [1, 'info', null, 'no reply'],
      [3, 'info', null, 'info TIMEOUT'],
    ]);
  });
});
