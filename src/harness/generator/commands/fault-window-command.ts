import type { AsyncCommand } from 'fast-check';
import type { RunModel } from '../run-model.js';
import { faultKey, type FaultInstance, type RunWorld } from '../run-world.js';
import { describeFault } from './describe-fault.js';

/**
 * A window of failure: starts the fault, runs the client operations drawn for the window, heals it. A window
 * always holds operations (a fault opened and healed with nothing in between tests nothing), and shrinking can
 * drop operations from it or the whole window. The run's command list says `start …`, the operations, `heal …`.
 */
export class FaultWindowCommand implements AsyncCommand<RunModel, RunWorld> {
  constructor(
    readonly fault: FaultInstance,
    readonly during: readonly AsyncCommand<RunModel, RunWorld>[],
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: RunModel, world: RunWorld): Promise<void> {
    const key = faultKey(this.fault);
    model.activeFaults.add(key);
    model.ran.push(`start ${describeFault(this.fault)}`);
    await world.startFault(this.fault);
    for (const command of this.during) await command.run(model, world);
    model.activeFaults.delete(key);
    model.ran.push(`heal ${describeFault(this.fault)}`);
    await world.healFault(this.fault);
  }
  toString(): string {
    return `during ${describeFault(this.fault)}: ${this.during.map(String).join('; ')}`;
  }
}
