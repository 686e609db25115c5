import { countPhrase, formatCount, shortList } from './count-phrase.js';
import { memberClients, messageKey, unreadRoom, type HistoryIndex } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { undecided, verdictFrom } from './verdict-from.js';

/**
 * I2 recoverability: after the final reconnect and catch-up, every member client's final client-view holds every
 * acknowledged message of its rooms — by the acknowledged id, or by (roomId, clientMsgId) when the acknowledgment
 * carried no message. Tombstones count (a deleted message is still recovered). Witness: `unrecovered`, one per
 * message, naming the clients that lack it. A member client with no client-view could not be decided: unknown
 * (unless something else already decides false).
 */
export function checkRecoverability(index: HistoryIndex): Verdict {
  if (index.views.size === 0) return undecided('no client-view in the history: recoverability cannot be decided');
  const held = new Map<string, Set<string>>();
  for (const [client, view] of index.views) {
    const ids = new Set<string>();
    for (const room of view.rooms) {
      for (const message of room.messages) {
        ids.add(`id:${message.id}`);
        ids.add(`key:${messageKey(room.roomId, message.senderId, message.clientMsgId)}`);
      }
    }
    held.set(client, ids);
  }
  const witnesses: Witness[] = [];
  const withoutView = new Set<string>();
  const unread = new Set<string>();
  let pairs = 0;
  for (const message of index.acknowledged) {
    const wanted = message.messageId ? `id:${message.messageId}` : `key:${message.key}`;
    const lacking: string[] = [];
    for (const client of memberClients(index, message.roomId)) {
      const ids = held.get(client);
      if (!ids) withoutView.add(client);
      else if (unreadRoom(index, client, message.roomId)) unread.add(`${client} (${message.roomId})`);
      else if (!ids.has(wanted)) lacking.push(client);
    }
    if (lacking.length === 0) continue;
    pairs += lacking.length;
    witnesses.push({
      kind: 'unrecovered',
      description:
        `acknowledged message ${message.messageId ?? `"${message.clientMsgId}"`} of room ${message.roomId} ` +
        `is missing from the final view of ${shortList(lacking)}`,
      roomId: message.roomId,
      clientMsgId: message.clientMsgId,
      ...(message.messageId ? { messageId: message.messageId } : {}),
      processes: lacking,
      ops: message.ops.map((operation) => operation.op),
    });
  }
  const clients = index.clientUser.size;
  const acknowledged = countPhrase(index.acknowledged.length, 'acknowledged message');
  const summary =
    witnesses.length === 0
      ? `${acknowledged} recovered by all ${countPhrase(clients, 'client')}`
      : `${acknowledged}: ${formatCount(witnesses.length)} unrecovered ` +
        `(${countPhrase(pairs, 'client-message pair')} of ${countPhrase(clients, 'client')})`;
  const undecidable = [
    ...(withoutView.size > 0 ? [`no client-view of ${shortList([...withoutView])}: their recovery cannot be decided`] : []),
    ...(unread.size > 0 ? [`the final catch-up of ${shortList([...unread])} got no answer: their recovery cannot be decided`] : []),
  ];
  return verdictFrom(summary, witnesses, undecidable);
}
