import type { FaultInstance } from '../run-world.js';

export function describeFault(fault: FaultInstance): string {
  const params = Object.entries(fault.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const on = fault.target ? ` on ${fault.target}` : '';
  return `${fault.name}${on}${params.length ? ` (${params.join(', ')})` : ''}`;
}
