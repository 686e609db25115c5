import { describe, expect, it } from 'vitest';
import type { RunResult } from '../result/result-model.js';
import { runResultFixture } from '../../test-support/run-result-fixture.js';
import { loadScenarioFile } from '../scenario/load-scenarios.js';
import { judgeThresholds } from './judge-thresholds.js';
import { parseThreshold, ThresholdSyntaxError } from './threshold.js';

describe('parseThreshold', () => {
  it('reads k6-style thresholds in base units, with an optional target or scenario/target scope', () => {
    expect(parseThreshold('live-delivery>=0.99')).toEqual({ text: 'live-delivery>=0.99', metric: 'live-delivery', op: '>=', limit: 0.99 });
    expect(parseThreshold('ack-p99<=500ms').limit).toBe(500);
    expect(parseThreshold('ack-p99 < 0.5s').limit).toBe(500);
    expect(parseThreshold('live-delivery>=99%').limit).toBeCloseTo(0.99);
    expect(parseThreshold('reference:outbox:live-delivery>=0.99')).toMatchObject({ target: 'reference:outbox' });
    expect(parseThreshold('outbox:never-delivered==0')).toMatchObject({ target: 'outbox', metric: 'never-delivered', limit: 0 });
    expect(parseThreshold('broadcast-window/outbox:live-delivery>0.9')).toMatchObject({ scenario: 'broadcast-window', target: 'outbox' });
  });

  it('refuses what it cannot read, saying how to write it', () => {
    for (const bad of ['live-delivery>=1.5', 'live-delivery=>0.9', 'latency<=5ms', 'ack-p99<=5%', 'never-delivered<=1ms', 'Bad Target:ack-p99<5']) {
      expect(() => parseThreshold(bad), bad).toThrow(ThresholdSyntaxError);
    }
    expect(() => parseThreshold('latency<=5ms')).toThrow(/metrics: live-delivery, ack-p50/);
  });
});

describe('judgeThresholds', () => {
  const judged = (result: RunResult, ...texts: string[]) => judgeThresholds(result, texts.map(parseThreshold));

  it('judges each case in scope; an unmet threshold fails the run, even one whose verdicts all held', () => {
    const result = runResultFixture();
    delete result.expectations;
    result.cases = result.cases.filter((c) => c.valid === true);
    result.valid = true;
    // decoupled's broadcast-throws delivered 87.1% live; coupled's baseline 100%.
    const out = judged(result, 'live-delivery>=0.95');
    expect(out.valid).toBe(false);
    expect(out.cases.map((c) => c.thresholds?.map((t) => t.valid))).toEqual([[false], [true]]);
    expect(out.cases[0]!.thresholds![0]).toMatchObject({ threshold: 'live-delivery>=0.95', from: 'command line', actual: 0.871 });
    // Scoped to coupled only (by pattern name): met, and the run stays valid.
    const scoped = judged(result, 'coupled:live-delivery>=0.95');
    expect(scoped.valid).toBe(true);
    expect(scoped.cases[0]!.thresholds).toBeUndefined();
  });

  it('is unknown when nothing was measured, and skips skipped cases', () => {
    const result = runResultFixture();
    result.valid = true;
    result.cases[0]!.check.measures.stableLatencyMs = undefined;
    result.cases[1]!.skipped = true;
    const out = judged(result, 'broadcast-throws/stable-p99<=1s');
    expect(out.cases[0]!.thresholds![0]!.valid).toBe('unknown');
    expect(out.cases[1]!.thresholds).toBeUndefined();
    expect(out.valid).toBe('unknown');
  });

  it('applies the thresholds the scenario file declares for the case\'s target', async () => {
    const { scenario } = await loadScenarioFile('scenarios/broadcast-window.json');
    expect(scenario.thresholds.outbox).toEqual(['live-delivery>=0.99']);
    const result = runResultFixture();
    result.valid = true;
    const outbox = { ...result.cases[1]!, target: 'reference:outbox', scenarioSpec: scenario };
    result.cases = [outbox, { ...result.cases[1]!, scenarioSpec: scenario }];
    const out = judgeThresholds(result, []);
    // outbox at 87.1% live fails its scenario's threshold; decoupled has none.
    expect(out.cases[0]!.thresholds).toEqual([{ threshold: 'live-delivery>=0.99', from: 'scenario', metric: 'live-delivery', actual: 0.871, valid: false }]);
    expect(out.cases[1]!.thresholds).toBeUndefined();
    expect(out.valid).toBe(false);
  });
});
