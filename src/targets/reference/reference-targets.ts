import type { TargetCapabilities, TargetFactory } from '../../harness/sut/target.js';
import { PATTERNS, type PatternName } from '../../server/patterns/pattern-registry.js';
import { ReferenceTarget } from './reference-target.js';
import { SERVER_FAULT_POINTS } from './server-fault-points.js';

const DESCRIPTIONS: Record<PatternName, string> = {
  coupled: 'save, then broadcast in the same request (the anti-pattern, on purpose)',
  decoupled: 'save, publish a domain event, broadcast asynchronously',
  outbox: 'the pending broadcast lives in the saved record; a relay delivers at least once',
};

/** The reference server promises every invariant; what it can do is everything the harness can fault. */
const CAPABILITIES: TargetCapabilities = {
  edit: true,
  delete: true,
  crash: true,
  faultPoints: SERVER_FAULT_POINTS,
  dbKill: true,
  links: { client: true, frames: true, database: true, broker: false },
  notPromised: {},
};

export function referenceTarget(pattern: PatternName): TargetFactory {
  return {
    id: `reference:${pattern}`,
    description: `ackproof's reference server, ${pattern}: ${DESCRIPTIONS[pattern]}`,
    capabilities: CAPABILITIES,
    start: (env) => ReferenceTarget.start({ pattern }, env),
  };
}

export const referenceTargets: TargetFactory[] = (Object.keys(PATTERNS) as PatternName[]).map(referenceTarget);
