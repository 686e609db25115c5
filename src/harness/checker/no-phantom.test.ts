import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { indexHistory } from './history-index.js';
import { checkNoPhantom } from './no-phantom.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

describe('checkNoPhantom (I3)', () => {
  it('holds for received states the database had, including earlier versions and an info send that persisted', () => {
    const h = new HistoryBuilder();
    const created = h.send('c1', 'general', 'hello');
    h.broadcast('c2', created);
    const edited = h.edit('c1', created, 'hello again');
    h.broadcast('c2', edited);
    const unsure = h.send('c2', 'general', 'timed out but stored', { status: 'info' });
    h.catchup('c1', 'general', 'reconnect', [unsure]);
    expect(checkNoPhantom(indexHistory(h.finish()))).toEqual({
      valid: true,
      summary: '3 received (2 live, 1 by catch-up): 0 phantoms',
    });
  });

  it('flags a broadcast of a message absent from the database', () => {
    const h = new HistoryBuilder();
    const ghost = h.send('c1', 'general', 'never stored', { status: 'fail' });
    h.broadcast('c2', ghost);
    h.broadcast('c1', ghost);
    const verdict = checkNoPhantom(indexHistory(h.finish()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses).toEqual([
      expect.objectContaining({ kind: 'phantom', messageId: ghost.id, processes: ['c2', 'c1'] }),
    ]);
    expect(witnesses[0]?.description).toContain('is not in the database');
  });

  it('flags a state at a version the database never reached with that content', () => {
    const h = new HistoryBuilder();
    const message = h.send('c1', 'general', 'hello');
    h.catchup('c2', 'general', 'gap', [{ ...message, text: 'forged' }]);
    h.broadcast('c2', { ...message, version: 9 });
    h.broadcast('c2', { ...message, deletedAt: '2026-01-01T00:00:09.000Z', text: '' });
    const verdict = checkNoPhantom(indexHistory(h.finish()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses.map((w) => w.description)).toEqual([
      expect.stringContaining('holds "forged" where the database at that version holds "hello"'),
      expect.stringContaining("beyond the database's version 1"),
      expect.stringContaining('deleted, but the database never deleted it'),
    ]);
  });

  it('is unknown without a db-snapshot', () => {
    expect(checkNoPhantom(indexHistory(new HistoryBuilder().build())).valid).toBe('unknown');
  });
});
