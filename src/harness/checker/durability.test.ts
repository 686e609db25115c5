import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { checkDurability } from './durability.js';
import { indexHistory } from './history-index.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

describe('checkDurability (I1)', () => {
  it('holds when every acknowledged send, edit and delete is in the database', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'hello');
    const b = h.send('c2', 'general', 'hi');
    h.edit('c1', a, 'hello, edited');
    h.remove('c2', b);
    h.send('c1', 'general', 'never stored', { status: 'fail' });
    const verdict = checkDurability(indexHistory(h.finish()));
    expect(verdict).toEqual({
      valid: true,
      summary: '2 acknowledged: 2 stored; 1 acknowledged edit: 1 reflected; 1 acknowledged delete: 1 applied',
    });
  });

  it('names an acknowledged send missing from the database as lost', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'kept');
    const lost = h.send('c2', 'general', 'gone');
    h.db.delete(lost.id);
    const verdict = checkDurability(indexHistory(h.finish()));
    expect(verdict.valid).toBe(false);
    expect(verdict.summary).toBe('2 acknowledged: 1 stored, 1 lost');
    const witnesses = witnessesOf(verdict);
    expect(witnesses).toEqual([
      expect.objectContaining({ kind: 'lost', messageId: lost.id, clientMsgId: lost.clientMsgId, processes: ['c2'], ops: [1] }),
    ]);
  });

  it('flags an acknowledged edit the database does not reflect, and an acknowledged delete not applied', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    const b = h.send('c1', 'general', 'two');
    h.edit('c1', a, 'one, edited', { applied: false });
    h.remove('c1', b, { applied: false });
    const verdict = checkDurability(indexHistory(h.finish()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses.map((w) => [w.kind, w.messageId, w.ops])).toEqual([
      ['lost', a.id, [2]],
      ['lost', b.id, [3]],
    ]);
    expect(witnesses[0]?.description).toContain('the database holds version 1, the edit was acknowledged at version 3');
    expect(witnesses[1]?.description).toContain('still holds it undeleted');
  });

  it('accepts an edit superseded by a later change', () => {
    const h = new HistoryBuilder();
    const a = h.send('c1', 'general', 'one');
    h.edit('c1', a, 'two');
    h.edit('c1', a, 'three');
    h.remove('c1', a);
    expect(checkDurability(indexHistory(h.finish())).valid).toBe(true);
  });

  it('is unknown without a db-snapshot', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'hello');
    expect(checkDurability(indexHistory(h.build())).valid).toBe('unknown');
  });
});
