import type { FaultInstance } from '../../harness/generator/run-world.js';
import type { AdminClient } from './admin-client.js';

/** Faults that are fault points of the server, armed through its admin endpoint (DESIGN.md §7). */
export const SERVER_FAULT_POINTS = ['broadcast.throw', 'broadcast.delay', 'bus.saturate', 'crash.afterSave'] as const;
const POINTS = new Set<string>(SERVER_FAULT_POINTS);

export function isServerFaultPoint(name: string): boolean {
  return POINTS.has(name);
}

/** Runs an admin call, e.g. through ServerSupervisor.call so a call to a server that just died waits for its restart. */
export type AdminCall = <T>(op: () => Promise<T>) => Promise<T>;

/**
 * The armed fault points of a case. A restarted server has none, so the ones still in force are armed again
 * (but `crash.afterSave`, which is spent by the crash it caused).
 */
export class ServerFaultPoints {
  private readonly armed = new Map<string, FaultInstance>();

  constructor(
    private readonly admin: AdminClient,
    private readonly call: AdminCall = (op) => op(),
  ) {}

  async arm(fault: FaultInstance): Promise<void> {
    await this.call(() => this.admin.armFault(fault.name, fault.params));
    this.armed.set(fault.name, fault);
  }

  async disarm(fault: FaultInstance): Promise<void> {
    this.armed.delete(fault.name);
    await this.call(() => this.admin.disarmFault(fault.name));
  }

  async disarmAll(): Promise<void> {
    for (const fault of [...this.armed.values()]) await this.disarm(fault);
  }

  /** Called by the restart itself, so straight to the new server. */
  async rearmAfterRestart(): Promise<void> {
    this.armed.delete('crash.afterSave');
    for (const fault of this.armed.values()) await this.admin.armFault(fault.name, fault.params);
  }
}
