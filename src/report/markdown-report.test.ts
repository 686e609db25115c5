import { describe, expect, it } from 'vitest';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { judgeThresholds } from '../harness/thresholds/judge-thresholds.js';
import { parseThreshold } from '../harness/thresholds/threshold.js';
import { renderHtmlReport } from './html-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import { markdownCode, markdownCodeBlock, markdownText } from './markdown-text.js';

describe('renderMarkdownReport', () => {
  it('matches the reviewed golden file', async () => {
    await expect(renderMarkdownReport(runResultFixture())).toMatchFileSnapshot('./golden/summary.md');
  });

  it('lists the thresholds, unmet first, in the markdown and in report.html', () => {
    const result = judgeThresholds(runResultFixture(), [parseThreshold('decoupled:live-delivery>=0.9')]);
    expect(renderMarkdownReport(result)).toContain(
      '### Thresholds\n\n- ❌ unmet: broadcast-throws / reference:decoupled: decoupled:live-delivery\\>=0.9 (command line) was 87.1%\n- ✅ met: baseline / reference:decoupled',
    );
    expect(renderHtmlReport(result)).toContain(
      '<h3 id="thresholds">Thresholds: 1 of 2 met</h3><ul class="expectations"><li class="unmet">broadcast-throws / reference:decoupled: decoupled:live-delivery&gt;=0.9 (command line) was 87.1%</li>',
    );
  });

  it('opens with the verdict table and folds each counterexample', () => {
    const md = renderMarkdownReport(runResultFixture(), { reportDir: 'reports/x' });
    expect(md).toContain('| broadcast-throws | ❌ FAIL I4 (as expected) | ✅ PASS (as expected) |');
    expect(md).toContain('| baseline | ✅ PASS (as expected) | ❔ UNKNOWN (**unmet: expected PASS**) |');
    expect(md).toContain('<summary><b>broadcast-throws / reference:coupled</b>: FAIL I4 honest acks</summary>');
    expect(md).toContain('ackproof replay reports/x --case broadcast-throws/reference:coupled');
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md.match(/<\/details>/g)).toHaveLength(3);
  });

  it('keeps a pull-request comment within bounds however long the counterexample', () => {
    const result = runResultFixture();
    result.cases[0]!.counterexample!.commands = Array.from({ length: 5000 }, (_, i) => `alice sends "m${i}" to general`);
    const md = renderMarkdownReport(result, { commandLimit: 40 });
    expect(md).toContain('… 4960 more (see the history file)');
    expect(md.length).toBeLessThan(65_536);
  });

  it('cannot be broken out of by scenario names or texts', () => {
    const result = runResultFixture();
    result.cases[0]!.scenario = 'pipes | and <b>tags</b>';
    const md = renderMarkdownReport(result);
    expect(md).toContain('| pipes \\| and \\<b\\>tags\\</b\\> |');
    expect(md).toContain('<summary><b>pipes | and &lt;b&gt;tags&lt;/b&gt; / reference:coupled</b>');
  });
});

describe('markdown escaping', () => {
  it('escapes inline markup and folds line breaks', () => {
    expect(markdownText('a*b_c `d` [e](f) <g> | h & $x$\nnext')).toBe('a\\*b\\_c \\`d\\` \\[e\\](f) \\<g\\> \\| h \\& \\$x\\$ next');
  });

  it('fences code longer than any backtick run inside', () => {
    expect(markdownCodeBlock(['a ``` b'])).toBe('````text\na ``` b\n````');
    expect(markdownCode('a`b')).toBe('`` a`b ``');
    expect(markdownCode('plain')).toBe('`plain`');
  });
});
