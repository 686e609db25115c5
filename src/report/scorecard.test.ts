import { describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/result/result-model.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { deliveryBar, deliveryShares, percent } from './delivery-paths.js';
import { comparedSentence, invariantSummary, scorecard, verdictSummary } from './scorecard.js';

/** The fixture with every case given the same number of runs, so that every scenario is comparable. */
function alike(): RunResult {
  const result = runResultFixture();
  for (const c of result.cases) c.runs = 25;
  return result;
}

describe('scorecard', () => {
  it('counts verdicts and tallies invariants per target', () => {
    const card = scorecard(runResultFixture());
    const [coupled, decoupled] = card.targets;
    expect(coupled!.target).toBe('reference:coupled');
    expect(verdictSummary(coupled!)).toBe('1 pass · 1 fail');
    expect(invariantSummary(coupled!)).toBe('held 8 · broken I4');
    expect(verdictSummary(decoupled!)).toBe('1 pass · 1 unknown');
    expect(invariantSummary(decoupled!)).toBe('held 4 · unknown I1 I3 I4 I5 I7');
  });

  it('leaves out of the measures a scenario the targets ran a different number of times, and says why', () => {
    // broadcast-throws: coupled stopped at its counterexample after 3 runs, decoupled ran 25.
    const card = scorecard(runResultFixture());
    expect(card.compared).toEqual(['baseline']);
    expect(card.leftOut).toEqual([
      'broadcast-throws ran 3 on reference:coupled, 25 on reference:decoupled (a counterexample stops a case early)',
    ]);
    // Over baseline only: coupled 1,900 of 1,900 live, decoupled 99.8%.
    expect(card.targets[0]!.liveDelivery).toBe(1);
    expect(card.targets[0]!.ackP99).toBe(48.5);
    expect(comparedSentence(card, 2)).toMatch(/^Measures over 1 of 2 scenarios, .*left out: broadcast-throws ran 3/);
  });

  it('over alike scenarios, totals every pair and takes the worst scenario latency', () => {
    const card = scorecard(alike());
    expect(card.compared).toEqual(['broadcast-throws', 'baseline']);
    expect(card.leftOut).toEqual([]);
    // coupled: 4 of 6 live (broadcast-throws) + 1,900 of 1,900 (baseline).
    expect(card.targets[0]!.liveDelivery).toBeCloseTo(1_904 / 1_906);
    expect(card.targets[0]!.ackP50).toBe(14);
    expect(card.targets[0]!.ackP99).toBe(48.5);
  });

  it('when the target that broke stopped early everywhere, compares the others alike and says it was not measured', () => {
    const result = alike();
    // coupled stopped at a counterexample after 1 run in both scenarios; decoupled ran 25 in both.
    for (const c of result.cases.filter((x) => x.target === 'reference:coupled')) {
      c.runs = 1;
      c.counterexample = result.cases[0]!.counterexample;
    }
    const card = scorecard(result);
    expect(card.compared).toEqual(['broadcast-throws', 'baseline']);
    expect(card.targets.map((t) => t.liveDelivery === null)).toEqual([true, false]);
    expect(comparedSentence(card, 2)).toBe(
      'Measures over all 2 scenarios, which the measured targets ran with the same runs (latencies: the worst scenario); reference:coupled not measured (stopped early at a counterexample, so no scenario ran alike on every target).',
    );
  });

  it('words a single scenario as one', () => {
    const result = alike();
    result.cases = result.cases.filter((c) => c.scenario === 'baseline' && c.target === 'reference:coupled');
    result.targets = ['reference:coupled'];
    expect(comparedSentence(scorecard(result), 1)).toBe('Measures over the one scenario (latencies: its percentiles).');
  });

  it('shows no measures when a target skipped the only scenario', () => {
    const result = alike();
    result.cases = result.cases.filter((c) => c.scenario === 'baseline');
    result.cases[1]!.skipped = true;
    const card = scorecard(result);
    expect(card.compared).toEqual([]);
    expect(card.targets.map((t) => t.liveDelivery)).toEqual([null, null]);
    expect(card.targets[1]!.verdicts.skipped).toBe(1);
    expect(comparedSentence(card, 1)).toBe(
      'Measures not shown: no scenario ran alike on every target (baseline was skipped on reference:decoupled).',
    );
  });
});

describe('delivery paths', () => {
  it('splits a case into shares of its pairs; a skipped case has no bar rather than a 0% one', () => {
    const [coupled] = runResultFixture().cases;
    const d = deliveryShares(coupled!)!;
    expect(d.pairs).toBe(6);
    expect(d.shares.map((s) => [s.label, s.count])).toEqual([
      ['live', 4],
      ['gap fill', 2],
      ['reconnect catch-up', 0],
      ['final catch-up', 0],
      ['never', 0],
    ]);
    expect(deliveryBar(d.shares, 12)).toBe('████████▓▓▓▓');
    expect(deliveryShares({ ...coupled!, skipped: true })).toBeUndefined();
  });

  it('never rounds a lost pair away', () => {
    const [c] = runResultFixture().cases;
    c!.check.measures.deliveries = { broadcast: 999, gapFill: 0, reconnect: 0, final: 0, never: 1 };
    const d = deliveryShares(c!)!;
    expect(deliveryBar(d.shares, 20)).toBe(`${'█'.repeat(19)}×`);
    expect(percent(1 / 1000)).toBe('<1%');
    expect(percent(999 / 1000)).toBe('>99%');
  });
});
