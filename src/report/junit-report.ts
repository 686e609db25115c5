import { basisCells, basisShortfall, BASIS_COLUMNS } from './basis-cells.js';
import { validityLabel } from './case-outcome.js';
import { caseErrorSentence, interruptedSentence } from './case-error-text.js';
import { escapeXml } from './escape-xml.js';
import { INVARIANT_IDS, invariantLabel } from './invariant-legend.js';
import type { CaseResult, ExpectationResult, RunResult } from '../harness/result/result-model.js';
import { resultGrid } from './result-grid.js';
import { expectationSentence } from './result-headline.js';

export interface JunitReportOptions {
  /** Shown in the replay command of a failure; `REPORT_DIR` when absent. */
  reportDir?: string;
  /** Witnesses written per failure (default 20). */
  witnessLimit?: number;
}

interface TestCase {
  name: string;
  /** The element inside <testcase>, already rendered, or none for a pass. */
  outcome?: { kind: 'failure' | 'error' | 'skipped'; xml: string };
}

/**
 * junit.xml: one <testsuite> per scenario x target (classname `<scenario>.<target>`) with one <testcase> per
 * invariant (`I1 durability`); a broken invariant is a <failure> carrying its witnesses, an undecided one an
 * <error>. Then, for compare, a suite `expectations` with one testcase per expectation.
 */
export function renderJunitReport(result: RunResult, options: JunitReportOptions = {}): string {
  const grid = resultGrid(result);
  const suites = grid.scenarios.flatMap((scenario) =>
    grid.targets.flatMap((target) => {
      const c = grid.caseAt(scenario, target);
      return c === undefined ? [] : [caseSuite(c, result, options)];
    }),
  );
  if (result.expectations !== undefined && result.expectations.length > 0) {
    suites.push(suite('expectations', result.expectations.map(expectationCase), [], undefined));
  }
  if (result.interrupted) {
    const xml = element('error', { message: interruptedSentence(result), type: 'INTERRUPTED' });
    suites.push(suite('run', [{ name: 'every case ran', outcome: { kind: 'error', xml } }], [], undefined));
  }
  const totals = suites.reduce(
    (sum, s) => ({ tests: sum.tests + s.tests, failures: sum.failures + s.failures, errors: sum.errors + s.errors, skipped: sum.skipped + s.skipped }),
    { tests: 0, failures: 0, errors: 0, skipped: 0 },
  );
  const took = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({ name: `ackproof ${result.command}`, ...totals, time: Number.isFinite(took) ? took : undefined })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function caseSuite(c: CaseResult, result: RunResult, options: JunitReportOptions) {
  const classname = `${c.scenario}.${c.target}`;
  const properties: [string, string | number | undefined][] = [
    ['case', c.id],
    ['description', c.description],
    ['expected', c.expected],
    ['runs', c.runs],
    ['seed', c.counterexample?.seed ?? result.seed],
    ['path', c.counterexample?.path],
    ['historyFile', c.counterexample?.historyFile ?? c.historyFile],
    ['databaseProbe', result.database.probe?.sentence],
    ...basisProperties(c),
  ];
  if (c.skipped) {
    // Not run: one skipped testcase that says why (never a pass, never an error of the run).
    const why = c.error ? caseErrorSentence(c.error) : 'skipped';
    return suite(classname, [{ name: 'case decided', outcome: { kind: 'skipped', xml: element('skipped', { message: why }) } }], properties, c.durationMs / 1000);
  }
  const cases = INVARIANT_IDS.flatMap((id): TestCase[] => {
    const verdict = c.check.invariants[id];
    if (verdict === undefined) return [];
    const name = invariantLabel(id);
    if (verdict.valid === true) return [{ name }];
    if (verdict.valid === 'unknown') {
      return [{ name, outcome: { kind: 'error', xml: element('error', { message: verdict.summary, type: 'unknown' }, verdict.error) } }];
    }
    const limit = options.witnessLimit ?? 20;
    const lines = verdict.witnesses.slice(0, limit).map((w) => `- ${w.description}`);
    if (verdict.witnesses.length > limit) lines.push(`… and ${verdict.witnesses.length - limit} more`);
    if (c.counterexample !== undefined) {
      lines.push(
        '',
        `seed ${c.counterexample.seed}, path ${c.counterexample.path}, history ${c.counterexample.historyFile}`,
        `replay: ackproof replay ${options.reportDir ?? 'REPORT_DIR'} --case ${c.id}`,
        'shrunk commands:',
        ...c.counterexample.commands.map((command, i) => `  ${i + 1}. ${command}`),
      );
    }
    return [{ name, outcome: { kind: 'failure', xml: element('failure', { message: verdict.summary, type: name }, lines.join('\n')) } }];
  });
  if (c.error !== undefined) {
    // First, so a CI view shows why the case is undecided before the invariants it could not check.
    cases.unshift({ name: 'case decided', outcome: { kind: 'error', xml: element('error', { message: caseErrorSentence(c.error), type: c.error.code }) } });
  }
  const shortfall = basisShortfall(c);
  if (c.basis !== undefined) {
    // The basis is a testcase of its own: a case that tested nothing it is named for is an error, not a quiet pass.
    cases.push(
      shortfall === undefined
        ? { name: 'basis' }
        : { name: 'basis', outcome: { kind: 'error', xml: element('error', { message: shortfall, type: 'unknown' }) } },
    );
  }
  return suite(classname, cases, properties, c.durationMs / 1000);
}

/** The basis as `basis.<column>` properties (none for a result without one). */
function basisProperties(c: CaseResult): [string, string][] {
  if (c.basis === undefined) return [];
  const cells = basisCells(c.basis);
  return BASIS_COLUMNS.map((column, i) => [`basis.${column}`, cells[i] ?? '']);
}

function expectationCase(e: ExpectationResult): TestCase {
  const name = `${e.target} on ${e.scenario === '*' ? 'every scenario' : e.scenario} is ${e.expected.toUpperCase()}`;
  if (e.met) return { name };
  const message = expectationSentence(e);
  return { name, outcome: { kind: 'failure', xml: element('failure', { message, type: `expected ${e.expected}, got ${validityLabel(e.actual)}` }) } };
}

function suite(name: string, cases: TestCase[], properties: [string, string | number | undefined][], time: number | undefined) {
  const counts = {
    tests: cases.length,
    failures: cases.filter((t) => t.outcome?.kind === 'failure').length,
    errors: cases.filter((t) => t.outcome?.kind === 'error').length,
    skipped: cases.filter((t) => t.outcome?.kind === 'skipped').length,
  };
  const present = properties.filter((p): p is [string, string | number] => p[1] !== undefined);
  const lines = [`  <testsuite ${attributes({ name, ...counts, time })}>`];
  if (present.length > 0) {
    lines.push('    <properties>', ...present.map(([key, value]) => `      <property ${attributes({ name: key, value })}/>`), '    </properties>');
  }
  for (const t of cases) {
    const open = `<testcase ${attributes({ classname: name, name: t.name })}`;
    lines.push(t.outcome === undefined ? `    ${open}/>` : `    ${open}>\n      ${t.outcome.xml}\n    </testcase>`);
  }
  lines.push('  </testsuite>');
  return { ...counts, xml: lines.join('\n') };
}

function element(name: string, attrs: Record<string, string>, text?: string): string {
  return text === undefined || text === '' ? `<${name} ${attributes(attrs)}/>` : `<${name} ${attributes(attrs)}>${escapeXml(text, 'text')}</${name}>`;
}

function attributes(attrs: Record<string, string | number | undefined>): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}="${escapeXml(String(value), 'attribute')}"`)
    .join(' ');
}
