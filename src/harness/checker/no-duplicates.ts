import { countPhrase, formatCount } from './count-phrase.js';
import { messageKey, type HistoryIndex } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { verdictFrom } from './verdict-from.js';

/**
 * I5 no duplicates: the database holds one message per (roomId, senderId, clientMsgId) — the idempotency key, which
 * belongs to its sender — and no client's final view shows a message id twice or two ids with the same key. Witness: `duplicated`. The database part
 * needs the db-snapshot and the view part the client-views; what is missing is unknown unless a duplicate is found.
 */
export function checkNoDuplicates(index: HistoryIndex): Verdict {
  const witnesses: Witness[] = [];
  const undecidable: string[] = [];
  if (index.snapshot) {
    for (const documents of index.dbByKey.values()) {
      const [first] = documents;
      if (!first || documents.length < 2) continue;
      witnesses.push({
        kind: 'duplicated',
        description:
          `the database holds ${documents.length} messages for ${first.senderId}'s clientMsgId "${first.clientMsgId}" ` +
          `in room ${first.roomId}: ${documents.map((message) => message.id).join(', ')}`,
        roomId: first.roomId,
        clientMsgId: first.clientMsgId,
        messageId: first.id,
      });
    }
  } else {
    undecidable.push('no db-snapshot in the history: duplicate documents cannot be decided');
  }
  if (index.views.size === 0) undecidable.push('no client-view in the history: duplicates in views cannot be decided');
  for (const [client, view] of index.views) {
    for (const room of view.rooms) {
      const ids = new Set<string>();
      const byKey = new Map<string, string>();
      for (const message of room.messages) {
        const base = { roomId: room.roomId, messageId: message.id, clientMsgId: message.clientMsgId, processes: [client] };
        if (ids.has(message.id)) {
          const description = `${client}'s view of room ${room.roomId} shows message ${message.id} twice`;
          witnesses.push({ ...base, kind: 'duplicated', description });
          continue;
        }
        ids.add(message.id);
        const key = messageKey(room.roomId, message.senderId, message.clientMsgId);
        const twin = byKey.get(key);
        if (twin !== undefined) {
          witnesses.push({
            ...base,
            kind: 'duplicated',
            description:
              `${client}'s view of room ${room.roomId} shows ${message.senderId}'s clientMsgId "${message.clientMsgId}" twice, ` +
              `as ${twin} and ${message.id}`,
          });
        }
        byKey.set(key, message.id);
      }
    }
  }
  const documents = index.snapshot?.messages.length ?? 0;
  const summary =
    `${countPhrase(documents, 'document')} for ${formatCount(index.dbByKey.size)} keys, ` +
    `${countPhrase(index.views.size, 'client view')}: ${countPhrase(witnesses.length, 'duplicate')}`;
  return verdictFrom(summary, witnesses, undecidable);
}
