import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { checkHistory, INVARIANT_CHECKERS } from './check-history.js';
import type { HistoryEvent } from '../../history/event.js';

describe('checkHistory', () => {
  it('passes a clean history on all nine invariants', () => {
    const h = new HistoryBuilder();
    const m = h.send('c1', 'general', 'hello');
    h.broadcast('c1', m).broadcast('c2', m);
    const result = checkHistory(h.finish());
    expect(result.valid).toBe(true);
    expect(Object.keys(result.invariants)).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8', 'I9']);
    expect(result.measures.acknowledged).toBe(1);
  });

  it('turns a checker that throws into unknown, never a crash, and keeps the others', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'hello');
    const throwing = {
      ...INVARIANT_CHECKERS,
      I3: () => {
        throw new Error('boom');
      },
    };
    const result = checkHistory(h.finish(), throwing);
    expect(result.invariants.I3).toEqual({
      valid: 'unknown',
      summary: 'the no phantom checker failed: boom',
      error: 'the no phantom checker failed: boom',
    });
    expect(result.invariants.I1.valid).toBe(true);
    expect(result.valid).toBe('unknown');
  });

  it('lets false beat unknown: a lie with a throwing checker is still a violation', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'saved, reported failed', { status: 'fail', applied: true });
    const result = checkHistory(h.finish(), {
      ...INVARIANT_CHECKERS,
      I6: () => {
        throw new Error('boom');
      },
    });
    expect(result.invariants.I4.valid).toBe(false);
    expect(result.invariants.I6.valid).toBe('unknown');
    expect(result.valid).toBe(false);
  });

  it('makes the invariants that need the snapshot or the views unknown when the run did not record them', () => {
    const h = new HistoryBuilder();
    h.send('c1', 'general', 'hello');
    const result = checkHistory(h.build());
    const validity = Object.fromEntries(Object.entries(result.invariants).map(([id, verdict]) => [id, verdict.valid]));
    expect(validity).toEqual({ I1: 'unknown', I2: 'unknown', I3: 'unknown', I4: 'unknown', I5: 'unknown', I6: 'unknown', I7: 'unknown', I8: true, I9: true });
    expect(result.valid).toBe('unknown');
  });

  it('survives a history that is not even well-typed', () => {
    const garbage = [{ type: 'meta' }, { type: 'client-view', process: 'c1' }] as unknown as HistoryEvent[];
    const result = checkHistory(garbage);
    expect(result.valid).toBe('unknown');
    expect(result.measures.acknowledged).toBe(0);
  });
});
