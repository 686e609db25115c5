import fc from 'fast-check';
import type { AsyncCommand } from 'fast-check';
import { isClientFault } from '../scenario/fault-name.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { FaultCommand } from './commands/fault-command.js';
import { burst, edit, reconnect, remove, send } from './commands/world-command.js';
import type { RunModel } from './run-model.js';
import type { FaultInstance, RunWorld } from './run-world.js';

type Cmd = AsyncCommand<RunModel, RunWorld>;

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
 * The fast-check arbitrary of command sequences for a scenario: client operations and fault start/heal pairs in
 * the proportions of `workload.mix`, at most `workload.ops` long. Faults marked `always` are not generated: the
 * runner holds them for the whole run.
 */
export function scenarioCommands(scenario: Scenario, replayPath?: string): fc.Arbitrary<Iterable<Cmd>> {
  const clients = scenarioClients(scenario);
  const clientIds = clients.map((c) => c.id);
  const mix = scenario.workload.mix;
  const weighted: { weight: number; arbitrary: fc.Arbitrary<Cmd> }[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<Cmd>) => {
    if (weight > 0) weighted.push({ weight, arbitrary });
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
  add(mix.reconnect, fc.constantFrom(...clientIds).map(reconnect));

  const toggled = scenario.faults.filter((f) => !f.always);
  if (toggled.length > 0 && mix.fault > 0) {
    const instance: fc.Arbitrary<FaultInstance> = fc.constantFrom(...toggled).chain((fault) =>
      isClientFault(fault.name)
        ? fc.constantFrom(...clientIds).map((target) => ({ name: fault.name, target, params: fault.params }))
        : fc.constant({ name: fault.name, params: fault.params }),
    );
    // Start and heal weigh the same, so a sequence tends to open and close windows of failure.
    add(mix.fault / 2, instance.map((f) => new FaultCommand('start', f)));
    add(mix.fault / 2, instance.map((f) => new FaultCommand('heal', f)));
  }

  // fc.commands takes a list of arbitraries; repeating one in proportion to its weight keeps the mix.
  const scale = Math.min(...weighted.map((w) => w.weight));
  const arbitraries = weighted.flatMap(({ weight, arbitrary }) =>
    Array.from({ length: Math.max(1, Math.round(weight / scale)) }, () => arbitrary),
  );
  // workload.minOps is enforced by the property (fc.pre), not by .filter here: a filtered fc.commands stops shrinking.
  // size 'max': `ops` is the bound. fast-check's default size ('small') would quietly cap every sequence at 10.
  return fc.commands(arbitraries, { maxCommands: scenario.workload.ops, size: 'max', replayPath });
}
