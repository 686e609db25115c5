/**
 * Every fault a scenario may allow (DESIGN.md §3). `ws.*` act on one client's WebSocket link (a TCP fault proxy
 * or a frame relay per client), `db.*` on the server's link to the database, the rest through the server's admin
 * endpoint or process signals.
 */
export const FAULT_NAMES = [
  'ws.latency',
  'ws.blackhole',
  'ws.reset',
  'ws.slow-close',
  'ws.limit-data',
  'ws.drop-frame',
  'ws.duplicate-frame',
  'ws.delay-frame',
  'broadcast.throw',
  'broadcast.delay',
  'bus.saturate',
  'crash.afterSave',
  'server.crash',
  'db.unreachable',
  'db.latency',
  'db.response-lost',
  'db.kill',
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

/** Faults aimed at one client's link; the generator picks the client. */
export function isClientFault(name: FaultName): boolean {
  return name.startsWith('ws.');
}
