import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { indexHistory } from './history-index.js';
import { checkNoDuplicates } from './no-duplicates.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

describe('checkNoDuplicates (I5)', () => {
  it('holds when a retried send is one document and one view entry', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'hello', { clientMsgId: 'k', status: 'info' });
    h.send('c1', 'general', 'hello', { clientMsgId: 'k' });
    expect(checkNoDuplicates(indexHistory(h.finish()))).toEqual({
      valid: true,
      summary: '1 document for 1 keys, 2 client views: 0 duplicates',
    });
  });

  it('flags two documents with one clientMsgId (a retry without idempotency)', () => {
    const h = new HistoryBuilder();
    const first = h.send('c1', 'general', 'hello', { clientMsgId: 'k' });
    const twin = { ...first, id: 'twin', seq: 2, version: 2 };
    h.view('c1');
    h.view('c2');
    const verdict = checkNoDuplicates(indexHistory(h.snapshot([first, twin]).build()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses).toEqual([expect.objectContaining({ kind: 'duplicated', clientMsgId: 'k', roomId: 'general' })]);
    expect(witnesses[0]?.description).toContain(`${first.id}, twin`);
  });

  it('holds when two senders use the same clientMsgId: a key belongs to its sender', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'from alice', { clientMsgId: 'k' });
    h.send('c2', 'general', 'from bob', { clientMsgId: 'k' });
    expect(checkNoDuplicates(indexHistory(h.finish())).valid).toBe(true);
  });

  it('flags a view showing a message twice, or two ids for one clientMsgId', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'hello');
    h.view('c1', { general: [m, m] });
    h.view('c2', { general: [m, { ...m, id: 'other', seq: 2 }] });
    const verdict = checkNoDuplicates(indexHistory(h.snapshot().build()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses.map((w) => [w.kind, w.processes, w.messageId])).toEqual([
      ['duplicated', ['c1'], m.id],
      ['duplicated', ['c2'], 'other'],
    ]);
  });

  it('is unknown with neither snapshot nor views, false when views alone show a duplicate', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'hello');
    expect(checkNoDuplicates(indexHistory(h.build())).valid).toBe('unknown');
    h.view('c1', { general: [m, m] });
    expect(checkNoDuplicates(indexHistory(h.build())).valid).toBe(false);
  });
});
