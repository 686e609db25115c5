import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { indexHistory } from './history-index.js';
import { checkRecoverability } from './recoverability.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

describe('checkRecoverability (I2)', () => {
  it('holds when every member client recovered every acknowledged message', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'hello');
    h.send('c1', 'secret', 'for alice only');
    const deleted = h.send('c2', 'general', 'gone soon');
    h.remove('c2', deleted);
    expect(checkRecoverability(indexHistory(h.finish()))).toEqual({
      valid: true,
      summary: '3 acknowledged messages recovered by all 2 clients',
    });
  });

  it('names a message missing from a member client view as unrecovered', () => {
    const h = new HistoryBuilder();
    const kept = h.send('c1', 'general', 'kept');
    const missed = h.send('c1', 'general', 'missed by bob');
    h.view('c1');
    h.view('c2', { general: [kept] });
    const verdict = checkRecoverability(indexHistory(h.snapshot().build()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses).toEqual([
      expect.objectContaining({ kind: 'unrecovered', messageId: missed.id, roomId: 'general', processes: ['c2'], ops: [1] }),
    ]);
    expect(verdict.summary).toBe('2 acknowledged messages: 1 unrecovered (1 client-message pair of 2 clients)');
  });

  it('does not require a message from a client whose user is not a member', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'secret', 'private');
    h.view('c1');
    h.view('c2', { general: [] });
    expect(checkRecoverability(indexHistory(h.build())).valid).toBe(true);
  });

  it('is unknown when a member client has no final view, or no views at all', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'hello');
    expect(checkRecoverability(indexHistory(h.build())).valid).toBe('unknown');
    h.view('c1');
    const verdict = checkRecoverability(indexHistory(h.build()));
    expect(verdict.valid).toBe('unknown');
    if (verdict.valid === 'unknown') expect(verdict.error).toContain('no client-view of c2');
  });
});
