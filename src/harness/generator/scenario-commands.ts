import fc from 'fast-check';
import type { AsyncCommand } from 'fast-check';
import { isClientFault } from '../scenario/fault-name.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { FaultWindowCommand } from './commands/fault-window-command.js';
import { burst, concurrently, edit, reconnect, remove, send } from './commands/world-command.js';
import type { RunModel } from './run-model.js';
import type { ConcurrentOp, FaultInstance, RunWorld } from './run-world.js';

type Cmd = AsyncCommand<RunModel, RunWorld>;

interface Weighted {
  weight: number;
  arbitrary: fc.Arbitrary<Cmd>;
  reconnect: boolean;
}

/** Client operations a fault window holds at most. */
const WINDOW_OPS = 4;

/** One client per member user, named after the user (the history's `process`). */
export function scenarioClients(scenario: Scenario): { id: string; userId: string; rooms: string[] }[] {
  const users = [...new Set(scenario.topology.rooms.flatMap((r) => r.members))].sort();
  return users.map((user) => ({
    id: user,
    userId: user,
    rooms: scenario.topology.rooms.filter((r) => r.members.includes(user)).map((r) => r.id),
  }));
}

/**
 * How long a run of the workload is: drawn evenly between `min` and `max`, whose mean is `ops` (a fault window
 * counts as one command). `min` is half of `ops`, or `minOps` if more; `max` mirrors it above `ops`.
 */
export function runLengths(workload: Pick<Scenario['workload'], 'ops' | 'minOps'>): { min: number; max: number } {
  const min = Math.min(workload.ops, Math.max(workload.minOps, Math.ceil(workload.ops / 2)));
  return { min, max: 2 * workload.ops - min };
}

/**
 * The fast-check arbitrary of command sequences for a scenario: client operations and fault windows (start, 1 to
 * WINDOW_OPS client operations, heal) in the proportions of `workload.mix`, up to runLengths' `max` long (a window
 * counts as one); the property takes those of at least `min` (isScenarioRun), so runs average `workload.ops`. Faults marked `always` are not generated: the runner holds them for the whole run.
 */
export function scenarioCommands(scenario: Scenario, replayPath?: string): fc.Arbitrary<Iterable<Cmd>> {
  const clients = scenarioClients(scenario);
  const clientIds = clients.map((c) => c.id);
  const mix = scenario.workload.mix;
  const weighted: Weighted[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<Cmd>, reconnect = false) => {
    if (weight > 0) weighted.push({ weight, arbitrary, reconnect });
  };

  const membership = fc.constantFrom(...clients.flatMap((c) => c.rooms.map((room) => [c.id, room] as const)));
  add(mix.send, membership.map(([client, room]) => send(client, room)));
  add(mix.edit, fc.tuple(fc.constantFrom(...clientIds), fc.nat(20)).map(([c, pick]) => edit(c, pick)));
  add(mix.delete, fc.tuple(fc.constantFrom(...clientIds), fc.nat(20)).map(([c, pick]) => remove(c, pick)));
  add(
    mix.burst,
    fc
      .tuple(fc.integer({ min: 2, max: scenario.workload.burstSize }), fc.nat(clientIds.length - 1))
      .map(([size, offset]) => burst(size, offset)),
  );
  // Sends twice as often as edits or deletes, so the chains keep making messages to change.
  const concurrentOp: fc.Arbitrary<ConcurrentOp> = fc.oneof(
    { weight: 2, arbitrary: membership.map(([clientId, roomId]): ConcurrentOp => ({ clientId, kind: 'send', roomId })) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...clientIds), fc.nat(3)).map(([clientId, pick]): ConcurrentOp => ({ clientId, kind: 'edit', pick })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...clientIds), fc.nat(3)).map(([clientId, pick]): ConcurrentOp => ({ clientId, kind: 'delete', pick })),
    },
  );
  add(mix.concurrent, fc.array(concurrentOp, { minLength: 2, maxLength: scenario.workload.concurrentOps, size: 'max' }).map(concurrently));
  add(mix.reconnect, fc.constantFrom(...clientIds).map(reconnect), true);

  // A window holds operations that write (a reconnect alone would leave the fault with nothing to meet).
  const clientOps = proportional(weighted.filter((w) => !w.reconnect));
  const toggled = scenario.faults.filter((f) => !f.always);
  if (toggled.length > 0 && mix.fault > 0) {
    const instance: fc.Arbitrary<FaultInstance> = fc.constantFrom(...toggled).chain((fault) =>
      isClientFault(fault.name)
        ? fc.constantFrom(...clientIds).map((target) => ({ name: fault.name, target, params: fault.params }))
        : fc.constant({ name: fault.name, params: fault.params }),
    );
    // Each window holds 1..WINDOW_OPS client operations drawn in the mix's proportions.
    const during = fc.array(fc.oneof(...clientOps), { minLength: 1, maxLength: WINDOW_OPS });
    add(mix.fault, fc.tuple(instance, during).map(([fault, ops]) => new FaultWindowCommand(fault, ops)));
  }

  // fc.commands takes a list of arbitraries; repeating one in proportion to its weight keeps the mix.
  const arbitraries = proportional(weighted);
  // The lower bound is enforced by the property (fc.pre), not by .filter here: a filtered fc.commands stops
  // shrinking. fc.commands draws its length evenly from 0 to maxCommands (with size 'max'; the default size, 'small',
  // would quietly cap every sequence at 10), so about a third of the draws are skipped, at no cost (nothing runs).
  return fc.commands(arbitraries, { maxCommands: runLengths(scenario.workload).max, size: 'max', replayPath });
}

/** The arbitraries, each repeated in proportion to its weight (what fc.commands and fc.oneof draw uniformly from). */
function proportional(weighted: readonly Weighted[]): fc.Arbitrary<Cmd>[] {
  const scale = Math.min(...weighted.map((w) => w.weight));
  return weighted.flatMap(({ weight, arbitrary }) => Array.from({ length: Math.max(1, Math.round(weight / scale)) }, () => arbitrary));
}

/**
 * Whether a drawn sequence is a run of the scenario: a window of every fault it starts and heals (a fault scenario
 * whose run never opened its fault tested nothing it is named for) and, unless it may be a shrunk one (a shrink
 * candidate, a replayed counterexample), at least runLengths' `min` commands: a counterexample shrinks below it,
 * but keeps a window of each fault. The property skips other sequences (fc.pre).
 */
export function isScenarioRun(commands: readonly Cmd[], scenario: Scenario, shrunk = false): boolean {
  if (!shrunk && commands.length < runLengths(scenario.workload).min) return false;
  const opened = new Set(commands.map(unwrap).flatMap((c) => (c instanceof FaultWindowCommand ? [c.fault.name] : [])));
  return scenario.workload.mix.fault === 0 || scenario.faults.every((f) => f.always || opened.has(f.name));
}

/** fc.commands hands the property each command in a wrapper of its own that keeps it as `cmd`. */
function unwrap(command: Cmd): Cmd {
  const inner = (command as { cmd?: unknown }).cmd;
  return inner instanceof FaultWindowCommand ? inner : command;
}
