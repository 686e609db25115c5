import type { CaseResult } from '../harness/result/result-model.js';
import { loadScenarioFile, parseScenario, type LoadedScenario } from '../harness/scenario/load-scenarios.js';
import { ScenarioError } from '../harness/scenario/scenario-error.js';
import { UsageError } from './exit-code.js';

/**
 * The scenario a case ran, for replay: the one its result.json carries (so a report replays from any directory and
 * on another machine), else its scenario file (results written before the scenario was stored).
 */
export async function replayScenario(found: CaseResult, resultFile: string): Promise<LoadedScenario> {
  try {
    if (found.scenarioSpec !== undefined) {
      const origin = `${resultFile} (case ${found.id})`;
      return { file: found.scenarioFile ?? origin, scenario: parseScenario(found.scenarioSpec, origin) };
    }
    if (!found.scenarioFile) throw new UsageError(`case ${found.id} holds no scenario and names no scenario file; re-run it with run or compare`);
    return await loadScenarioFile(found.scenarioFile);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const gone = found.scenarioSpec === undefined && /ENOENT/.test(error.message);
    throw new UsageError(
      gone
        ? `cannot replay ${found.id}: its result was written before reports held their scenario, and its scenario file ${found.scenarioFile} is not on this machine (copy it there, or re-run the case)`
        : `cannot replay: ${error.message}`,
    );
  }
}
