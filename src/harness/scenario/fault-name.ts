import { PROXY_FAULT_NAMES, type ProxyFaultName } from '../../faults/fault-catalog.js';

/** Faults carried out on the server (admin fault points, process signals) or on a database ackproof started. */
const SERVER_FAULT_NAMES = [
  'broadcast.throw', 'broadcast.delay', 'bus.saturate', 'crash.afterSave', 'server.crash', 'db.kill', 'broker.restart',
] as const;

export type FaultName = ProxyFaultName | (typeof SERVER_FAULT_NAMES)[number];

/**
 * Every fault a scenario may allow (DESIGN.md §3): the nemesis catalogue's proxy faults (`ws.*` on one client's
 * link, `db.*` on the server's link to the database) and the server and process faults.
 */
export const FAULT_NAMES: [FaultName, ...FaultName[]] = [...SERVER_FAULT_NAMES, ...PROXY_FAULT_NAMES];

/** Faults aimed at one client's link; the generator picks the client. */
export function isClientFault(name: FaultName): boolean {
  return name.startsWith('ws.');
}
