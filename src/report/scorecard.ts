import type { LatencySummary } from '../harness/checker/measures.js';
import type { InvariantId } from '../harness/checker/verdict.js';
import type { CaseResult, RunResult } from '../harness/result/result-model.js';
import { INVARIANT_IDS } from './invariant-legend.js';
import { resultGrid, type ResultGrid } from './result-grid.js';
import { targetTotals } from './target-totals.js';

/** One target at a glance: its verdicts, which invariants it kept, and its measures over the compared scenarios. */
export interface TargetScore {
  target: string;
  verdicts: { pass: number; fail: number; unknown: number; skipped: number };
  /** Over the cases that ran: broken in any; undecided in some and broken in none; held in every one. */
  invariants: { held: InvariantId[]; broken: InvariantId[]; unknown: InvariantId[] };
  /** The rest are over `Scorecard.compared` only, so that targets are compared like with like; null when none. */
  liveDelivery: number | null;
  /** The worst scenario's percentile (percentiles of different runs cannot be added up). */
  ackP50: number | null;
  ackP99: number | null;
  stableP99: number | null;
}

export interface Scorecard {
  targets: TargetScore[];
  /** The scenarios every target ran, none skipped, with the same number of runs: what the measure columns cover. */
  compared: string[];
  /** One sentence per scenario left out of the measure columns, saying why. */
  leftOut: string[];
}

/**
 * The scorecard at the top of every report. Verdict counts cover every case; the measure columns cover only the
 * scenarios all targets ran alike, because a total over different scenarios or runs ranks the systems by what was
 * run, not by how they behaved (a target that stopped at its counterexample after 3 runs is not comparable with one
 * that ran 25).
 */
export function scorecard(result: RunResult): Scorecard {
  const grid = resultGrid(result);
  const { compared, leftOut, measuredTargets } = comparison(grid);
  const targets = grid.targets.map((target): TargetScore => {
    const cases = grid.casesOf(target);
    const ran = cases.filter((c) => !c.skipped);
    const measured = measuredTargets.includes(target) ? compared.flatMap((scenario) => grid.caseAt(scenario, target) ?? []) : [];
    return {
      target,
      verdicts: {
        pass: ran.filter((c) => c.valid === true).length,
        fail: ran.filter((c) => c.valid === false).length,
        unknown: ran.filter((c) => c.valid === 'unknown').length,
        skipped: cases.length - ran.length,
      },
      invariants: invariantTally(ran),
      liveDelivery: measured.length === 0 ? null : targetTotals(measured).liveDeliveryRate,
      ackP50: worst(measured, (c) => c.check.measures.ackLatencyMs),
      ackP99: worst(measured, (c) => c.check.measures.ackLatencyMs, 'p99'),
      stableP99: worst(measured, (c) => c.check.measures.stableLatencyMs, 'p99'),
    };
  });
  return { targets, compared, leftOut };
}

/** `held 7 · broken I4` style counts, shared by the renderers. */
export function invariantSummary(score: TargetScore): string {
  const parts = [`held ${score.invariants.held.length}`];
  if (score.invariants.broken.length > 0) parts.push(`broken ${score.invariants.broken.join(' ')}`);
  if (score.invariants.unknown.length > 0) parts.push(`unknown ${score.invariants.unknown.join(' ')}`);
  return parts.join(' · ');
}

/** `3 pass · 1 fail · 1 skipped` (zero counts left out). */
export function verdictSummary(score: TargetScore): string {
  const v = score.verdicts;
  const parts = [
    [v.pass, 'pass'],
    [v.fail, 'fail'],
    [v.unknown, 'unknown'],
    [v.skipped, 'skipped'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
  return shown.length > 0 ? shown.join(' · ') : 'no cases';
}

/** What the measure columns cover, as one sentence (every report prints it under the scorecard). */
export function comparedSentence(card: Scorecard, scenarioCount: number): string {
  if (card.compared.length === 0) return `Measures not shown: no scenario ran alike on every target (${card.leftOut.join('; ')}).`;
  if (card.compared.length === scenarioCount && card.leftOut.length > 0) {
    return `Measures over all ${scenarioCount} scenarios, which the measured targets ran with the same runs (latencies: the worst scenario); ${card.leftOut.join('; ')}.`;
  }
  if (card.leftOut.length === 0) {
    const all = scenarioCount === 1 ? 'the one scenario' : `all ${scenarioCount} scenarios`;
    return card.targets.length > 1
      ? `Measures over ${all}, which every target ran with the same runs (latencies: the worst scenario).`
      : `Measures over ${all} (latencies: ${scenarioCount === 1 ? 'its' : 'the worst scenario\'s'} percentiles).`;
  }
  return `Measures over ${card.compared.length} of ${scenarioCount} scenarios, the ones every target ran alike (latencies: the worst scenario); left out: ${card.leftOut.join('; ')}.`;
}

/**
 * Which targets and scenarios the measure columns compare. All targets over the scenarios they all ran alike; when
 * there is none because some targets stopped early at a counterexample (coupled does, in every scenario that breaks
 * it), the targets that did not, over the scenarios they ran alike, and the others are named as not measured.
 */
function comparison(grid: ResultGrid): { compared: string[]; leftOut: string[]; measuredTargets: string[] } {
  const all = comparedScenarios(grid, grid.targets);
  if (all.compared.length > 0) return { ...all, measuredTargets: grid.targets };
  const stopped = grid.targets.filter((t) => grid.casesOf(t).some((c) => c.counterexample !== undefined));
  const others = grid.targets.filter((t) => !stopped.includes(t));
  const rest = others.length > 0 && stopped.length > 0 ? comparedScenarios(grid, others) : undefined;
  if (rest === undefined || rest.compared.length === 0) return { ...all, measuredTargets: grid.targets };
  const why = `${stopped.join(', ')} not measured (stopped early at a counterexample, so no scenario ran alike on every target)`;
  return { compared: rest.compared, leftOut: [why, ...rest.leftOut], measuredTargets: others };
}

function comparedScenarios(grid: ResultGrid, targets: readonly string[]): { compared: string[]; leftOut: string[] } {
  const compared: string[] = [];
  const leftOut: string[] = [];
  for (const scenario of grid.scenarios) {
    const cases = targets.map((target) => ({ target, c: grid.caseAt(scenario, target) }));
    const missing = cases.filter((x) => x.c === undefined).map((x) => x.target);
    const skipped = cases.filter((x) => x.c?.skipped).map((x) => x.target);
    const runs = new Set(cases.map((x) => x.c?.runs));
    if (missing.length > 0) leftOut.push(`${scenario} did not run on ${missing.join(', ')}`);
    else if (skipped.length > 0) leftOut.push(`${scenario} was skipped on ${skipped.join(', ')}`);
    else if (cases.every((x) => x.c!.runs === 0)) leftOut.push(`${scenario} finished no run`);
    else if (runs.size > 1) leftOut.push(`${scenario} ran ${cases.map((x) => `${x.c!.runs} on ${x.target}`).join(', ')}${stopReason(cases.map((x) => x.c!))}`);
    else compared.push(scenario);
  }
  return { compared, leftOut };
}

function stopReason(cases: CaseResult[]): string {
  return cases.some((c) => c.counterexample !== undefined) ? ' (a counterexample stops a case early)' : '';
}

function invariantTally(cases: CaseResult[]): TargetScore['invariants'] {
  const tally: TargetScore['invariants'] = { held: [], broken: [], unknown: [] };
  for (const id of INVARIANT_IDS) {
    const verdicts = cases.flatMap((c) => c.check.invariants[id] ?? []);
    if (verdicts.length === 0) continue;
    if (verdicts.some((v) => v.valid === false)) tally.broken.push(id);
    else if (verdicts.some((v) => v.valid === 'unknown')) tally.unknown.push(id);
    else tally.held.push(id);
  }
  return tally;
}

function worst(cases: CaseResult[], of: (c: CaseResult) => LatencySummary | undefined, key: 'p50' | 'p99' = 'p50'): number | null {
  const values = cases.flatMap((c) => of(c)?.[key] ?? []);
  return values.length === 0 ? null : Math.max(...values);
}
