import { describe, expect, it } from 'vitest';
import { runResultFixture } from '../../test-support/run-result-fixture.js';
import { judgeExpectations, parseExpectation } from './expectation.js';

describe('expectations', () => {
  it('take target ids, reference ones with several nodes too', () => {
    expect(parseExpectation('reference:outbox+redis-streams@3=pass')).toEqual({ scenario: '*', target: 'reference:outbox+redis-streams@3', expected: 'pass' });
    expect(parseExpectation('broker-blip/centrifugo:redis=fail')).toEqual({ scenario: 'broker-blip', target: 'centrifugo:redis', expected: 'fail' });
  });

  it('a skipped case neither meets nor breaks one: a target whose every case was skipped leaves it unknown', () => {
    const { cases } = runResultFixture();
    const skipped = cases.map((c) => (c.target === 'reference:coupled' ? { ...c, skipped: true as const, valid: 'unknown' as const } : c));
    const [coupled] = judgeExpectations(skipped, [{ scenario: '*', target: 'reference:coupled', expected: 'fail' }]);
    expect(coupled).toMatchObject({ actual: 'unknown', met: false });
    // The scenario files' own expectations skip the skipped cases.
    expect(judgeExpectations(skipped, []).map((e) => e.target)).toEqual(['reference:decoupled', 'reference:decoupled']);
  });
});
