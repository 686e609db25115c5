import { basisCells, basisShortfall, BASIS_COLUMNS } from './basis-cells.js';
import { validityLabel } from './case-outcome.js';
import { caseErrorSentence, interruptedSentence } from './case-error-text.js';
import { escapeXml } from './escape-xml.js';
import { INVARIANT_IDS, invariantLabel } from './invariant-legend.js';
import type { CaseResult, ExpectationResult, RunResult } from '../harness/result/result-model.js';
import { resultGrid } from './result-grid.js';
import { expectationSentence } from './result-headline.js';
import { thresholdLines, type ThresholdLine } from './threshold-lines.js';

export interface JunitReportOptions {
  /** Shown in the replay command of a failure; `REPORT_DIR` when absent. */
  reportDir?: string;
  /** Witnesses written per failure (default 20). */
  witnessLimit?: number;
}

/** A <failure>, <error> or <skipped> element: its attributes and text. */
interface Outcome {
  kind: 'failure' | 'error' | 'skipped';
  message: string;
  type?: string;
  text?: string;
}

interface TestCase {
  name: string;
  /** The element inside <testcase>, already rendered, or none for a pass. */
  outcome?: Outcome;
  /** <system-out>: what a passing testcase wants said (an expected failure, met). */
  output?: string;
}

/**
 * junit.xml: one <testsuite> per scenario x target (classname `<scenario>.<target>`) with one <testcase> per
 * invariant (`I1 durability`); a broken invariant is a <failure> carrying its witnesses, an undecided one an
 * <error>. Then, for compare, a suite `expectations` with one testcase per expectation.
 *
 * It agrees with the exit code: when the result judged expectations (compare), they decide, so a case's broken or
 * undecided invariants are failures and errors only where an unmet expectation covers the case; elsewhere (an
 * expected failure, met, or a case no expectation covers) the testcase passes and its <system-out> says what was
 * found and what was expected. An unmet expectation is the failure (an error when it is unmet because undecided).
 */
export function renderJunitReport(result: RunResult, options: JunitReportOptions = {}): string {
  const grid = resultGrid(result);
  const suites = grid.scenarios.flatMap((scenario) =>
    grid.targets.flatMap((target) => {
      const c = grid.caseAt(scenario, target);
      return c === undefined ? [] : [caseSuite(c, result, options)];
    }),
  );
  const thresholds = thresholdLines(result);
  if (thresholds.length > 0) {
    // Always decisive: thresholds are in the exit code whether or not expectations are judged.
    suites.push(suite('thresholds', thresholds.map(thresholdCase), [], undefined));
  }
  if (result.expectations !== undefined && result.expectations.length > 0) {
    suites.push(suite('expectations', result.expectations.map(expectationCase), [], undefined));
  }
  if (result.interrupted) {
    const outcome: Outcome = { kind: 'error', message: interruptedSentence(result), type: 'INTERRUPTED' };
    suites.push(suite('run', [{ name: 'every case ran', outcome }], [], undefined));
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
  return judgedSuite(c, result, plainCaseSuite(c, result, options));
}

/** In a judged result, the case's failures and errors count only where an unmet expectation covers it. */
function judgedSuite(c: CaseResult, result: RunResult, built: { name: string; cases: TestCase[]; properties: Property[]; time: number }) {
  if (result.expectations === undefined || c.skipped) return suite(built.name, built.cases, built.properties, built.time);
  const covering = result.expectations.filter((e) => e.target === c.target && (e.scenario === '*' || e.scenario === c.scenario));
  if (covering.some((e) => !e.met)) return suite(built.name, built.cases, built.properties, built.time);
  const why =
    covering.length > 0
      ? `expected: ${covering.map((e) => `${expectationName(e)} (met)`).join('; ')}`
      : 'not judged: no expectation covers this case, and the exit code follows the expectations';
  const cases = built.cases.map((t): TestCase => {
    if (t.outcome === undefined || t.outcome.kind === 'skipped') return t;
    const found = [t.outcome.message, t.outcome.text].filter(Boolean).join('\n');
    return { name: t.name, output: `${t.outcome.kind === 'failure' ? 'broken' : 'undecided'}; ${why}\n${found}` };
  });
  return suite(built.name, cases, built.properties, built.time);
}

type Property = [string, string | number | undefined];

function plainCaseSuite(c: CaseResult, result: RunResult, options: JunitReportOptions) {
  const classname = `${c.scenario}.${c.target}`;
  const properties: Property[] = [
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
    return { name: classname, cases: [{ name: 'case decided', outcome: { kind: 'skipped' as const, message: why } }], properties, time: c.durationMs / 1000 };
  }
  const cases = INVARIANT_IDS.flatMap((id): TestCase[] => {
    const verdict = c.check.invariants[id];
    if (verdict === undefined) return [];
    const name = invariantLabel(id);
    if (verdict.valid === true) return [{ name }];
    if (verdict.valid === 'unknown') {
      return [{ name, outcome: { kind: 'error', message: verdict.summary, type: 'unknown', text: verdict.error } }];
    }
    const limit = options.witnessLimit ?? 20;
    const lines = verdict.witnesses.slice(0, limit).map((w) => `- ${w.description}`);
    if (verdict.witnesses.length > limit) lines.push(`… and ${verdict.witnesses.length - limit} more`);
    if (c.counterexample !== undefined) {
      lines.push(
        '',
        `path ${c.counterexample.path}, history ${c.counterexample.historyFile}`,
        `replay: ackproof replay ${options.reportDir ?? 'REPORT_DIR'} --case ${c.id}`,
        'shrunk commands:',
        ...c.counterexample.commands.map((command, i) => `  ${i + 1}. ${command}`),
      );
    }
    return [{ name, outcome: { kind: 'failure', message: verdict.summary, type: name, text: lines.join('\n') } }];
  });
  if (c.error !== undefined) {
    // First, so a CI view shows why the case is undecided before the invariants it could not check.
    cases.unshift({ name: 'case decided', outcome: { kind: 'error', message: caseErrorSentence(c.error), type: c.error.code } });
  }
  const shortfall = basisShortfall(c);
  if (c.basis !== undefined) {
    // The basis is a testcase of its own: a case that tested nothing it is named for is an error, not a quiet pass.
    cases.push(
      shortfall === undefined
        ? { name: 'basis' }
        : { name: 'basis', outcome: { kind: 'error', message: shortfall, type: 'unknown' } },
    );
  }
  return { name: classname, cases, properties, time: c.durationMs / 1000 };
}

/** The basis as `basis.<column>` properties (none for a result without one). */
function basisProperties(c: CaseResult): [string, string][] {
  if (c.basis === undefined) return [];
  const cells = basisCells(c.basis);
  return BASIS_COLUMNS.map((column, i) => [`basis.${column}`, cells[i] ?? '']);
}

function thresholdCase(x: ThresholdLine): TestCase {
  const name = `${x.c.scenario}.${x.c.target}: ${x.t.threshold}`;
  if (x.label === 'PASS') return { name, output: x.sentence };
  return { name, outcome: { kind: x.label === 'FAIL' ? 'failure' : 'error', message: x.sentence, type: x.label === 'FAIL' ? 'threshold unmet' : 'unknown' } };
}

function expectationName(e: ExpectationResult): string {
  return `${e.target} on ${e.scenario === '*' ? 'every scenario' : e.scenario} is ${e.expected.toUpperCase()}`;
}

/** Unmet because the case could not decide: an error (exit 2), not a failure (exit 1). */
function expectationCase(e: ExpectationResult): TestCase {
  const name = expectationName(e);
  if (e.met) return { name, output: `expected ${e.expected.toUpperCase()}, got ${validityLabel(e.actual)}` };
  const kind = e.actual === 'unknown' ? 'error' : 'failure';
  const message = expectationSentence(e);
  return { name, outcome: { kind, message, type: `expected ${e.expected}, got ${validityLabel(e.actual)}` } };
}

function suite(name: string, cases: TestCase[], properties: Property[], time: number | undefined) {
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
    const inner = [t.outcome && outcomeXml(t.outcome), t.output === undefined ? undefined : `<system-out>${escapeXml(t.output, 'text')}</system-out>`].filter((x) => x !== undefined);
    lines.push(inner.length === 0 ? `    ${open}/>` : `    ${open}>\n${inner.map((x) => `      ${x}`).join('\n')}\n    </testcase>`);
  }
  lines.push('  </testsuite>');
  return { ...counts, xml: lines.join('\n') };
}

function outcomeXml(o: Outcome): string {
  return element(o.kind, { message: o.message, ...(o.type !== undefined ? { type: o.type } : {}) }, o.text);
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
