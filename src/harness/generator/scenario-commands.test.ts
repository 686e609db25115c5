import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../scenario/load-scenarios.js';
import { scenarioCommands } from './scenario-commands.js';

describe('scenarioCommands', () => {
  it('draws sequences up to workload.ops long, not capped by fast-check\'s default size', async () => {
    const { scenario } = await loadScenarioFile('scenarios/baseline.json');
    const ops = 30;
    const arbitrary = scenarioCommands({ ...scenario, workload: { ...scenario.workload, ops } });
    const lengths = fc.sample(arbitrary, { numRuns: 300, seed: 42 }).map((commands) => [...commands].length);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(ops);
    // fast-check's default size ('small') never goes past 10 commands.
    expect(Math.max(...lengths)).toBeGreaterThan(20);
    expect(lengths.reduce((a, b) => a + b, 0) / lengths.length).toBeGreaterThan(10);
  });
});
