import type { TargetCapabilities, TargetFactory } from '../../harness/sut/target.js';
import { FANOUT_MODES, isFanoutMode, type FanoutMode } from '../../server/fanout/fanout.js';
import { isPatternName, PATTERNS, type PatternName } from '../../server/patterns/pattern-registry.js';
import { ReferenceTarget } from './reference-target.js';
import { SERVER_FAULT_POINTS } from './server-fault-points.js';

const DESCRIPTIONS: Record<PatternName, string> = {
  coupled: 'save, then broadcast in the same request (the anti-pattern, on purpose)',
  decoupled: 'save, publish a domain event, broadcast asynchronously',
  outbox: 'the pending broadcast lives in the saved record; a relay delivers at least once',
};

const FANOUT_DESCRIPTIONS: Record<Exclude<FanoutMode, 'none'>, string> = {
  'redis-pubsub': 'live delivery across nodes over Redis Pub/Sub (at most once: the weak twin)',
  'redis-streams': 'live delivery across nodes over Redis Streams (each node resumes from its last id)',
};

/** Several nodes: how many, and the broker between them. */
export interface Topology {
  nodes: number;
  fanout: FanoutMode;
}

/** The reference server promises every invariant; it can take every fault the harness has. */
function capabilities(fanout: FanoutMode): TargetCapabilities {
  return {
    edit: true,
    delete: true,
    crash: true,
    faultPoints: SERVER_FAULT_POINTS,
    dbKill: true,
    links: { client: true, frames: true, database: true, broker: fanout !== 'none' },
    notPromised: {},
  };
}

/** `reference:outbox`, or with several nodes `reference:outbox+redis-streams@3`. */
export function referenceTargetId(pattern: PatternName, topology: Topology = { nodes: 1, fanout: 'none' }): string {
  if (topology.nodes === 1 && topology.fanout === 'none') return `reference:${pattern}`;
  return `reference:${pattern}+${topology.fanout}@${topology.nodes}`;
}

export function referenceTarget(pattern: PatternName, topology: Topology = { nodes: 1, fanout: 'none' }): TargetFactory {
  const { nodes, fanout } = topology;
  const across = fanout === 'none' ? '' : `; ${nodes} node${nodes === 1 ? '' : 's'}, ${FANOUT_DESCRIPTIONS[fanout]}`;
  return {
    id: referenceTargetId(pattern, topology),
    description: `ackproof's reference server, ${pattern}: ${DESCRIPTIONS[pattern]}${across}`,
    capabilities: capabilities(fanout),
    start: (env) => ReferenceTarget.start({ pattern, nodes, fanout }, env),
  };
}

/** Reads `reference:outbox` or `reference:outbox+redis-streams@3` back; undefined when it is not such an id. */
export function parseReferenceTargetId(id: string): { pattern: PatternName; topology: Topology } | undefined {
  const match = /^reference:([a-z]+)(?:\+([a-z-]+)@(\d{1,2}))?$/.exec(id);
  if (!match || !isPatternName(match[1]!)) return undefined;
  if (match[2] === undefined) return { pattern: match[1], topology: { nodes: 1, fanout: 'none' } };
  const nodes = Number(match[3]);
  if (!isFanoutMode(match[2]) || match[2] === 'none' || nodes < 1) return undefined;
  return { pattern: match[1], topology: { nodes, fanout: match[2] } };
}

export const referenceTargets: TargetFactory[] = (Object.keys(PATTERNS) as PatternName[]).map((p) => referenceTarget(p));

export { FANOUT_MODES };
