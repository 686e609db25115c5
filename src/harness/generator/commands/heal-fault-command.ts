import type { AsyncCommand } from 'fast-check';
import type { RunModel } from '../run-model.js';
import { faultKey, type FaultInstance, type RunWorld } from '../run-world.js';
import { describeFault } from './describe-fault.js';

export class HealFaultCommand implements AsyncCommand<RunModel, RunWorld> {
  constructor(readonly fault: FaultInstance) {}
  check(model: Readonly<RunModel>): boolean {
    return model.activeFaults.has(faultKey(this.fault));
  }
  async run(model: RunModel, world: RunWorld): Promise<void> {
    model.activeFaults.delete(faultKey(this.fault));
    model.ran.push(this.toString());
    await world.healFault(this.fault);
  }
  toString(): string {
    return `heal ${describeFault(this.fault)}`;
  }
}
