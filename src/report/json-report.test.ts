import { describe, expect, it } from 'vitest';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { renderJsonReport } from './json-report.js';

describe('renderJsonReport', () => {
  it('is the RunResult as it is', () => {
    const result = runResultFixture();
    expect(JSON.parse(renderJsonReport(result))).toEqual(result);
  });

  it('keeps the same key order whatever order the objects were built in', () => {
    const result = runResultFixture();
    expect(renderJsonReport(reverseKeys(result))).toBe(renderJsonReport(result));
  });

  it('opens with the summary fields and leaves the cases last', () => {
    const keys = Object.keys(JSON.parse(renderJsonReport(runResultFixture())) as object);
    expect(keys).toEqual([
      'formatVersion',
      'tool',
      'command',
      'seed',
      'startedAt',
      'finishedAt',
      'database',
      'runsPerCase',
      'targets',
      'valid',
      'expectations',
      'cases',
    ]);
  });

  it('is pretty-printed and ends with a newline', () => {
    const text = renderJsonReport(runResultFixture());
    expect(text.startsWith('{\n  "formatVersion": 2,\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, v]) => [key, reverseKeys(v)])) as T;
}
