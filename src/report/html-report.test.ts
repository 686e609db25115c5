import { describe, expect, it } from 'vitest';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { type ReportChartData, renderHtmlReport } from './html-report.js';
import { jsonInHtml } from './json-in-html.js';

describe('renderHtmlReport (the markup; html-report.browser.test.ts loads it in a browser)', () => {
  const html = renderHtmlReport(runResultFixture(), { reportDir: 'reports/x' });

  it('is one self-contained file that asks for nothing over the network', () => {
    expect(html).toContain(`content="default-src 'none';`);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain('Chart.js v4');
    // Only the page's own three scripts close: the inlined library cannot end its element early.
    expect(html.match(/<\/script/gi)).toHaveLength(3);
  });

  it('embeds the chart data as JSON that parses back', () => {
    const block = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const data = JSON.parse(block) as ReportChartData;
    expect(data.scenarios).toEqual(['broadcast-throws', 'baseline']);
    expect(data.targets).toEqual(['reference:coupled', 'reference:decoupled']);
    expect(data.livePercent).toEqual([
      [66.7, 100],
      [87.1, 99.8],
    ]);
    expect(data.ackP99[1]).toEqual([31.2, 27]);
  });

  it('opens with the scorecard and a stacked bar per scenario x target, segments as wide as their shares', () => {
    expect(html.indexOf('id="scorecard"')).toBeLessThan(html.indexOf('id="verdicts"'));
    expect(html).toMatch(/<tr data-target="reference:coupled"><th scope="row">reference:coupled<\/th><td class="fail">1 pass · 1 fail<\/td><td>held 8 · broken I4<\/td>/);
    const row = /<div class="dp-row" data-case="broadcast-throws\/reference:coupled">.*?<\/div>/.exec(html)?.[0] ?? '';
    expect(row).toContain('class="dp-seg dp-broadcast" style="width:66.67%"');
    expect(row).toContain('class="dp-seg dp-gapFill" style="width:33.33%"');
    expect(row).not.toContain('dp-never');
  });

  it('draws no bar for a skipped case, and says so (a missing bar is not 0%)', () => {
    const result = runResultFixture();
    result.cases[1]!.skipped = true;
    const page = renderHtmlReport(result);
    expect(page).toContain('<span class="dp-none">– (skipped; no bar)</span>');
    expect(page).not.toContain('data-case="broadcast-throws/reference:decoupled"><span class="dp-target">');
  });

  it('escapes every text it shows', () => {
    expect(html).toContain('alice sends &quot;&lt;b&gt;bold&lt;/b&gt; &amp; \\&quot;quoted\\&quot; | piped&quot; to general');
    expect(html).not.toContain('<b>bold</b>');
  });

  it('explains itself: what was checked, every invariant, what the verdicts mean', () => {
    for (const text of ['every message it acknowledged is stored', 'I1 durability', 'I8 isolation', 'UNKNOWN', 'Timeline']) {
      expect(html).toContain(text);
    }
    expect(html).toContain('ackproof replay reports/x --case broadcast-throws/reference:coupled');
  });
});

describe('renderHtmlReport timelines', () => {
  it('draws the counterexample on a time scale, its witness flagged, its failed send a cross above the latency plot', () => {
    const html = renderHtmlReport(runResultFixture());
    const article = /<article class="case fail"[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
    expect(article).toContain('<h4>Timeline of the counterexample</h4>');
    expect(article.match(/<div class="tl-col-head tl-[a-z]+"/g)).toHaveLength(4);
    expect(article).toMatch(/<div class="tl-item tl-fail tl-bar tl-flagged" [^>]*><span class="tl-flag">I4<\/span>/);
    expect(article.match(/<circle class="al-ok"/g)).toHaveLength(2);
    expect(article.match(/<path class="al-fail"/g)).toHaveLength(1);
    expect(article.match(/<div class="tl-band"/g)).toHaveLength(2);
  });

  it('has the side-by-side section only when it was given the run histories, after the counterexamples', () => {
    const result = runResultFixture();
    expect(renderHtmlReport(result)).not.toContain('id="timelines"');
    const runHistories = new Map(result.cases.map((c) => [c.id, { unavailable: 'not written in this test' }]));
    const html = renderHtmlReport(result, { runHistories });
    expect(html.indexOf('id="timelines"')).toBeGreaterThan(html.indexOf('<article class="case fail"'));
    expect(html.match(/– no timeline: not written in this test/g)).toHaveLength(4);
  });
});

describe('jsonInHtml', () => {
  it('leaves nothing that could close the script element, and round-trips', () => {
    const value = { text: '</script><!-- & \u2028' };
    const json = jsonInHtml(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
