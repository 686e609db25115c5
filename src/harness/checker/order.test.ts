import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { indexHistory } from './history-index.js';
import { checkOrder } from './order.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

describe('checkOrder (I6)', () => {
  it('holds for unique seqs and ascending views, whatever order broadcasts arrived in', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    const b = h.send('c1', 'general', 'two');
    h.broadcast('c2', b);
    h.broadcast('c2', a);
    expect(checkOrder(indexHistory(h.finish()))).toEqual({
      valid: true,
      summary: '1 room in the database, 2 client views: 0 order violations',
    });
  });

  it('flags a view out of seq order', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    const b = h.send('c1', 'general', 'two');
    h.view('c1');
    h.view('c2', { general: [b, a] });
    const verdict = checkOrder(indexHistory(h.snapshot().build()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses).toEqual([
      expect.objectContaining({ kind: 'out-of-order', messageId: a.id, processes: ['c2'], roomId: 'general' }),
    ]);
  });

  it('flags two documents sharing a seq in a room', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    const b = h.send('c1', 'general', 'two');
    h.view('c1');
    h.view('c2');
    const verdict = checkOrder(indexHistory(h.snapshot([a, { ...b, seq: a.seq }]).build()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses).toEqual([expect.objectContaining({ kind: 'seq-collision', roomId: 'general', messageId: a.id })]);
  });
});
