import type { BasisRequirements } from '../checker/basis-requirements.js';
import type { Scenario } from './scenario-schema.js';

/**
 * A scenario's `requires`, with its defaults (every fault it names must meet at least one write, unless
 * `faultedWrites` says otherwise; nothing else unless asked for), for `runs` runs: the counts are totals over the
 * scenario's own `runs`, so other run counts (`--runs`) scale them, rounded up and never below 1 where one was
 * asked. `commandsPerRun` is a mean and does not scale.
 */
export function scenarioRequirements(scenario: Scenario, runs: number = scenario.runs): BasisRequirements {
  const { requires } = scenario;
  const scaled = (total: number | undefined) => (total ? Math.max(1, Math.ceil((total * runs) / scenario.runs)) : 0);
  const perFault = scaled(requires.faultedWrites ?? (scenario.faults.length > 0 ? 1 : 0));
  return {
    faultedWrites: Object.fromEntries(perFault > 0 ? scenario.faults.map((f) => [f.name, perFault]) : []),
    unknownOutcomes: scaled(requires.unknownOutcomes),
    concurrentWrites: scaled(requires.concurrentWrites),
    commandsPerRun: requires.commandsPerRun ?? 0,
  };
}
