import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { indexHistory } from './history-index.js';
import { checkIsolation } from './isolation.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

describe('checkIsolation (I8)', () => {
  it('holds when every client only received its own rooms', () => {
    const h = new HistoryBuilder();
    const open = h.send('c1', 'general', 'hello');
    const secret = h.send('c1', 'secret', 'private');
    h.broadcast('c1', secret);
    h.broadcast('c2', open);
    h.catchup('c2', 'general', 'final');
    expect(checkIsolation(indexHistory(h.finish()))).toEqual({
      valid: true,
      summary: '6 messages received or shown: 0 leaked across room boundaries',
    });
  });

  it('names a broadcast, catch-up change or view entry of a room not joined as leaked', () => {
    const h = new HistoryBuilder();
    const secret = h.send('c1', 'secret', 'private');
    h.broadcast('c2', secret);
    h.catchup('c2', 'secret', 'reconnect', [secret]);
    h.view('c1');
    h.view('c2', { general: [], secret: [secret] });
    const verdict = checkIsolation(indexHistory(h.snapshot().build()));
    const witnesses = witnessesOf(verdict);
    expect(witnesses).toEqual([
      expect.objectContaining({ kind: 'leaked', roomId: 'secret', messageId: secret.id, processes: ['c2'] }),
    ]);
    expect(witnesses[0]?.description).toBe(
      'c2 (user bob) received 3 messages of room secret, which it is not a member of (broadcast, catch-up, final view)',
    );
  });

  it('is unknown without the meta record', () => {
    const history = new HistoryBuilder().build().filter((event) => event.type !== 'meta');
    expect(checkIsolation(indexHistory(history)).valid).toBe('unknown');
  });
});
