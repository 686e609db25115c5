import type { CaseResult, RunResult } from '../harness/result/result-model.js';

/** The scenario x pattern grid of a result, in a stable order: patterns as given, scenarios as first met. */
export interface ResultGrid {
  scenarios: string[];
  patterns: string[];
  caseAt(scenario: string, pattern: string): CaseResult | undefined;
  /** The pattern's cases in scenario order. */
  casesOf(pattern: string): CaseResult[];
}

export function resultGrid(result: RunResult): ResultGrid {
  const scenarios = unique(result.cases.map((c) => c.scenario));
  // A case whose pattern is missing from `patterns` still gets a column rather than vanishing.
  const patterns = unique([...result.patterns, ...result.cases.map((c) => c.pattern)]);
  const byKey = new Map(result.cases.map((c) => [key(c.scenario, c.pattern), c]));
  const caseAt = (scenario: string, pattern: string) => byKey.get(key(scenario, pattern));
  return {
    scenarios,
    patterns,
    caseAt,
    casesOf: (pattern) => scenarios.flatMap((scenario) => caseAt(scenario, pattern) ?? []),
  };
}

function key(scenario: string, pattern: string): string {
  return JSON.stringify([scenario, pattern]);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
