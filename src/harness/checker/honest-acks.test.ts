import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { checkHonestAcks } from './honest-acks.js';
import { indexHistory } from './history-index.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

describe('checkHonestAcks (I4)', () => {
  it('holds when failures were not applied and unknown outcomes went either way', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'hello');
    h.send('c1', 'general', 'rejected', { status: 'fail' });
    h.send('c2', 'general', 'timed out, stored', { status: 'info' });
    h.send('c2', 'general', 'timed out, lost', { status: 'info', applied: false });
    h.edit('c1', m, 'rejected edit', { status: 'fail' });
    h.remove('c1', m, { status: 'fail' });
    expect(checkHonestAcks(indexHistory(h.finish()))).toEqual({
      valid: true,
      summary: '0 lies among 3 operations reported failed',
    });
  });

  it("names a failed send that was persisted (DESIGN §0's coupled send) as a lie", () => {
    const h = new HistoryBuilder();
    const lie = h.send('c1', 'general', 'saved, then the broadcast threw', { status: 'fail', applied: true });
    const verdict = checkHonestAcks(indexHistory(h.finish()));
    const witnesses = witnessesOf(verdict);
    expect(verdict.summary).toBe('1 lie among 1 operation reported failed');
    expect(witnesses).toEqual([
      expect.objectContaining({ kind: 'lie', messageId: lie.id, clientMsgId: lie.clientMsgId, processes: ['c1'], ops: [0] }),
    ]);
  });

  it("does not blame a refused send on another sender's message with the same clientMsgId", () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'alice first', { clientMsgId: 'k' });
    h.send('c2', 'general', 'bob, refused', { clientMsgId: 'k', status: 'fail' });
    expect(checkHonestAcks(indexHistory(h.finish())).valid).toBe(true);
    const lie = new HistoryBuilder();
    lie.send('c1', 'general', 'alice first', { clientMsgId: 'k' });
    lie.send('c2', 'general', 'bob, refused but stored', { clientMsgId: 'k', status: 'fail', applied: true });
    expect(checkHonestAcks(indexHistory(lie.finish())).valid).toBe(false);
  });

  it('excuses a failed send when a later attempt with the same clientMsgId created it (201), not when it found it (200)', () => {
    const created = new HistoryBuilder();
    created.send('c1', 'general', 'x', { clientMsgId: 'k', status: 'fail' });
    created.send('c1', 'general', 'x', { clientMsgId: 'k' });
    expect(checkHonestAcks(indexHistory(created.finish())).valid).toBe(true);

    const found = new HistoryBuilder();
    found.send('c1', 'general', 'x', { clientMsgId: 'k', status: 'fail', applied: true });
    found.send('c1', 'general', 'x', { clientMsgId: 'k' });
    expect(checkHonestAcks(indexHistory(found.finish())).valid).toBe(false);
  });

  it('excuses a failed retry when an earlier attempt of unknown outcome may have stored it (crash, then refused)', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'x', { clientMsgId: 'k', status: 'info', applied: true });
    h.send('c1', 'general', 'x', { clientMsgId: 'k', status: 'fail', applied: false });
    expect(checkHonestAcks(indexHistory(h.finish())).valid).toBe(true);
  });

  it('names a failed edit whose text is stored, and a failed delete that deleted, as lies', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    const b = h.send('c1', 'general', 'two');
    h.edit('c1', a, 'one, edited', { status: 'fail', applied: true });
    h.remove('c1', b, { status: 'fail', applied: true });
    const verdict = checkHonestAcks(indexHistory(h.finish()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses.map((w) => [w.kind, w.messageId, w.ops])).toEqual([
      ['lie', a.id, [2]],
      ['lie', b.id, [3]],
    ]);
  });

  it('excuses a failed delete when another delete of it succeeded', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    h.remove('c1', a, { status: 'info' });
    h.remove('c1', a, { status: 'fail' });
    expect(checkHonestAcks(indexHistory(h.finish())).valid).toBe(true);
  });
});

describe('checkHonestAcks evidence from what the server sent', () => {
  it('names a failed edit a lie when a client received its text, even if a later edit overwrote it', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'one');
    const lie = h.edit('c1', m, 'applied, reported failed', { status: 'fail', applied: true });
    h.broadcast('c2', lie);
    h.edit('c1', m, 'later');
    const verdict = checkHonestAcks(indexHistory(h.finish()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses).toEqual([expect.objectContaining({ kind: 'lie', ops: [1] })]);
    expect(witnesses[0]?.description).toContain('a client received the message with its text');
  });
});
