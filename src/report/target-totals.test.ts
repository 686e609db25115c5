import { describe, expect, it } from 'vitest';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { targetTotals } from './target-totals.js';
import type { CaseResult } from '../harness/result/result-model.js';

function withDeliveries(c: CaseResult, acknowledged: number, rate: number | null, d: [number, number, number, number, number]): CaseResult {
  const [broadcast, gapFill, reconnect, final, never] = d;
  return {
    ...c,
    check: {
      ...c.check,
      measures: { ...c.check.measures, acknowledged, liveDeliveryRate: rate, deliveries: { broadcast, gapFill, reconnect, final, never } },
    },
  };
}

describe('targetTotals', () => {
  it('weighs each case by its pairs (an exact total, not an average of rates)', () => {
    const base = runResultFixture().cases[0]!;
    // 9 of 10 pairs live, then 0 of 90: 9 of 100 overall (an average of rates would say 45%).
    const total = targetTotals([
      withDeliveries(base, 5, 0.9, [9, 1, 0, 0, 0]),
      withDeliveries(base, 45, 0, [0, 30, 30, 20, 10]),
    ]);
    expect(total).toEqual({ acknowledged: 50, liveDeliveryRate: 9 / 100 });
  });

  it('has no rate without pairs', () => {
    const base = runResultFixture().cases[0]!;
    expect(targetTotals([withDeliveries(base, 0, null, [0, 0, 0, 0, 0])]).liveDeliveryRate).toBeNull();
  });
});
