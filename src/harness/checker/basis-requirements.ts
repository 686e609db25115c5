import type { Basis } from './basis.js';
import type { Validity } from './verdict.js';

/**
 * What must have happened over a case's runs for its verdict to mean anything: minimums of its basis (0 = none).
 * `faultedWrites` is per fault name: a fault that never met a write tested nothing.
 */
export interface BasisRequirements {
  faultedWrites: Record<string, number>;
  unknownOutcomes: number;
  concurrentWrites: number;
  commandsPerRun: number;
}

/** A case's basis with what was required of it and, one sentence each, what fell short (empty: all met). */
export interface JudgedBasis extends Basis {
  required: BasisRequirements;
  unmet: string[];
}

export function judgeBasis(basis: Basis, required: BasisRequirements): JudgedBasis {
  const unmet: string[] = [];
  for (const [fault, least] of Object.entries(required.faultedWrites)) {
    const seen = basis.faults[fault];
    const hit = seen?.writesHit ?? 0;
    if (hit >= least) continue;
    const opened = seen?.opened ?? 0;
    unmet.push(
      opened === 0
        ? `fault ${fault} never opened (${plural(least, 'faulted write')} required)`
        : `fault ${fault} opened ${plural(opened, 'time')} and met ${hit === 0 ? 'no write' : plural(hit, 'write')} (${least} required)`,
    );
  }
  const outcomes = basis.outcomes.info;
  if (outcomes < required.unknownOutcomes) {
    unmet.push(`${plural(outcomes, 'unknown outcome')} (info) (${required.unknownOutcomes} required)`);
  }
  if (basis.concurrentWrites < required.concurrentWrites) {
    unmet.push(`${plural(basis.concurrentWrites, 'concurrent write')} (${required.concurrentWrites} required)`);
  }
  if (basis.commands.perRun.mean < required.commandsPerRun) {
    unmet.push(`${basis.commands.perRun.mean} commands per run on average (${required.commandsPerRun} required)`);
  }
  return { ...basis, required, unmet };
}

/**
 * A case that held every invariant on a basis short of its requirements proved nothing it is named for: unknown,
 * not PASS. A violation stands whatever the basis (a counterexample is evidence on its own).
 */
export function verdictOnBasis(valid: Validity, basis: Pick<JudgedBasis, 'unmet'>): Validity {
  return valid === true && basis.unmet.length > 0 ? 'unknown' : valid;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
