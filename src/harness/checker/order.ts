import { countPhrase } from './count-phrase.js';
import type { HistoryIndex } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { verdictFrom } from './verdict-from.js';

/**
 * I6 order: per room, `seq` is unique in the database (witness `seq-collision`), and every client's final view of a
 * room is in ascending `seq` order (witness `out-of-order`, or `seq-collision` when two different messages of a view
 * share a seq; the same message twice is I5's). Live broadcasts may arrive in any order; only views must be ordered.
 * The database part needs the db-snapshot and the view part the client-views: missing is unknown unless a
 * violation is found.
 */
export function checkOrder(index: HistoryIndex): Verdict {
  const witnesses: Witness[] = [];
  const undecidable: string[] = [];
  if (index.snapshot) {
    const bySeq = new Map<string, string[]>();
    for (const message of index.snapshot.messages) {
      const slot = `${message.roomId}\u0000${message.seq}`;
      bySeq.set(slot, [...(bySeq.get(slot) ?? []), message.id]);
    }
    for (const [slot, ids] of bySeq) {
      if (ids.length < 2) continue;
      const [roomId = '', seq = ''] = slot.split('\u0000');
      witnesses.push({
        kind: 'seq-collision',
        description: `the database gives seq ${seq} of room ${roomId} to ${ids.length} messages: ${ids.join(', ')}`,
        roomId,
        ...(ids[0] ? { messageId: ids[0] } : {}),
      });
    }
  } else {
    undecidable.push('no db-snapshot in the history: seq uniqueness cannot be decided');
  }
  if (index.views.size === 0) undecidable.push('no client-view in the history: view order cannot be decided');
  for (const [client, view] of index.views) {
    for (const room of view.rooms) {
      room.messages.forEach((message, position) => {
        const previous = room.messages[position - 1];
        if (!previous || previous.id === message.id || previous.seq < message.seq) return;
        const collision = previous.seq === message.seq;
        witnesses.push({
          kind: collision ? 'seq-collision' : 'out-of-order',
          description: collision
            ? `${client}'s view of room ${room.roomId} shows ${previous.id} and ${message.id} both at seq ${message.seq}`
            : `${client}'s view of room ${room.roomId} shows ${message.id} (seq ${message.seq}) ` +
              `after ${previous.id} (seq ${previous.seq})`,
          roomId: room.roomId,
          messageId: message.id,
          clientMsgId: message.clientMsgId,
          processes: [client],
        });
      });
    }
  }
  const rooms = new Set(index.snapshot?.messages.map((message) => message.roomId) ?? []).size;
  const summary =
    `${countPhrase(rooms, 'room')} in the database, ${countPhrase(index.views.size, 'client view')}: ` +
    countPhrase(witnesses.length, 'order violation');
  return verdictFrom(summary, witnesses, undecidable);
}
