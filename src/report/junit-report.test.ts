import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
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
      testcase: { classname: string; name: string; failure?: { '#text'?: string; message: string }; error?: object }[];
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
    expect(testcases).toHaveLength(4 * 8 + 4);
    expect(root).toMatchObject({ tests: 36, failures: 2, errors: 5 });
    for (const suite of root.testsuite) {
      expect(suite.tests).toBe(suite.testcase.length);
      expect(suite.failures).toBe(suite.testcase.filter((t) => t.failure !== undefined).length);
      expect(suite.errors).toBe(suite.testcase.filter((t) => t.error !== undefined).length);
    }
  });

  it('names testcases `<scenario>.<target>` / `I4 honest acks` and carries the witnesses, escaped and intact', () => {
    const root = parse(renderJunitReport(runResultFixture()));
    const failing = root.testsuite.flatMap((s) => s.testcase).find((t) => t.failure !== undefined && t.classname !== 'expectations');
    expect(failing).toMatchObject({ classname: 'broadcast-throws.reference:coupled', name: 'I4 honest acks' });
    expect(failing?.failure?.message).toBe('1 of 1 failed sends is stored');
    expect(failing?.failure?.['#text']).toContain('alice was told send "alice-2" failed');
    expect(failing?.failure?.['#text']).toContain('alice sends "<b>bold</b> & \\"quoted\\" | piped" to general');
    const unmet = root.testsuite.find((s) => s.name === 'expectations')?.testcase.find((t) => t.failure !== undefined);
    expect(unmet?.name).toBe('reference:decoupled on baseline is PASS');
  });

  it('stays valid XML whatever the texts hold', () => {
    const result = runResultFixture();
    result.cases[0]!.scenario = 'a"b\'c<d>&e';
    result.cases[0]!.description = 'control \u0000\u0007 chars, lone \uD800 surrogate, ]]> end';
    expect(XMLValidator.validate(renderJunitReport(result))).toBe(true);
  });
});

describe('escapeXml', () => {
  it('escapes markup, keeps line breaks in attributes, and replaces characters XML cannot carry', () => {
    expect(escapeXml('a<b>&"\'', 'text')).toBe('a&lt;b&gt;&amp;"\'');
    expect(escapeXml('a<b>&"\'\n', 'attribute')).toBe('a&lt;b&gt;&amp;&quot;&apos;&#10;');
    expect(escapeXml('x\u0000y\uDC00z😀', 'text')).toBe('x\uFFFDy\uFFFDz😀');
  });
});
