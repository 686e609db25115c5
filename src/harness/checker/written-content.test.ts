import { describe, expect, it } from 'vitest';
import type { Message } from '../../chat/message.js';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';
import { indexHistory } from './history-index.js';
import { checkNoPhantom } from './no-phantom.js';

/** I3 over content: what clients received or show and what the database holds must be what some write wrote. */
describe('checkNoPhantom: content no write explains (I3)', () => {
  /** alice sends, edits, sends with a reused key (answered with the original), bob reuses her key: all honest. */
  function honest(): { h: HistoryBuilder; m: Message; edited: Message; bobs: Message } {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'hello 👨‍👩‍👧‍👦 e\u0301 \u202Eabc\u202C', { clientMsgId: 'k' });
    h.broadcast('c2', m);
    h.send('c1', 'general', 'retried with another text', { clientMsgId: 'k' });
    const edited = h.edit('c1', m, 'hello, edited');
    h.broadcast('c2', edited);
    const bobs = h.send('c2', 'general', 'bob reuses the key', { clientMsgId: 'k' });
    h.broadcast('c1', bobs);
    return { h, m, edited, bobs };
  }

  it('accepts received states, views and a database that writes explain', () => {
    expect(checkNoPhantom(indexHistory(honest().h.finish())).valid).toBe(true);
  });

  it('flags a database and views that hold the text of a retried send with a reused key (the server stored it)', () => {
    const { h, bobs } = honest();
    const stored = h.send('c2', 'general', 'bob retries with another text', { clientMsgId: 'k' });
    expect(stored.id).toBe(bobs.id);
    // The server overwrote bob's message with the retry's text instead of refusing it.
    const overwritten = { ...bobs, text: 'bob retries with another text' };
    h.db.set(bobs.id, overwritten);
    h.broadcast('c1', overwritten);
    const witnesses = witnessesOf(checkNoPhantom(indexHistory(h.finish())));
    const later = witnesses.filter((w) => w.description.includes('the text of a later send with the same clientMsgId'));
    expect(later.map((w) => w.description)).toEqual([
      expect.stringMatching(/^c1 received message .* \(live\), which holds "bob retries with another text"/),
      expect.stringMatching(/^c1's final view shows message/),
      expect.stringMatching(/^the database holds message/),
    ]);
    expect(later[1]?.processes).toEqual(['c1', 'c2']);
  });

  it('flags a database text no write wrote (a lone surrogate stored as U+FFFD, a normalized text)', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'broken \uD83D', { status: 'info' });
    const n = h.send('c1', 'general', 'cafe\u0301', { status: 'info' });
    h.db.set(m.id, { ...m, text: 'broken \uFFFD' });
    h.db.set(n.id, { ...n, text: 'caf\u00e9' });
    const witnesses = witnessesOf(checkNoPhantom(indexHistory(h.finish())));
    const database = witnesses.filter((w) => w.description.startsWith('the database holds'));
    expect(database.map((w) => w.messageId)).toEqual([m.id, n.id]);
    expect(database[0]?.description).toContain('a text no send or edit of it wrote');
  });

  it("flags a view whose message has another sender, room or seq than the database's, or a key nobody sent", () => {
    const { h, m } = honest();
    const events = h.finish();
    const forged = events.map((event) => {
      if (event.type !== 'client-view' || event.process !== 'c2') return event;
      const rooms = event.rooms.map((room) => ({
        ...room,
        messages: room.messages.map((shown) => (shown.id === m.id ? { ...shown, seq: 7 } : { ...shown, senderId: 'alice', clientMsgId: 'never' })),
      }));
      return { ...event, rooms };
    });
    const witnesses = witnessesOf(checkNoPhantom(indexHistory(forged)));
    expect(witnesses.map((w) => w.description)).toEqual([
      expect.stringContaining('has seq 7 where the database has 1'),
      expect.stringContaining('has senderId "alice" where the database has "bob"'),
    ]);
    const orphan = events.map((event) =>
      event.type === 'broadcast' && event.process === 'c1' ? { ...event, message: { ...event.message, clientMsgId: 'never' } } : event,
    );
    expect(witnessesOf(checkNoPhantom(indexHistory(orphan)))[0]?.description).toContain(
      'has clientMsgId "never" where the database has "k"',
    );
  });

  it('flags a state that holds an acknowledged text at a later version: an unexplained revert', () => {
    const { h, edited } = honest();
    const again = h.edit('c1', edited, 'edited twice');
    // The database wrote the first edit back over the second (a lost update), at the second's version.
    h.db.set(edited.id, { ...again, text: edited.text });
    const witnesses = witnessesOf(checkNoPhantom(indexHistory(h.finish())));
    expect(witnesses.find((w) => w.description.startsWith('the database'))?.description).toMatch(
      new RegExp(`^the database holds message ${edited.id} .* at version ${again.version}, which holds at version ${again.version} the text acknowledged at version ${edited.version}: .*unexplained revert`),
    );
  });

  it('flags a database document under a key no send carried', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'hello');
    h.db.set(m.id, { ...m, senderId: 'bob' });
    const witnesses = witnessesOf(checkNoPhantom(indexHistory(h.snapshot().build())));
    expect(witnesses[0]?.description).toContain(`names bob's clientMsgId "${m.clientMsgId}" in room general, which no send of that user to that room carried`);
  });
});
