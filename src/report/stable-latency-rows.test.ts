import { describe, expect, it } from 'vitest';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { stableLatencyRows } from './stable-latency-rows.js';

describe('stableLatencyRows', () => {
  it("gives Maelstrom's quantiles 0/.5/.95/.99/1 and the pairs never delivered, per case", () => {
    const [c] = runResultFixture().cases;
    const measured = {
      ...c!,
      check: {
        ...c!.check,
        measures: {
          ...c!.check.measures,
          stableLatencyMs: { count: 40, min: 3, p50: 12, p95: 80, p99: 140, max: 1_250 },
          deliveries: { ...c!.check.measures.deliveries, never: 2 },
        },
      },
    };
    expect(stableLatencyRows([measured])).toEqual([[c!.target, c!.scenario, '40', '3 ms', '12 ms', '80 ms', '140 ms', '1.25 s', '2']]);
  });

  it('a quantile a result predates reads –, never 0; a case without the measure or skipped has no row', () => {
    const [c] = runResultFixture().cases;
    const old = { ...c!, check: { ...c!.check, measures: { ...c!.check.measures, stableLatencyMs: { count: 5, p50: 10, p99: 20, max: 30 } } } };
    expect(stableLatencyRows([old])[0]!.slice(3, 8)).toEqual(['–', '10 ms', '–', '20 ms', '30 ms']);
    const { stableLatencyMs: _, ...without } = c!.check.measures;
    expect(stableLatencyRows([{ ...c!, check: { ...c!.check, measures: without } }, { ...old, skipped: true }])).toEqual([]);
  });
});
