import { describe, expect, it } from 'vitest';
import { renderJsonReport } from '../../report/json-report.js';
import { runResultFixture } from '../../test-support/run-result-fixture.js';
import { expectationsValidity, judgeExpectations, type Expectation } from '../expectations/expectation.js';
import { mergeValidity } from '../checker/verdict.js';
import { inShard, parseShard, ShardSyntaxError } from '../runner/shard.js';
import { MergeError, mergeShards } from './merge-shards.js';
import type { RunResult } from './result-model.js';

/** What `compare --shard i/n` would write for the fixture's suite: its slice, judged as compare judges it. */
function shardOf(whole: RunResult, index: number, count: number, given: Expectation[]): RunResult {
  const cases = inShard(whole.cases, { index, count });
  const expectations = judgeExpectations(cases, given);
  return { ...whole, cases, expectations, valid: expectationsValidity(expectations), shard: { index, count, ofCases: whole.cases.length } };
}

/** The fixture as compare writes it unsharded. */
function unsharded(given: Expectation[]): RunResult {
  const whole = runResultFixture();
  whole.expectations = judgeExpectations(whole.cases, given);
  whole.valid = expectationsValidity(whole.expectations);
  return whole;
}

describe('sharding', () => {
  it('puts every case in exactly one shard, in the plan order when interleaved back', () => {
    const plan = Array.from({ length: 10 }, (_, i) => i);
    const shards = [1, 2, 3].map((index) => inShard(plan, { index, count: 3 }));
    expect(shards).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1-3', 'x']) expect(() => parseShard(bad), bad).toThrow(ShardSyntaxError);
  });

  for (const count of [1, 2, 3, 4, 5]) {
    it(`merges ${count} shard(s) into the unsharded result, byte for byte (scenario files' expectations)`, () => {
      const whole = unsharded([]);
      // Given last shard first: the merge orders them by index.
      const shards = Array.from({ length: count }, (_, i) => shardOf(whole, count - i, count, []));
      expect(renderJsonReport(mergeShards(shards))).toBe(renderJsonReport(whole));
    });
  }

  it('judges an expectation over every scenario again over the merged cases (it spans shards)', () => {
    // coupled=fail over every scenario: shard 2 holds only baseline/coupled (a pass), so alone it says unmet.
    const given: Expectation[] = [{ target: 'reference:coupled', scenario: '*', expected: 'fail' }];
    const whole = unsharded(given);
    const shards = [1, 2].map((index) => shardOf(whole, index, 2, given));
    expect(shards[1]!.expectations![0]!.met).toBe(false);
    const merged = mergeShards(shards);
    expect(merged.expectations).toEqual([{ ...given[0], actual: false, met: true }]);
    expect(renderJsonReport(merged)).toBe(renderJsonReport(whole));
  });

  it('folds every shard\'s thresholds into the validity', () => {
    const whole = runResultFixture();
    delete whole.expectations;
    // Every verdict held; only baseline/coupled's threshold is unmet.
    whole.cases = whole.cases.map((c) => ({ ...c, valid: true }));
    whole.cases[2]!.thresholds = [{ threshold: 'ack-p99<=10ms', from: 'command line', metric: 'ack-p99', actual: 48.5, valid: false }];
    const shards = [1, 2].map((index) => {
      const cases = inShard(whole.cases, { index, count: 2 });
      return { ...whole, cases, valid: mergeValidity(cases.map((c) => c.valid)), shard: { index, count: 2, ofCases: 4 } };
    });
    expect(shards.map((s) => s.valid)).toEqual([true, true]);
    expect(mergeShards(shards).valid).toBe(false);
  });

  it('refuses a missing, doubled or foreign shard', () => {
    const whole = unsharded([]);
    const [one, two] = [1, 2].map((index) => shardOf(whole, index, 2, []));
    expect(() => mergeShards([one!])).toThrow(/shards 2\/2 missing/);
    expect(() => mergeShards([one!, one!])).toThrow(/shard 1\/2 is given twice/);
    expect(() => mergeShards([one!, { ...two!, seed: 7 }])).toThrow(/differ in seed/);
    expect(() => mergeShards([runResultFixture()])).toThrow(MergeError);
  });
});
