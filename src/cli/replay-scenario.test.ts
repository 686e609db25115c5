import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../harness/scenario/load-scenarios.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { UsageError } from './exit-code.js';
import { replayScenario } from './replay-scenario.js';

const gone = '/nowhere/on/this/machine/broadcast-throws.json';

describe('replayScenario', () => {
  it('replays from the scenario result.json carries, when the scenario file is not on this machine', async () => {
    const { scenario } = await loadScenarioFile('scenarios/broadcast-throws.json');
    const c = { ...runResultFixture().cases[0]!, scenarioFile: gone, scenarioSpec: JSON.parse(JSON.stringify(scenario)) };
    const loaded = await replayScenario(c, 'copied/result.json');
    expect(loaded.scenario).toEqual(scenario);
  });

  it('falls back to the scenario file for an older result, and says what to do when it is gone', async () => {
    const c = { ...runResultFixture().cases[0]!, scenarioFile: 'scenarios/broadcast-throws.json' };
    expect((await replayScenario(c, 'result.json')).scenario.name).toBe('broadcast-throws');
    const missing = replayScenario({ ...c, scenarioFile: gone }, 'result.json');
    await expect(missing).rejects.toThrow(UsageError);
    await expect(missing).rejects.toThrow(/is not on this machine \(copy it there, or re-run the case\)/);
  });

  it('refuses a stored scenario that is not valid, naming the result and the case', async () => {
    const c = { ...runResultFixture().cases[0]!, scenarioSpec: { name: 'Bad Name' } as never };
    await expect(replayScenario(c, 'r/result.json')).rejects.toThrow(/cannot replay: .*r\/result\.json \(case broadcast-throws\/reference:coupled\)/);
  });
});
