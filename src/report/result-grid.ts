import type { CaseResult, RunResult } from '../harness/result/result-model.js';

/** The scenario x target grid of a result, in a stable order: targets as given, scenarios as first met. */
export interface ResultGrid {
  scenarios: string[];
  targets: string[];
  caseAt(scenario: string, target: string): CaseResult | undefined;
  /** The target's cases in scenario order. */
  casesOf(target: string): CaseResult[];
}

export function resultGrid(result: RunResult): ResultGrid {
  const scenarios = unique(result.cases.map((c) => c.scenario));
  // A case whose target is missing from `targets` still gets a column rather than vanishing.
  const targets = unique([...result.targets, ...result.cases.map((c) => c.target)]);
  const byKey = new Map(result.cases.map((c) => [key(c.scenario, c.target), c]));
  const caseAt = (scenario: string, target: string) => byKey.get(key(scenario, target));
  return {
    scenarios,
    targets,
    caseAt,
    casesOf: (target) => scenarios.flatMap((scenario) => caseAt(scenario, target) ?? []),
  };
}

function key(scenario: string, target: string): string {
  return JSON.stringify([scenario, target]);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
