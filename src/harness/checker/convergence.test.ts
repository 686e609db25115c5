import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { checkConvergence } from './convergence.js';
import { indexHistory } from './history-index.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

describe('checkConvergence (I7)', () => {
  it('holds when every view equals the database, edits and deletes applied', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    const b = h.send('c2', 'general', 'two');
    h.edit('c1', a, 'one, edited');
    h.remove('c2', b);
    h.send('c1', 'secret', 'private');
    expect(checkConvergence(indexHistory(h.finish()))).toEqual({
      valid: true,
      summary: '2 client views equal the database (3 messages in 2 rooms)',
    });
  });

  it('names a view that missed an edit, or lacks a message, as stale, and an extra one as unexpected', () => {
    const h = new HistoryBuilder();
    const before = h.send('c1', 'general', 'one');
    const after = h.edit('c1', before, 'one, edited');
    const lacked = h.send('c1', 'general', 'two');
    h.view('c1', { general: [after, lacked], secret: [] });
    h.view('c2', { general: [before, { ...lacked, id: 'ghost', seq: 3 }] });
    const verdict = checkConvergence(indexHistory(h.snapshot().build()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses.map((w) => [w.kind, w.messageId, w.processes])).toEqual([
      ['stale', before.id, ['c2']],
      ['stale', lacked.id, ['c2']],
      ['unexpected', 'ghost', ['c2']],
    ]);
    expect(witnesses[0]?.description).toContain('c2 holds version 1 "one"; the database has version 2 "one, edited"');
    expect(verdict.summary).toBe('2 client views against the database: 2 stale, 1 unexpected');
  });

  it('a room whose final catch-up got no answer is undecided for that client, not stale; the other rooms still count', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'one');
    h.view('c1', { general: [], secret: [] }).view('c2', { general: [] });
    const events = h.snapshot().build().map((e) =>
      e.type === 'client-view' ? { ...e, unread: [{ roomId: 'general', error: 'STORE_UNAVAILABLE: circuit open' }] } : e,
    );
    const verdict = checkConvergence(indexHistory(events));
    expect(verdict.valid).toBe('unknown');
    expect(verdict.valid === 'unknown' && verdict.error).toMatch(/final catch-up of c1 \(general\), c2 \(general\) got no answer/);
    // Read, the same empty view is stale.
    const read = new HistoryBuilder();
    read.send('c1', 'general', 'one');
    read.view('c1', { general: [], secret: [] }).view('c2', { general: [] });
    expect(checkConvergence(indexHistory(read.snapshot().build())).valid).toBe(false);
  });

  it('is unknown without a snapshot or without views', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'one');
    expect(checkConvergence(indexHistory(h.build())).valid).toBe('unknown');
    expect(checkConvergence(indexHistory(h.snapshot().build())).valid).toBe('unknown');
  });
});
