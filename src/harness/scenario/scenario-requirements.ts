import type { BasisRequirements } from '../checker/basis-requirements.js';
import type { Scenario } from './scenario-schema.js';

/**
 * A scenario's `requires`, with its defaults: every fault it names must meet at least one write (unless
 * `faultedWrites` says otherwise), nothing else unless asked for.
 */
export function scenarioRequirements(scenario: Scenario): BasisRequirements {
  const { requires } = scenario;
  const perFault = requires.faultedWrites ?? (scenario.faults.length > 0 ? 1 : 0);
  return {
    faultedWrites: Object.fromEntries(perFault > 0 ? scenario.faults.map((f) => [f.name, perFault]) : []),
    unknownOutcomes: requires.unknownOutcomes ?? 0,
    concurrentWrites: requires.concurrentWrites ?? 0,
    commandsPerRun: requires.commandsPerRun ?? 0,
  };
}
