import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { judgeThresholds } from '../harness/thresholds/judge-thresholds.js';
import { parseThreshold } from '../harness/thresholds/threshold.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { formatProgress } from './progress-line.js';
import { terminalColorEnabled } from './terminal-color.js';
import { renderTerminalReport } from './terminal-report.js';
import { renderVerdictBlock } from './verdict-block.js';

const reportDir = 'reports/2026-11-24T170000-compare';

describe('renderTerminalReport', () => {
  it('matches the reviewed golden file (no color)', async () => {
    const text = renderTerminalReport(runResultFixture(), { color: false, reportDir });
    expect(text).not.toContain('\u001b');
    await expect(text).toMatchFileSnapshot('./golden/terminal.txt');
  });

  it('with color, shows exactly the same text and columns once the ANSI codes are removed', () => {
    const plain = renderTerminalReport(runResultFixture(), { color: false, reportDir });
    const colored = renderTerminalReport(runResultFixture(), { color: true, reportDir });
    expect(colored).toContain('\u001b[31m');
    expect(stripVTControlCharacters(colored)).toBe(plain);
  });

  it('names the broken invariant in the verdict table and marks an unmet expectation', () => {
    const text = renderTerminalReport(runResultFixture(), { color: false });
    expect(text).toMatch(/broadcast-throws +FAIL I4 ✓ expected +PASS ✓ expected/);
    expect(text).toMatch(/baseline +PASS ✓ expected +UNKNOWN ✗ expected PASS/);
    expect(text).toContain('replay:  ackproof replay REPORT_DIR --case broadcast-throws/reference:coupled');
  });

  it('run (no expectations judged) marks no verdict as expected, though its cases carry their scenario file\'s', () => {
    const result = runResultFixture();
    delete result.expectations;
    result.command = 'run';
    const text = renderTerminalReport(result, { color: false });
    expect(text).toMatch(/broadcast-throws +FAIL I4 +PASS\n/);
    expect(text).not.toContain('expected');
  });

  it('lists every judged threshold, unmet first, and counts them in the headline', () => {
    const result = judgeThresholds(runResultFixture(), ['live-delivery>=0.9', 'coupled:ack-p99<=1s'].map(parseThreshold));
    const text = renderTerminalReport(result, { color: false });
    expect(text.split('\n')[0]).toBe('ackproof compare: 1 of 4 expectations unmet; 2 of 6 thresholds unmet');
    const section = text.slice(text.indexOf('Thresholds\n'));
    expect(section).toMatch(/^Thresholds\n  ✗ broadcast-throws \/ reference:coupled: live-delivery>=0.9 \(command line\) was 66\.7%\n  ✗ broadcast-throws \/ reference:decoupled: live-delivery>=0.9 \(command line\) was 87\.1%\n  ✓ /);
  });

  it('caps the witnesses it prints per invariant', () => {
    const result = runResultFixture();
    const i4 = result.cases[0]!.check.invariants.I4;
    if (i4.valid !== false) throw new Error('fixture changed: I4 of the first case should be broken');
    i4.witnesses = Array.from({ length: 7 }, (_, i) => ({ kind: 'lie', description: `witness number ${i + 1}.` }));
    const text = renderTerminalReport(result, { color: false, witnessLimit: 2 });
    expect(text).toContain('- witness number 2.');
    expect(text).not.toContain('witness number 3.');
    expect(text).toContain('… and 5 more');
  });

  it('without expectations, the headline is about the verdicts', () => {
    const result = runResultFixture();
    delete result.expectations;
    result.command = 'run';
    expect(renderTerminalReport(result, { color: false }).split('\n')[0]).toBe(
      'ackproof run: 1 of 4 cases broke an invariant; 1 of 4 could not be checked',
    );
  });
});

describe('renderVerdictBlock', () => {
  it('prints one aligned line per invariant with its summary', () => {
    const block = renderVerdictBlock(runResultFixture().cases[0]!.check, { color: false });
    const lines = block.trimEnd().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('PASS  I1 durability       2 acknowledged: 2 stored');
    expect(lines[3]).toBe('FAIL  I4 honest acks      1 of 1 failed sends is stored');
  });

  it('names the error of an undecided invariant', () => {
    const block = renderVerdictBlock(runResultFixture().cases[3]!.check, { color: false, indent: '  ' });
    expect(block).toContain(
      '  UNKNOWN  I1 durability       could not be checked: no database snapshot (the final database read failed: connect ECONNREFUSED 127.0.0.1:27018)',
    );
  });
});

describe('formatProgress', () => {
  it('says which case and which run', () => {
    const progress = { caseNumber: 3, caseCount: 10, scenario: 'broadcast-throws', target: 'reference:coupled', run: 42, runs: 100 };
    expect(formatProgress(progress)).toBe('[3/10] broadcast-throws / reference:coupled run 42/100');
    expect(formatProgress({ ...progress, phase: 'shrinking', shrinkStep: 7 })).toBe(
      '[3/10] broadcast-throws / reference:coupled run 42/100 failed, shrinking: step 7',
    );
  });

  it('never counts a run past its total (a shrink candidate is a step, not a run)', () => {
    const line = formatProgress({ caseNumber: 1, caseCount: 2, scenario: 's', target: 't', run: 12, runs: 4, phase: 'shrinking' });
    expect(line).toBe('[1/2] s / t run 4/4 failed, shrinking');
  });
});

describe('terminalColorEnabled', () => {
  it('follows NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal', () => {
    expect(terminalColorEnabled({ isTTY: true }, {})).toBe(true);
    expect(terminalColorEnabled({ isTTY: false }, {})).toBe(false);
    expect(terminalColorEnabled({}, {})).toBe(false);
    expect(terminalColorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(terminalColorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(terminalColorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(terminalColorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(terminalColorEnabled({ isTTY: false }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });
});
