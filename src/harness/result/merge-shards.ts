import { expectationsValidity, judgeExpectations, type Expectation } from '../expectations/expectation.js';
import { mergeValidity } from '../checker/verdict.js';
import { interleaveShards } from '../runner/shard.js';
import type { RunResult } from './result-model.js';

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

/**
 * One result from the results of `--shard 1/n` ... `n/n` of the same suite (same seed, targets and command): the
 * cases back in the unsharded order, expectations judged again over all of them (an expectation over every scenario
 * spans shards), and the validity decided as the unsharded run would have: the cases' verdicts (or, when expectations
 * were judged, those), then every threshold.
 */
export function mergeShards(results: readonly RunResult[]): RunResult {
  const first = results[0];
  if (first === undefined) throw new MergeError('nothing to merge: give the report directories of every shard');
  const count = first.shard?.count;
  if (count === undefined) throw new MergeError('not a shard: a result without `shard` (run with --shard i/n) has nothing to merge with');
  for (const r of results) {
    const differs = (['command', 'seed', 'runsPerCase'] as const).find((key) => r[key] !== first[key]);
    if (differs) throw new MergeError(`the shards differ in ${differs} (${String(first[differs])} vs ${String(r[differs])}): not one suite`);
    if (r.targets.join(',') !== first.targets.join(',')) throw new MergeError(`the shards differ in targets (${first.targets.join(',')} vs ${r.targets.join(',')})`);
    if (r.shard?.count !== count) throw new MergeError(`a shard of ${r.shard?.count ?? 'no'} among shards of ${count}`);
  }
  const byIndex = new Map<number, RunResult>();
  for (const r of results) {
    if (byIndex.has(r.shard!.index)) throw new MergeError(`shard ${r.shard!.index}/${count} is given twice`);
    byIndex.set(r.shard!.index, r);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new MergeError(`shards ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merged report must hold every case`);
  const ordered = Array.from({ length: count }, (_, i) => byIndex.get(i + 1)!);
  const cases = interleaveShards(ordered.map((r) => r.cases));
  const interrupted = ordered.some((r) => r.interrupted);
  const { shard: _shard, expectations: _expectations, ...rest } = first;
  const merged: RunResult = {
    ...rest,
    startedAt: ordered.map((r) => r.startedAt).sort()[0]!,
    finishedAt: ordered.map((r) => r.finishedAt).sort().at(-1)!,
    cases,
    valid: mergeValidity(cases.filter((c) => !c.skipped).map((c) => c.valid)),
    ...(interrupted ? { interrupted: true as const } : {}),
  };
  if (ordered.some((r) => r.expectations !== undefined)) {
    merged.expectations = judgeExpectations(cases, givenExpectations(ordered));
    merged.valid = expectationsValidity(merged.expectations);
  }
  const thresholds = cases.flatMap((c) => c.thresholds ?? []).map((t) => t.valid);
  if (thresholds.length > 0) merged.valid = mergeValidity([merged.valid, ...thresholds]);
  return merged;
}

/**
 * The expectations the shards were given (--expect): the same list in every shard. Otherwise each shard judged its
 * own cases' expectations (from their scenario files), and so does the merge: none given.
 */
function givenExpectations(shards: readonly RunResult[]): Expectation[] {
  const lists = shards.map((r) => (r.expectations ?? []).map(({ target, scenario, expected }) => ({ target, scenario, expected })));
  const same = lists.every((list) => JSON.stringify(list) === JSON.stringify(lists[0]));
  return same ? lists[0]! : [];
}
