import type { ClientViewEvent, DatabaseSnapshotEvent, HistoryEvent, MetaEvent } from './event.js';

/**
 * Joins the histories of several runs of one case (each with its own rooms) into one history the checker reads
 * as a whole: for the measures and verdict sentences over all runs. Times and op ids are shifted so they stay
 * ordered and unique; the rooms of every meta are joined; each client's views and the database snapshots are
 * merged into one of each at the end.
 */
export function concatHistories(histories: readonly (readonly HistoryEvent[])[]): HistoryEvent[] {
  const first = histories.find((h) => h[0]?.type === 'meta')?.[0] as MetaEvent | undefined;
  if (!first) return [];
  const meta: MetaEvent = { ...first, topology: { rooms: [], clients: [...first.topology.clients] } };
  const out: HistoryEvent[] = [meta];
  const views = new Map<string, ClientViewEvent>();
  const snapshot: DatabaseSnapshotEvent = { type: 'db-snapshot', time: 0, messages: [] };
  let timeOffset = 0;
  let opOffset = 0;
  for (const history of histories) {
    let lastTime = 0;
    let maxOp = -1;
    for (const event of history) {
      if (event.type === 'meta') {
        meta.topology.rooms.push(...event.topology.rooms);
        for (const client of event.topology.clients) {
          if (!meta.topology.clients.some((c) => c.id === client.id)) meta.topology.clients.push(client);
        }
        continue;
      }
      lastTime = Math.max(lastTime, event.time);
      const time = event.time + timeOffset;
      if (event.type === 'client-view') {
        const view = views.get(event.process) ?? { ...event, rooms: [] };
        view.rooms.push(...event.rooms);
        views.set(event.process, view);
      } else if (event.type === 'db-snapshot') {
        snapshot.messages.push(...event.messages);
      } else if (event.type === 'invoke' || event.type === 'complete') {
        maxOp = Math.max(maxOp, event.op);
        out.push({ ...event, time, op: event.op + opOffset });
      } else {
        out.push({ ...event, time });
      }
    }
    timeOffset += lastTime;
    opOffset += maxOp + 1;
  }
  for (const view of views.values()) out.push({ ...view, time: timeOffset });
  out.push({ ...snapshot, time: timeOffset });
  return out;
}
