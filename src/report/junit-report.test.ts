import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { expectationsValidity } from '../harness/expectations/expectation.js';
import { judgeThresholds } from '../harness/thresholds/judge-thresholds.js';
import { parseThreshold } from '../harness/thresholds/threshold.js';
import { mergeValidity, type Validity } from '../harness/checker/verdict.js';
import type { RunResult } from '../harness/result/result-model.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { escapeXml } from './escape-xml.js';
import { renderJunitReport } from './junit-report.js';

interface Parsed {
  testsuites: {
    tests: number;
    failures: number;
    errors: number;
    testsuite: {
      name: string;
      tests: number;
      failures: number;
      errors: number;
      testcase: { classname: string; name: string; failure?: { '#text'?: string; message: string }; error?: object; 'system-out'?: string }[];
    }[];
  };
}

function parse(xml: string): Parsed['testsuites'] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: true,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  return (parser.parse(xml) as Parsed).testsuites;
}

describe('renderJunitReport', () => {
  it('matches the reviewed golden file', async () => {
    await expect(renderJunitReport(runResultFixture())).toMatchFileSnapshot('./golden/junit.xml');
  });

  it('is valid XML with one testcase per scenario x target x invariant, plus one per expectation', () => {
    const xml = renderJunitReport(runResultFixture());
    expect(XMLValidator.validate(xml)).toBe(true);
    const root = parse(xml);
    const testcases = root.testsuite.flatMap((s) => s.testcase);
    expect(testcases).toHaveLength(4 * 9 + 4);
    expect(root).toMatchObject({ tests: 40, failures: 0, errors: 6 });
    for (const suite of root.testsuite) {
      expect(suite.tests).toBe(suite.testcase.length);
      expect(suite.failures).toBe(suite.testcase.filter((t) => t.failure !== undefined).length);
      expect(suite.errors).toBe(suite.testcase.filter((t) => t.error !== undefined).length);
    }
  });

  it('names testcases `<scenario>.<target>` / `I4 honest acks` and carries the witnesses, escaped and intact', () => {
    const result = runResultFixture();
    result.expectations![0] = { ...result.expectations![0]!, actual: true, met: false };
    const root = parse(renderJunitReport(result));
    const failing = root.testsuite.flatMap((s) => s.testcase).find((t) => t.failure !== undefined && t.classname !== 'expectations');
    expect(failing).toMatchObject({ classname: 'broadcast-throws.reference:coupled', name: 'I4 honest acks' });
    expect(failing?.failure?.message).toBe('1 of 1 failed sends is stored');
    expect(failing?.failure?.['#text']).toContain('alice was told send "alice-2" failed');
    expect(failing?.failure?.['#text']).toContain('alice sends "<b>bold</b> & \\"quoted\\" | piped" to general');
    const unmet = root.testsuite.find((s) => s.name === 'expectations')?.testcase.find((t) => t.failure !== undefined);
    expect(unmet?.name).toBe('reference:coupled on broadcast-throws is FAIL');
  });

  it('stays valid XML whatever the texts hold', () => {
    const result = runResultFixture();
    result.cases[0]!.scenario = 'a"b\'c<d>&e';
    result.cases[0]!.description = 'control \u0000\u0007 chars, lone \uD800 surrogate, ]]> end';
    expect(XMLValidator.validate(renderJunitReport(result))).toBe(true);
  });
});

/** What a CI reading junit.xml concludes: red with a failure, undecided with only errors, else green. */
function ciVerdict(xml: string): Validity {
  const root = parse(xml);
  return root.failures > 0 ? false : root.errors > 0 ? 'unknown' : true;
}

describe('renderJunitReport agrees with the exit code', () => {
  const cases: [string, (r: RunResult) => void, string[]?][] = [
    ['compare, one expectation unmet because undecided (exit 2)', () => {}],
    ['compare, every expectation met, coupled failing as expected (exit 0)', (r) => {
      r.expectations = r.expectations!.map((e) => ({ ...e, actual: e.expected === 'pass', met: true }));
      r.valid = true;
    }],
    ['compare, decoupled expected to pass but failed (exit 1)', (r) => {
      r.expectations![1] = { ...r.expectations![1]!, actual: false, met: false };
      r.valid = false;
    }],
    ['run, no expectations judged, coupled broke I4 (exit 1)', (r) => {
      delete r.expectations;
      r.command = 'run';
      r.valid = false;
    }],
    ['compare, every expectation met, but a threshold unmet (exit 1)', (r) => {
      r.expectations = r.expectations!.map((e) => ({ ...e, actual: e.expected === 'pass', met: true }));
    }, ['decoupled:live-delivery>=0.9']],
    ['run, every case held, a threshold met (exit 0)', (r) => {
      delete r.expectations;
      r.cases = r.cases.filter((c) => c.valid === true);
    }, ['live-delivery>=0.8']],
  ];
  for (const [name, change, thresholds = []] of cases) {
    it(name, () => {
      const changed = runResultFixture();
      change(changed);
      // As the CLI decides the exit code: compare's follows its expectations, run's the verdicts; then thresholds.
      const decided = { ...changed, valid: changed.expectations ? expectationsValidity(changed.expectations) : mergeValidity(changed.cases.map((c) => c.valid)) };
      const result = judgeThresholds(decided, thresholds.map(parseThreshold));
      expect(ciVerdict(renderJunitReport(result))).toBe(result.valid);
    });
  }

  it('an expected failure, met, is a passing testcase that says what was expected and what broke', () => {
    const root = parse(renderJunitReport(runResultFixture()));
    const i4 = root.testsuite.find((s) => s.name === 'broadcast-throws.reference:coupled')!.testcase.find((t) => t.name === 'I4 honest acks')!;
    expect(i4.failure).toBeUndefined();
    expect(i4['system-out']).toContain('broken; expected: reference:coupled on broadcast-throws is FAIL (met)');
    expect(i4['system-out']).toContain('alice was told send "alice-2" failed');
    // The unmet one (decoupled on baseline, undecided) keeps its errors, and is an error, not a failure.
    const baseline = root.testsuite.find((s) => s.name === 'baseline.reference:decoupled')!;
    expect(baseline.errors).toBe(5);
    const unmet = root.testsuite.find((s) => s.name === 'expectations')!.testcase.find((t) => t.name === 'reference:decoupled on baseline is PASS')!;
    expect(unmet.error).toBeDefined();
    expect(unmet.failure).toBeUndefined();
  });
});

describe('escapeXml', () => {
  it('escapes markup, keeps line breaks in attributes, and replaces characters XML cannot carry', () => {
    expect(escapeXml('a<b>&"\'', 'text')).toBe('a&lt;b&gt;&amp;"\'');
    expect(escapeXml('a<b>&"\'\n', 'attribute')).toBe('a&lt;b&gt;&amp;&quot;&apos;&#10;');
    expect(escapeXml('x\u0000y\uDC00z😀', 'text')).toBe('x\uFFFDy\uFFFDz😀');
  });
});
