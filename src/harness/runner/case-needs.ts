import { isKillable, type Database } from '../../mongo/database.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { InvariantId } from '../checker/verdict.js';
import type { TargetFactory } from '../sut/target.js';

/**
 * Why this target cannot run this scenario (empty: it can): each fault the scenario allows needs the part of the
 * target it acts on, and the scenario's own `needs`. A case with a reason is skipped, with it, in every report.
 */
export function unmetNeeds(scenario: Scenario, target: TargetFactory, database: Database): string[] {
  const { capabilities: can } = target;
  const reasons: string[] = [];
  for (const need of scenario.needs) if (!can[need]) reasons.push(`it needs ${need}s, which ${target.id} does not have`);
  for (const name of new Set(scenario.faults.map((f) => f.name))) {
    const lack = lackFor(name, target);
    if (lack) reasons.push(`fault ${name} needs ${lack}`);
  }
  if (scenario.faults.some((f) => f.name === 'db.kill') && can.dbKill && !isKillable(database)) {
    reasons.push('db.kill needs a database ackproof started itself; run it without --mongo-uri / MONGODB_URI');
  }
  return reasons;
}

/**
 * db.kill stops the one database server every case of the suite shares: a case that would run it (`--workers`) runs
 * with no other case beside it, or it would fault the others' runs too.
 */
export function needsDatabaseAlone(scenario: Scenario, target: TargetFactory, database: Database): boolean {
  return scenario.faults.some((f) => f.name === 'db.kill') && target.capabilities.dbKill && isKillable(database);
}

/** What a fault needs that the target lacks, or undefined. */
function lackFor(name: string, { id, capabilities: can }: TargetFactory): string | undefined {
  if (name === 'ws.drop-frame' || name === 'ws.duplicate-frame' || name === 'ws.delay-frame') {
    return can.links.frames ? undefined : `a WebSocket frame relay before ${id}`;
  }
  if (name.startsWith('ws.')) return can.links.client ? undefined : `a TCP proxy between the clients and ${id}`;
  if (name === 'db.kill') return can.dbKill ? undefined : `a database ${id} uses that ackproof can kill`;
  if (name.startsWith('db.')) return can.links.database ? undefined : `a database link of ${id}'s to fault`;
  if (name.startsWith('broker.')) return can.links.broker ? undefined : `a broker link of ${id}'s to fault`;
  if (name === 'server.crash') return can.crash ? undefined : `a server process of ${id}'s that ackproof can kill and restart`;
  return can.faultPoints.includes(name) ? undefined : `the in-server fault point ${name}, which ${id} does not have`;
}

/** The scenario as this target runs it: edits and deletes it has none of are left out of the mix (and said). */
export function adaptedScenario(scenario: Scenario, target: TargetFactory): { scenario: Scenario; notes: string[] } {
  const missing = (['edit', 'delete'] as const).filter((kind) => scenario.workload.mix[kind] > 0 && !target.capabilities[kind]);
  if (missing.length === 0) return { scenario, notes: [] };
  const mix = { ...scenario.workload.mix, ...Object.fromEntries(missing.map((kind) => [kind, 0])) };
  return {
    scenario: { ...scenario, workload: { ...scenario.workload, mix } },
    notes: [`${missing.join(' and ')} not exercised: ${target.id} has no ${missing.join(' or ')} of a message`],
  };
}

/**
 * What the target does not promise in this scenario: `notPromised` always, and what it withdraws under the
 * scenario's recovery window, faults or key inputs (`notPromisedUnder`).
 */
export function notPromisedIn(scenario: Scenario, { capabilities: can }: TargetFactory): Partial<Record<InvariantId, string>> {
  const under = can.notPromisedUnder ?? {};
  const withdrawn = [
    ...(scenario.recoveryWindow ? [under.recoveryWindow ?? {}] : []),
    ...[...new Set(scenario.faults.map((f) => f.name))].map((name) => under.faults?.[name] ?? {}),
    ...(Object.entries(scenario.inputs.keys) as [keyof Scenario['inputs']['keys'], number][])
      .filter(([, weight]) => weight > 0)
      .map(([kind]) => under.keys?.[kind] ?? {}),
  ];
  const merged: Partial<Record<InvariantId, string>> = {};
  for (const reasons of withdrawn) {
    for (const [id, reason] of Object.entries(reasons) as [InvariantId, string][]) {
      merged[id] = merged[id] ? `${merged[id]}; ${reason}` : reason;
    }
  }
  return { ...merged, ...can.notPromised };
}
