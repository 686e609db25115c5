import { countPhrase, formatCount, shortList } from './count-phrase.js';
import type { HistoryIndex } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { undecided, verdictFrom } from './verdict-from.js';

/**
 * I8 isolation: no client received a broadcast, a catch-up change or a view entry of a room its user is not a
 * member of (membership from the meta record's topology; a room absent from it has no members). Witness: `leaked`,
 * one per (client, room), counting what crossed. Without the meta record's topology: unknown.
 */
export function checkIsolation(index: HistoryIndex): Verdict {
  if (!index.meta) return undecided('no meta record in the history: room membership is unknown');
  const leaks = new Map<string, Witness & { count: number; sources: Set<string> }>();
  let received = 0;
  const see = (client: string, roomId: string, messageId: string, source: string): void => {
    received++;
    const userId = index.clientUser.get(client);
    if (userId !== undefined && index.members.get(roomId)?.has(userId)) return;
    const group = `${client}\u0000${roomId}`;
    const leak = leaks.get(group) ?? {
      kind: 'leaked',
      description: '',
      roomId,
      messageId,
      processes: [client],
      count: 0,
      sources: new Set<string>(),
    };
    leak.count++;
    leak.sources.add(source);
    leaks.set(group, leak);
  };
  for (const receipt of index.receipts) {
    see(receipt.process, receipt.message.roomId, receipt.message.id, receipt.via === 'broadcast' ? 'broadcast' : 'catch-up');
  }
  for (const [client, view] of index.views) {
    for (const room of view.rooms) {
      for (const message of room.messages) {
        see(client, message.roomId, message.id, 'final view');
        if (message.roomId !== room.roomId) see(client, room.roomId, message.id, 'final view');
      }
    }
  }
  const witnesses: Witness[] = [...leaks.values()].map(({ count, sources, ...witness }) => {
    const client = witness.processes?.[0] ?? '';
    const user = index.clientUser.get(client);
    const who = user === undefined ? `${client} (not a client of the topology)` : `${client} (user ${user})`;
    return {
      ...witness,
      description:
        `${who} received ${countPhrase(count, 'message')} of room ${witness.roomId}, ` +
        `which it is not a member of (${shortList([...sources])})`,
    };
  });
  const summary =
    `${formatCount(received)} messages received or shown: ` +
    `${formatCount(witnesses.length)} leaked across room boundaries`;
  return verdictFrom(summary, witnesses);
}
