import { loadScenarios, type LoadedScenario } from '../harness/scenario/load-scenarios.js';
import { ScenarioError } from '../harness/scenario/scenario-error.js';
import { UsageError } from './exit-code.js';
import { SHIPPED_SCENARIOS } from './package-paths.js';

/** Scenario files or folders from the command line (the shipped ones when none); a bad file is a usage error. */
export async function loadScenarioArgs(paths: string[]): Promise<LoadedScenario[]> {
  try {
    const loaded = await loadScenarios(paths.length ? paths : [SHIPPED_SCENARIOS]);
    if (loaded.length === 0) throw new UsageError(`no scenario files (*.json) in ${paths.join(', ')}`);
    return loaded;
  } catch (error) {
    if (error instanceof ScenarioError) throw new UsageError(`bad scenario: ${error.message}`);
    throw error;
  }
}
