import { describe, expect, it } from 'vitest';
import { PROPERTY_IDS } from './probe-properties.js';
import type { ProbeCounts } from './probe-result.js';
import { judgeProperty, overallVerdict, probeFailed } from './probe-verdict.js';

const clean: ProbeCounts = { attempts: 200, rounds: 20, acknowledged: 200, lost: 0, doubleWinners: 0, noWinner: 0, phantoms: 0, errors: 0 };

describe('judgeProperty (counts → verdict)', () => {
  it('holds when every acknowledged write is there and every key had one winner', () => {
    for (const property of PROPERTY_IDS) {
      expect(judgeProperty(property, clean, 5)).toMatchObject({ property, verdict: 'holds', counts: clean, durationMs: 5 });
    }
  });

  const violations: [string, Partial<ProbeCounts>, RegExp][] = [
    ['lost writes', { lost: 190 }, /190 of 200 acknowledged writes lost/],
    ['double winners', { doubleWinners: 3 }, /3 of 20 keys got more than one winner/],
    ['keys without a winner', { noWinner: 2 }, /2 of 20 keys refused every insert yet stored none/],
    ['refusals stored anyway', { phantoms: 4 }, /4 writes refused as duplicates were stored anyway/],
  ];
  for (const property of PROPERTY_IDS) {
    for (const [name, change, reason] of violations) {
      it(`${property}: ${name} are broken`, () => {
        const result = judgeProperty(property, { ...clean, ...change }, 1);
        expect(result.verdict).toBe('broken');
        expect(result.reason).toMatch(reason);
      });
    }
  }

  it('a violation is broken even when other writes failed (the evidence stands)', () => {
    expect(judgeProperty('concurrent-inc', { ...clean, lost: 5, errors: 3, firstError: '6: timeout' }, 1).verdict).toBe('broken');
  });

  it('unexpected errors without a violation are unknown, naming the first error', () => {
    const result = judgeProperty('cas-vs-other-field', { ...clean, errors: 7, firstError: '91: shutting down' }, 1);
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toMatch(/7 of 200 writes failed .*91: shutting down/);
  });

  it('nothing acknowledged is unknown: nothing was tested', () => {
    expect(judgeProperty('unique-insert-race', { ...clean, acknowledged: 0 }, 1).verdict).toBe('unknown');
  });

  it('the detail of what the probe saw ends the reason', () => {
    expect(judgeProperty('concurrent-inc', { ...clean, lost: 190, detail: 'n ended at 10' }, 1).reason).toMatch(/: n ended at 10$/);
  });

  it('a probe that failed is unknown with its reason and no counts', () => {
    expect(probeFailed('concurrent-upsert', 'the probe did not finish within 8000 ms', 8000)).toEqual({
      property: 'concurrent-upsert',
      verdict: 'unknown',
      reason: 'the probe did not finish within 8000 ms',
      durationMs: 8000,
    });
  });
});

describe('overallVerdict', () => {
  it('broken beats unknown beats holds; no property is unknown', () => {
    expect(overallVerdict(['holds', 'unknown', 'broken'])).toBe('broken');
    expect(overallVerdict(['holds', 'unknown'])).toBe('unknown');
    expect(overallVerdict(['holds', 'holds'])).toBe('holds');
    expect(overallVerdict([])).toBe('unknown');
  });
});
