import type { AsyncCommand } from 'fast-check';
import type { RunModel } from '../run-model.js';
import { faultKey, type FaultInstance, type RunWorld } from '../run-world.js';
import { describeFault } from './describe-fault.js';

/** Starts a fault that is not in force, or heals one that is: the model keeps windows of failure well formed. */
export class FaultCommand implements AsyncCommand<RunModel, RunWorld> {
  constructor(
    readonly phase: 'start' | 'heal',
    readonly fault: FaultInstance,
  ) {}
  check(model: Readonly<RunModel>): boolean {
    return model.activeFaults.has(faultKey(this.fault)) === (this.phase === 'heal');
  }
  async run(model: RunModel, world: RunWorld): Promise<void> {
    const key = faultKey(this.fault);
    if (this.phase === 'start') model.activeFaults.add(key);
    else model.activeFaults.delete(key);
    model.ran.push(this.toString());
    await (this.phase === 'start' ? world.startFault(this.fault) : world.healFault(this.fault));
  }
  toString(): string {
    return `${this.phase} ${describeFault(this.fault)}`;
  }
}
