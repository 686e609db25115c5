import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { basisOf } from '../harness/checker/basis.js';
import { judgeBasis, verdictOnBasis } from '../harness/checker/basis-requirements.js';
import type { HistoryEvent } from '../history/event.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { basisCells, basisShortfall } from './basis-cells.js';
import { renderHtmlReport } from './html-report.js';
import { renderJunitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import type { RunResult } from '../harness/result/result-model.js';
import { renderTerminalReport } from './terminal-report.js';

/** Two overlapping writes (one ended unknown), a db.response-lost window over the second. */
const history: HistoryEvent[] = [
  { type: 'invoke', time: 10, process: 'alice', op: 0, kind: 'send', roomId: 'general', clientMsgId: 'a1', text: 'a1' },
  { type: 'invoke', time: 12, process: 'bob', op: 1, kind: 'send', roomId: 'general', clientMsgId: 'b1', text: 'b1' },
  { type: 'complete', time: 20, process: 'alice', op: 0, status: 'ok' },
  { type: 'fault', time: 21, fault: 'db.response-lost', phase: 'start', target: 'database' },
  { type: 'complete', time: 30, process: 'bob', op: 1, status: 'info' },
  { type: 'fault', time: 40, fault: 'db.response-lost', phase: 'heal', target: 'database' },
];
const basis = basisOf([{ history, commands: 4 }, { history, commands: 2 }]);

/** The fixture with a basis on every case: baseline/reference:coupled's falls short of what its scenario requires. */
function withBases(): RunResult {
  const result = runResultFixture();
  for (const c of result.cases) {
    const short = c.id === 'baseline/reference:coupled';
    c.basis = judgeBasis(basis, {
      faultedWrites: short ? { 'ws.reset': 1 } : { 'db.response-lost': 1 },
      unknownOutcomes: short ? 5 : 1,
      concurrentWrites: 0,
      commandsPerRun: 0,
    });
    c.valid = verdictOnBasis(c.valid, c.basis);
  }
  return result;
}

describe('the basis in every report', () => {
  it('reads as cells: runs, commands per run, writes, outcomes, concurrent writes, faults', () => {
    expect(basisCells(judgeBasis(basis, { faultedWrites: {}, unknownOutcomes: 0, concurrentWrites: 0, commandsPerRun: 0 }))).toEqual([
      '2',
      '2/3/4',
      '4',
      '2/0/2',
      '4',
      'db.response-lost 2×, 2',
    ]);
  });

  it('a skipped case names its skip, never a shortfall of what it did not run', () => {
    const result = withBases();
    const skipped = result.cases.find((c) => c.id === 'baseline/reference:coupled')!;
    Object.assign(skipped, { skipped: true, valid: 'unknown', error: { code: 'NOT_SUPPORTED', message: 'skipped: no broker' } });
    expect(basisShortfall(skipped)).toBeUndefined();
    expect(renderTerminalReport(result, { color: false })).not.toContain('not enough happened');
  });

  it('terminal: a basis table, and the shortfall of a case it made unknown', () => {
    const result = withBases();
    expect(result.cases.find((c) => c.id === 'baseline/reference:coupled')?.valid).toBe('unknown');
    const text = renderTerminalReport(result, { color: false });
    expect(text).toContain('Basis per case');
    expect(text).toMatch(/broadcast-throws +reference:coupled +2 +2\/3\/4 +4 +2\/0\/2 +4 +db\.response-lost 2×, 2/);
    expect(text).toMatch(/UNKNOWN baseline \/ reference:coupled[\s\S]*basis: not enough happened to decide: fault ws\.reset never opened \(1 faulted write required\); 2 unknown outcomes \(info\) \(5 required\)/);
  });

  it('summary.md: a basis table and the shortfall', () => {
    const md = renderMarkdownReport(withBases());
    expect(md).toContain('### Basis per case');
    expect(md).toContain('| baseline | reference:coupled | 2 | 2/3/4 | 4 | 2/0/2 | 4 | db.response-lost 2×, 2 |');
    expect(md).toContain('**Basis**: not enough happened to decide: fault ws.reset never opened');
  });

  it('junit.xml: basis properties, and a basis testcase that is an error when short', () => {
    // As run reports it (no expectations judged): in compare, only an unmet expectation makes a case's errors count.
    const result = withBases();
    delete result.expectations;
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(renderJunitReport(result));
    const suites = parsed.testsuites.testsuite as { name: string; properties: { property: { name: string; value: string }[] }; testcase: { name: string; error?: { message: string } }[] }[];
    const short = suites.find((s) => s.name === 'baseline.reference:coupled')!;
    expect(short.properties.property).toContainEqual({ name: 'basis.writes', value: '4' });
    expect(short.testcase.find((t) => t.name === 'basis')?.error?.message).toMatch(/^not enough happened to decide: fault ws.reset never opened/);
    const fine = suites.find((s) => s.name === 'broadcast-throws.reference:decoupled')!;
    expect(fine.testcase.find((t) => t.name === 'basis')).toEqual({ name: 'basis', classname: 'broadcast-throws.reference:decoupled' });
  });

  it('report.html: a basis section, and the shortfall in the case', () => {
    const html = renderHtmlReport(withBases());
    expect(html).toContain('<section id="basis"><h2>Basis per case</h2>');
    expect(html).toContain('<td>db.response-lost 2×, 2</td>');
    expect(html).toMatch(/<p class="basis-shortfall"><b>Basis<\/b>: not enough happened to decide: fault ws\.reset never opened/);
  });

  it('adds nothing to a result without bases', () => {
    const result = runResultFixture();
    expect(renderTerminalReport(result, { color: false })).not.toContain('Basis');
    expect(renderMarkdownReport(result)).not.toContain('Basis');
    expect(renderJunitReport(result)).not.toContain('basis');
    expect(renderHtmlReport(result)).not.toContain('id="basis"');
  });
});
