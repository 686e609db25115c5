import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../test-support/history-builder.js';
import { HistoryRecorder } from './history-recorder.js';
import { validateHistory } from './history-sequence-validator.js';

function meta() {
  const [first] = new HistoryBuilder().build();
  if (first?.type !== 'meta') throw new Error('no meta');
  return first;
}

describe('HistoryRecorder', () => {
  it('stamps times from the injected clock, never backwards, and allocates op ids', () => {
    const ticks = [5, 3, 9];
    const recorder = new HistoryRecorder(meta(), () => ticks.shift() ?? 100);
    const first = recorder.invoke({ process: 'c1', kind: 'send', roomId: 'general', clientMsgId: 'a', text: 'x' });
    const second = recorder.invoke({ process: 'c2', kind: 'send', roomId: 'general', clientMsgId: 'b', text: 'y' });
    recorder.complete({ process: 'c1', op: first.op, status: 'fail' });
    expect([first.op, second.op]).toEqual([0, 1]);
    expect(recorder.events().slice(1).map((event) => ('time' in event ? event.time : -1))).toEqual([5, 5, 9]);
    expect(recorder.events()[0]).toEqual(meta());
    expect(() => validateHistory(recorder.events())).not.toThrow();
  });

  it('tells subscribers each record until they unsubscribe', () => {
    const recorder = new HistoryRecorder(meta(), () => 1);
    const seen: string[] = [];
    const stop = recorder.subscribe((event) => seen.push(event.type));
    recorder.record({ type: 'connection', process: 'c1', state: 'open' });
    stop();
    recorder.record({ type: 'connection', process: 'c1', state: 'closed', code: 1006 });
    expect(seen).toEqual(['connection']);
    expect(recorder.events()).toHaveLength(3);
  });

  it('appends records stamped by their author, keeping time order', () => {
    let now = 10;
    const recorder = new HistoryRecorder(meta(), () => now);
    const op = recorder.nextOpId();
    recorder.append({ type: 'invoke', time: recorder.now(), process: 'c1', op, kind: 'delete', roomId: 'general', messageId: 'm1' });
    now = 12;
    recorder.append({ type: 'complete', time: 8, process: 'c1', op, status: 'info' });
    expect(recorder.events().slice(1).map((event) => ('time' in event ? event.time : -1))).toEqual([10, 10]);
    expect(recorder.nextOpId()).toBe(op + 1);
    expect(() => recorder.append(meta())).toThrow('one meta record');
  });
});
