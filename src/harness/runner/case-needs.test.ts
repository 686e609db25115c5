import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../scenario/scenario-schema.js';
import type { TargetFactory } from '../sut/target.js';
import { notPromisedIn } from './case-needs.js';

const scenario = (extra: object = {}) =>
  scenarioSchema.parse({
    name: 'window',
    description: 'a scenario',
    topology: { rooms: [{ id: 'general', members: ['alice', 'bob'] }] },
    workload: { ops: 4 },
    ...extra,
  });

const target: TargetFactory = {
  id: 'cache:bounded',
  description: 'a system with a bounded history',
  capabilities: {
    edit: false,
    delete: false,
    crash: false,
    faultPoints: [],
    dbKill: false,
    links: { client: true, frames: false, database: false, broker: false },
    notPromised: { I1: 'history is a cache' },
    notPromisedUnder: {
      recoveryWindow: { I1: 'past the window', I2: 'evicted messages cannot be recovered' },
      faults: { 'server.crash': { I2: 'a restart clears the history', I6: 'a new epoch restarts offsets' } },
      keys: { retryOtherText: { I4: 'a reused key is answered with the first offset' } },
    },
  },
  start: () => Promise.reject(new Error('not started in this test')),
};

describe('notPromisedIn', () => {
  it('a scenario without a recoveryWindow is held to every promise but the always-withdrawn ones', () => {
    expect(notPromisedIn(scenario(), target)).toEqual({ I1: 'history is a cache' });
  });

  it('a scenario that allows a fault withdraws what the target promises only without it; other faults withdraw nothing', () => {
    expect(notPromisedIn(scenario({ faults: [{ name: 'ws.reset' }] }), target)).toEqual({ I1: 'history is a cache' });
    expect(notPromisedIn(scenario({ faults: [{ name: 'server.crash' }], recoveryWindow: { ms: 500 } }), target)).toEqual({
      I1: 'history is a cache',
      I2: 'evicted messages cannot be recovered; a restart clears the history',
      I6: 'a new epoch restarts offsets',
    });
  });

  it('a scenario that draws a key input withdraws what the target promises only without it', () => {
    const keys = { fresh: 1, otherUser: 0, otherRoom: 0, retryOtherText: 1 };
    expect(notPromisedIn(scenario({ inputs: { keys } }), target)).toEqual({ I1: 'history is a cache', I4: 'a reused key is answered with the first offset' });
    expect(notPromisedIn(scenario({ inputs: { keys: { ...keys, retryOtherText: 0 } } }), target)).toEqual({ I1: 'history is a cache' });
  });

  it('a scenario that shrinks the recovery window also withdraws the promises that hold only inside it', () => {
    expect(notPromisedIn(scenario({ recoveryWindow: { messages: 2 } }), target)).toEqual({
      I1: 'history is a cache',
      I2: 'evicted messages cannot be recovered',
    });
  });
});
