import { describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/result/result-model.js';
import { LONG_CLIENT, runHistoryFixture } from '../test-support/run-history-fixture.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { resultGrid } from './result-grid.js';
import type { RunHistory } from './run-histories.js';
import { scenarioTimelinesSection } from './scenario-timelines.js';

function histories(result: RunResult): Map<string, RunHistory> {
  return new Map(
    result.cases.map((c) => [
      c.id,
      {
        file: c.runHistoryFiles![0]!,
        events: runHistoryFixture({ scenario: c.scenario, target: c.target, seed: 7, failDuringFault: c.valid === false, slower: c.target.endsWith('decoupled') ? 2 : 1 }),
      },
    ]),
  );
}

/** Each panel's markup, by case id. */
function panels(html: string): Map<string, string> {
  const parts = html.split(/<div class="tl-panel[ "]/).slice(1);
  return new Map(parts.map((part) => [/data-case="([^"]+)"/.exec(part)?.[1] ?? '', part]));
}

describe('scenarioTimelinesSection', () => {
  const result = runResultFixture();
  const html = scenarioTimelinesSection(resultGrid(result), histories(result), { counterexampleAnchor: (c) => `cx-${c.scenario}` });

  it('has a closed details per scenario, its targets side by side in their order, passing runs as much as failing ones', () => {
    expect(html.match(/<details class="tl-scenario" data-scenario="([^"]+)">/g)).toEqual([
      '<details class="tl-scenario" data-scenario="broadcast-throws">',
      '<details class="tl-scenario" data-scenario="baseline">',
    ]);
    expect([...panels(html).keys()]).toEqual(result.cases.map((c) => c.id));
    expect(html.match(/<div class="timeline"/g)).toHaveLength(4);
    expect(html).toContain('<summary><b>broadcast-throws</b> <span class="facts">run 1 · reference:coupled FAIL I4 · reference:decoupled PASS</span></summary>');
  });

  it('names every column of every panel, the long client id in a tooltip too', () => {
    for (const panel of panels(html).values()) {
      expect(panel.match(/<div class="tl-col-head tl-(client|faults|database)"/g)).toHaveLength(5);
      expect(panel).toContain(`title="${LONG_CLIENT}">${LONG_CLIENT}</div>`);
    }
  });

  it('draws the panels of a scenario on one time scale: the same time at the same height', () => {
    const tickTop = (panel: string) => /<div class="tl-tick" style="top:([\d.]+)px"><span>200 ms<\/span>/.exec(panel)?.[1];
    const [coupled, decoupled] = [...panels(html).values()];
    expect(tickTop(coupled!)).toBeDefined();
    expect(tickTop(coupled!)).toBe(tickTop(decoupled!));
    // decoupled took twice as long: its final read is further down in proportion (1,018 ms after its first event
    // against 518 ms; a box is drawn 1 px inside its place), its fault band starts at the same height.
    const finalRead = (panel: string) => Number(/<div class="tl-item tl-snapshot tl-point" style="top:([\d.]+)px/.exec(panel)?.[1]) - 1;
    expect(finalRead(decoupled!) / finalRead(coupled!)).toBeCloseTo(1_018 / 518, 2);
    // Both as tall as the longer run needs, so the panels line up.
    const height = (panel: string) => /class="tl-body" style="[^"]*height:(\d+)px/.exec(panel)?.[1];
    expect(height(coupled!)).toBe(height(decoupled!));
    const band = (panel: string) => /<div class="tl-band" style="top:([\d.]+)px/.exec(panel)?.[1];
    expect(band(coupled!)).toBe(band(decoupled!));
  });

  it('links a failing case to its counterexample and shows its failed send as a cross, not a point at 0', () => {
    const coupled = panels(html).get('broadcast-throws/reference:coupled')!;
    expect(coupled).toContain('<a href="#cx-broadcast-throws">its shrunk counterexample</a>');
    expect(coupled).toContain('1 send without an ack: 1 failed, marked × above the plot');
    expect(coupled.match(/<path class="al-fail"/g)).toHaveLength(1);
    expect(panels(html).get('broadcast-throws/reference:decoupled')).not.toContain('its shrunk counterexample');
  });

  it('says why a panel has no timeline instead of leaving it blank', () => {
    const r = runResultFixture();
    r.cases[1]!.skipped = true;
    r.cases[1]!.error = { code: 'NOT_SUPPORTED', message: 'skipped: no edits' };
    r.cases.pop();
    const map = histories(runResultFixture());
    map.set(r.cases[2]!.id, { file: 'histories/x.jsonl', unavailable: 'histories/x.jsonl is not in the report directory' });
    const section = scenarioTimelinesSection(resultGrid(r), map);
    expect(section).toContain('<p class="tl-none">– skipped: skipped: no edits</p>');
    expect(section).toContain('<p class="tl-none">– no timeline: histories/x.jsonl is not in the report directory</p>');
    expect(section).toContain('<div class="tl-panel tl-panel-empty"><h4 class="tl-panel-head" title="reference:decoupled">reference:decoupled</h4><p class="tl-none">– did not run</p></div>');
  });

  it('opens the details when there is a single scenario', () => {
    const r = runResultFixture();
    r.cases = r.cases.filter((c) => c.scenario === 'baseline');
    expect(scenarioTimelinesSection(resultGrid(r), histories(r))).toContain('<details class="tl-scenario" data-scenario="baseline" open>');
  });
});
