import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../history/event.js';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';
import { checkHonestRecovery } from './honest-recovery.js';
import { indexHistory } from './history-index.js';

/** c2 (bob) goes away at 10 ms, c1 sends while it is away, c2 comes back at 30 ms and is told it recovered. */
function awayAndBack(recoveredChanges: 'all' | 'none', recovered = true): HistoryEvent[] {
  const h = new HistoryBuilder();
  const before = h.send('c1', 'general', 'before');
  h.broadcast('c2', before);
  const events: HistoryEvent[] = [];
  h.at(10);
  const closed: HistoryEvent = { type: 'connection', time: 10, process: 'c2', state: 'closed', code: 1006 };
  h.at(20);
  const missed = h.send('c1', 'general', 'while away');
  const opened: HistoryEvent = { type: 'connection', time: 30, process: 'c2', state: 'open' };
  h.at(31);
  const claim: HistoryEvent = {
    type: 'catchup', time: 31, process: 'c2', roomId: 'general', after: before.seq, reason: 'reconnect',
    changes: recoveredChanges === 'all' ? [missed] : [], latestVersion: missed.version, hasMore: false, recovered,
  };
  events.push(closed, opened, claim);
  const all = [...h.finish()];
  // Put the connection records and the claim in time order among the builder's records (before the end records).
  const end = all.findIndex((e) => e.type === 'client-view' || e.type === 'db-snapshot');
  return [...all.slice(0, end), ...events, ...all.slice(end)].sort((a, b) => ('time' in a ? a.time : -1) - ('time' in b ? b.time : -1));
}

describe('checkHonestRecovery (I9)', () => {
  it('holds when a recovery claimed complete brought what was acknowledged while the client was away', () => {
    const verdict = checkHonestRecovery(indexHistory(awayAndBack('all')));
    expect(verdict).toMatchObject({ valid: true, summary: '1 recovery claimed complete (1 after a disconnect): none missed a message' });
  });

  it('fails when a client told recovered: true lacks a message acknowledged while it was away', () => {
    const verdict = checkHonestRecovery(indexHistory(awayAndBack('none')));
    expect(verdict.valid).toBe(false);
    expect(witnessesOf(verdict)).toEqual([
      expect.objectContaining({ kind: 'unrecovered-claimed', roomId: 'general', clientMsgId: expect.any(String), processes: ['c2'] }),
    ]);
  });

  it('a recovery the system did not claim complete is not its business (recoverability judges the end state)', () => {
    const owned = checkHonestRecovery(indexHistory(awayAndBack('none', false)));
    expect(owned).toMatchObject({ valid: true, summary: expect.stringMatching(/1 recovery reported incomplete \(recovered: false\)$/) });
    expect(checkHonestRecovery(indexHistory(new HistoryBuilder().finish())).summary).toMatch(/nothing to check/);
  });
});
