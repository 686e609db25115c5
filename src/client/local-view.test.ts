import { describe, expect, it } from 'vitest';
import { LocalView } from './local-view.js';
import { messageFixture as msg } from './message-fixture.js';

describe('LocalView', () => {
  it('dedupes by id, keeps the newest version and ignores stale states', () => {
    const view = new LocalView();
    expect(view.apply(msg({ id: 'a', seq: 1, version: 1 }))).toBe('added');
    expect(view.apply(msg({ id: 'a', seq: 1, version: 1 }))).toBe('duplicate');
    expect(view.apply(msg({ id: 'a', seq: 1, version: 3, text: 'edited' }))).toBe('updated');
    expect(view.apply(msg({ id: 'a', seq: 1, version: 2, text: 'older edit' }))).toBe('stale');
    expect(view.get('general', 'a')?.text).toBe('edited');
    expect(view.messages('general')).toHaveLength(1);
  });

  it('keeps tombstones and returns rooms in the asked order with messages in seq order', () => {
    const view = new LocalView();
    view.apply(msg({ id: 'b', seq: 2, version: 2 }));
    view.apply(msg({ id: 'a', seq: 1, version: 1 }));
    view.apply(msg({ id: 'a', seq: 1, version: 3, text: '', deletedAt: '2026-01-01T00:00:01.000Z' }));
    view.apply(msg({ id: 'x', roomId: 'random', seq: 1, version: 1 }));
    const snapshot = view.snapshot(['empty', 'general']);
    expect(snapshot.map((r) => r.roomId)).toEqual(['empty', 'general']);
    expect(snapshot[0]?.messages).toEqual([]);
    expect(snapshot[1]?.messages.map((m) => [m.id, m.deletedAt !== null])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(view.snapshot().map((r) => r.roomId).sort()).toEqual(['general', 'random']);
  });
});
