import { describe, expect, it } from 'vitest';
import { checkHistory } from './check-history.js';
import { judgeAgainstPromises } from './not-promised.js';
import { HistoryBuilder } from '../../test-support/history-builder.js';

/** An acknowledged send the database does not hold: I1 durability broken. */
function lostWrite() {
  const h = new HistoryBuilder();
  h.send('c1', 'general', 'kept');
  const lost = h.send('c2', 'general', 'gone');
  h.db.delete(lost.id);
  return h.finish();
}

describe('judgeAgainstPromises', () => {
  it('a broken invariant the target does not promise is not a FAIL, but says so with its evidence', () => {
    const check = checkHistory(lostWrite());
    expect(check.invariants.I1.valid).toBe(false);
    const judged = judgeAgainstPromises(check, 'centrifugo:memory', { I1: 'history is a bounded cache' });
    const verdict = judged.invariants.I1;
    expect(verdict.valid).toBe(true);
    expect(verdict.summary).toMatch(/^not promised by centrifugo:memory: history is a bounded cache; it did not hold here/);
    expect(verdict.valid === true && verdict.notPromised?.witnesses.length).toBeGreaterThan(0);
  });

  it('a promised invariant that breaks still fails the check', () => {
    const judged = judgeAgainstPromises(checkHistory(lostWrite()), 'socketio:memory', { I6: 'no order across nodes' });
    expect(judged.invariants.I1.valid).toBe(false);
    expect(judged.valid).toBe(false);
  });
});
