import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../history/event.js';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';
import { checkHonestAcks } from './honest-acks.js';
import { indexHistory } from './history-index.js';

/** The history with the completion of op `op` changed by `change` (what a server answered instead). */
function answered(history: HistoryEvent[], op: number, change: (event: Extract<HistoryEvent, { type: 'complete' }>) => object): HistoryEvent[] {
  return history.map((event) => (event.type === 'complete' && event.op === op ? { ...event, ...change(event) } : event));
}

function refusedAsReused(history: HistoryEvent[], op: number): HistoryEvent[] {
  return answered(history, op, () => ({
    status: 'fail',
    httpStatus: 409,
    message: undefined,
    error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'key reused', outcome: 'not_applied' },
  }));
}

describe('checkHonestAcks: acknowledgments against their requests (I4)', () => {
  it('accepts honest answers: a created send, a retry answered with the original, an edit, a delete, a refused reuse', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'first', { clientMsgId: 'k' });
    h.send('c1', 'general', 'first', { clientMsgId: 'k' }); // the same retry: 200, the original
    h.send('c1', 'general', 'changed my mind', { clientMsgId: 'k' }); // another text: 200 with the original
    h.send('c1', 'general', 'changed again', { clientMsgId: 'k', status: 'fail', applied: false }); // op 3, refused below
    h.send('c2', 'general', 'bob uses alice\'s key', { clientMsgId: 'k' }); // another sender: its own message
    h.send('c1', 'secret', 'same key, other room', { clientMsgId: 'k' });
    h.edit('c1', m, 'edited');
    h.remove('c1', m);
    const history = refusedAsReused(h.finish(), 3);
    expect(checkHonestAcks(indexHistory(history))).toEqual({ valid: true, summary: '0 lies among 1 operation reported failed' });
  });

  it('names a 409 IDEMPOTENCY_KEY_REUSED for a key only another user sent to the room a lie (a key tied to the room alone)', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'alice', { clientMsgId: 'k' });
    h.send('c2', 'general', 'bob', { clientMsgId: 'k', status: 'fail', applied: false });
    const witnesses = witnessesOf(checkHonestAcks(indexHistory(refusedAsReused(h.finish(), 1))));
    expect(witnesses).toEqual([expect.objectContaining({ kind: 'lie', ops: [1], processes: ['c2'] })]);
    expect(witnesses[0]?.description).toContain('bob never sent clientMsgId "k" to room general with another text');
  });

  it('names a 409 IDEMPOTENCY_KEY_REUSED for a key its sender used only in another room a lie (a key of the clientMsgId alone)', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'secret', 'first room', { clientMsgId: 'k' });
    h.send('c1', 'general', 'second room', { clientMsgId: 'k', status: 'fail', applied: false });
    expect(witnessesOf(checkHonestAcks(indexHistory(refusedAsReused(h.finish(), 1))))).toEqual([
      expect.objectContaining({ kind: 'lie', ops: [1] }),
    ]);
  });

  it("names an acknowledgment of another sender's message (a retry answered with alice's message to bob) wrong", () => {
    const h = new HistoryBuilder();
    const alices = h.send('c1', 'general', 'alice', { clientMsgId: 'k' });
    h.send('c2', 'general', 'bob', { clientMsgId: 'k' });
    const history = answered(h.finish(), 1, () => ({ httpStatus: 200, message: alices }));
    const witnesses = witnessesOf(checkHonestAcks(indexHistory(history)));
    expect(witnesses).toEqual([expect.objectContaining({ kind: 'wrong-ack', ops: [1] })]);
    expect(witnesses[0]?.description).toContain('acknowledged with sender "alice", but the request was for "bob"');
  });

  it('names an acknowledgment in another room wrong', () => {
    const h = new HistoryBuilder();
    const first = h.send('c1', 'secret', 'first room', { clientMsgId: 'k' });
    h.send('c1', 'general', 'second room', { clientMsgId: 'k' });
    const history = answered(h.finish(), 1, () => ({ httpStatus: 200, message: first }));
    expect(witnessesOf(checkHonestAcks(indexHistory(history)))[0]?.description).toContain(
      'acknowledged with room "secret", but the request was for "general"',
    );
  });

  it('names a 201 whose text is not the one sent wrong (a server that normalizes or re-encodes text)', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'cafe\u0301');
    const history = answered(h.finish(), 0, () => ({ message: { ...m, text: 'caf\u00e9' }, httpStatus: 201 }));
    expect(witnessesOf(checkHonestAcks(indexHistory(history)))).toEqual([
      expect.objectContaining({ kind: 'wrong-ack', ops: [0], description: expect.stringContaining('created (201) with text "café"') }),
    ]);
  });

  it('names a 200 that carries the retried text (stored under a reused key) wrong', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'original', { clientMsgId: 'k' });
    h.send('c1', 'general', 'retried with another text', { clientMsgId: 'k' });
    const history = answered(h.finish(), 1, () => ({ httpStatus: 200, message: { ...m, text: 'retried with another text' } }));
    const witnesses = witnessesOf(checkHonestAcks(indexHistory(history)));
    expect(witnesses).toEqual([expect.objectContaining({ kind: 'wrong-ack', ops: [1] })]);
    expect(witnesses[0]?.description).toContain('the text of a later send with the same clientMsgId');
  });

  it('names an acknowledged edit that carries another text, another message, or a delete that did not delete, wrong', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    const b = h.send('c1', 'general', 'two');
    h.edit('c1', a, 'one, edited'); // op 2
    h.edit('c1', b, 'two, edited'); // op 3
    h.remove('c1', a); // op 4
    let history = answered(h.finish(), 2, (e) => ({ message: { ...e.message!, text: 'one' } }));
    history = answered(history, 3, (e) => ({ message: { ...e.message!, id: a.id } }));
    history = answered(history, 4, (e) => ({ message: { ...e.message!, deletedAt: null, text: 'one, edited' } }));
    const witnesses = witnessesOf(checkHonestAcks(indexHistory(history)));
    expect(witnesses.map((w) => [w.kind, w.ops])).toEqual([
      ['wrong-ack', [2]],
      ['wrong-ack', [3]],
      ['wrong-ack', [4]],
    ]);
    expect(witnesses.map((w) => w.description)).toEqual([
      expect.stringContaining('acknowledged with text "one", but the edit asked for "one, edited"'),
      expect.stringContaining(`acknowledged with message "${a.id}", but the request was for "${b.id}"`),
      expect.stringContaining('acknowledged a delete with the message not deleted'),
    ]);
  });
});
