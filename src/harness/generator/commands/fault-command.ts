import type { AsyncCommand } from 'fast-check';
import type { RunModel } from '../run-model.js';
import { faultKey, type FaultInstance, type RunWorld } from '../run-world.js';
import { describeFault } from './describe-fault.js';

/**
 * Starts a fault that is not in force, or heals it if it is: always applicable, so no drawn fault command is
 * skipped, and the model keeps windows of failure well formed. What it did is what the run's command list says.
 */
export class FaultCommand implements AsyncCommand<RunModel, RunWorld> {
  constructor(readonly fault: FaultInstance) {}
  check(): boolean {
    return true;
  }
  async run(model: RunModel, world: RunWorld): Promise<void> {
    const key = faultKey(this.fault);
    const heal = model.activeFaults.has(key);
    if (heal) model.activeFaults.delete(key);
    else model.activeFaults.add(key);
    model.ran.push(`${heal ? 'heal' : 'start'} ${describeFault(this.fault)}`);
    await (heal ? world.healFault(this.fault) : world.startFault(this.fault));
  }
  toString(): string {
    return `start or heal ${describeFault(this.fault)}`;
  }
}
