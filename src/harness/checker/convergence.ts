import type { Message } from '../../chat/message.js';
import { countPhrase, formatCount, shortList } from './count-phrase.js';
import { unreadRoom, viewOfRoom, type HistoryIndex } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { undecided, verdictFrom } from './verdict-from.js';

/**
 * I7 convergence: each client's final view of each room its user belongs to equals the database's messages of
 * that room: the same ids, each with the same version, text and deletedAt (edits and deletes applied). Witnesses,
 * one per message naming the clients: `stale` (the view lacks it or holds another state) and `unexpected` (the
 * view holds an id the database does not). A client without a client-view is undecided: unknown unless a
 * violation is found; no db-snapshot or no views at all: unknown.
 */
export function checkConvergence(index: HistoryIndex): Verdict {
  if (!index.snapshot) return undecided('no db-snapshot in the history: convergence cannot be decided');
  if (index.views.size === 0) return undecided('no client-view in the history: convergence cannot be decided');
  const database = new Map<string, Message[]>();
  for (const message of index.snapshot.messages) {
    database.set(message.roomId, [...(database.get(message.roomId) ?? []), message]);
  }
  const differences = new Map<string, { witness: Witness; details: string[] }>();
  const note = (kind: 'stale' | 'unexpected', message: Message, client: string, detail: string): void => {
    const group = `${kind}\u0000${message.id}`;
    const known = differences.get(group);
    if (known) {
      known.witness.processes?.push(client);
      known.details.push(detail);
      return;
    }
    differences.set(group, {
      witness: {
        kind,
        description: '',
        roomId: message.roomId,
        messageId: message.id,
        clientMsgId: message.clientMsgId,
        processes: [client],
      },
      details: [detail],
    });
  };
  const withoutView: string[] = [];
  const unread: string[] = [];
  let compared = 0;
  for (const [client, userId] of index.clientUser) {
    const view = index.views.get(client);
    if (!view) {
      withoutView.push(client);
      continue;
    }
    compared++;
    for (const [roomId, members] of index.members) {
      if (!members.has(userId)) continue;
      if (unreadRoom(index, client, roomId)) {
        unread.push(`${client} (${roomId})`);
        continue;
      }
      const shown = new Map<string, Message>();
      for (const message of viewOfRoom(view, roomId)) shown.set(message.id, message);
      for (const stored of database.get(roomId) ?? []) {
        const held = shown.get(stored.id);
        shown.delete(stored.id);
        if (!held) note('stale', stored, client, `${client} lacks it`);
        else if (held.version !== stored.version || held.text !== stored.text || held.deletedAt !== stored.deletedAt) {
          note('stale', stored, client, `${client} holds ${describeState(held)}`);
        }
      }
      for (const extra of shown.values()) note('unexpected', extra, client, `${client} holds ${describeState(extra)}`);
    }
  }
  const witnesses = [...differences.values()].map(({ witness, details }) => {
    const stored = index.dbById.get(witness.messageId ?? '');
    const against = stored ? `the database has ${describeState(stored)}` : 'the database has no such message';
    witness.description = `message ${witness.messageId} of room ${witness.roomId}: ${shortList(details)}; ${against}`;
    return witness;
  });
  const stale = witnesses.filter((witness) => witness.kind === 'stale').length;
  const unexpected = witnesses.length - stale;
  const views = countPhrase(compared, 'client view');
  const stored = `${countPhrase(index.snapshot.messages.length, 'message')} in ${countPhrase(database.size, 'room')}`;
  const summary =
    witnesses.length === 0
      ? `${views} equal the database (${stored})`
      : `${views} against the database: ${formatCount(stale)} stale, ${formatCount(unexpected)} unexpected`;
  const undecidable = [
    ...(withoutView.length > 0 ? [`no client-view of ${shortList(withoutView)}: their convergence cannot be decided`] : []),
    ...(unread.length > 0 ? [`the final catch-up of ${shortList(unread)} got no answer: their convergence cannot be decided`] : []),
  ];
  return verdictFrom(summary, witnesses, undecidable);
}

function describeState(message: Message): string {
  return message.deletedAt !== null
    ? `version ${message.version}, deleted`
    : `version ${message.version} ${JSON.stringify(message.text)}`;
}
