import { quoteText } from './quote-text.js';
import type { Message } from '../../chat/message.js';
import { countPhrase, formatCount } from './count-phrase.js';
import { messageKey, userOf, type HistoryIndex } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { undecided, verdictFrom } from './verdict-from.js';
import { unexplainedContent, writtenContent, type WrittenContent } from './written-content.js';

/**
 * I3 no phantom: every message state a client received (live broadcast or catch-up change) is one the database
 * had. The final db-snapshot holds only the last state, so a received state is a phantom when:
 * its id is not in the database; its room, seq or clientMsgId differ from the document's; its version is beyond
 * the document's; at the document's own version its text or deletion differs; it is deleted but the document is
 * not (there is no undelete); or, at an earlier version, its text is one no send or edit of that message ever wrote
 * (generated texts are unique in a run). A message whose send ended `info` and which is persisted is fine.
 * Content, not only versions: every received state, every message of a final client-view and every document of the
 * db-snapshot must be content some write explains (written-content.ts: a key someone sent, a text its send or an
 * edit wrote, never a reusing send's text, at the version it was written), and a view's message must have the
 * database's room, sender, clientMsgId and seq.
 * Witness: `phantom`, one per (message, version, reason), naming the clients that received or show it.
 */
export function checkNoPhantom(index: HistoryIndex): Verdict {
  if (!index.snapshot) return undecided('no db-snapshot in the history: phantoms cannot be decided');
  const written = writtenTexts(index);
  const content = writtenContent(index);
  const found = new Map<string, Witness & { processes: string[] }>();
  // One witness per place (received, shown, stored), message, version and reason, naming every client involved.
  const note = (where: string, message: Message, reason: string, process: string | undefined, describe: () => string): void => {
    const group = `${where}\u0000${message.id}\u0000${message.version}\u0000${reason}`;
    const witness = found.get(group);
    if (witness) {
      if (process !== undefined && !witness.processes.includes(process)) witness.processes.push(process);
      return;
    }
    found.set(group, {
      kind: 'phantom',
      description: `${describe()}, which ${reason}`,
      roomId: message.roomId,
      messageId: message.id,
      clientMsgId: message.clientMsgId,
      processes: process === undefined ? [] : [process],
    });
  };
  let live = 0;
  for (const receipt of index.receipts) {
    if (receipt.via === 'broadcast') live++;
    const received = receipt.message;
    const reason = phantomReason(received, index.dbById.get(received.id), written) ?? unexplainedContent(received, content);
    if (reason === undefined) continue;
    const how = receipt.via === 'broadcast' ? 'live' : `catch-up, ${receipt.via}`;
    note('received', received, reason, receipt.process, () =>
      `${receipt.process} received message ${received.id} of room ${received.roomId} at version ${received.version} (${how})`,
    );
  }
  for (const [process, view] of index.views) {
    for (const shown of view.rooms.flatMap((room) => room.messages)) {
      const stored = index.dbById.get(shown.id);
      const reason = (stored && identityDiffers(shown, stored)) ?? unexplainedContent(shown, content);
      if (reason === undefined) continue;
      note('view', shown, reason, process, () => `${process}'s final view shows message ${shown.id} of room ${shown.roomId} at version ${shown.version}`);
    }
  }
  for (const stored of index.snapshot.messages) {
    const reason = unexplainedContent(stored, content);
    if (reason === undefined) continue;
    note('database', stored, reason, undefined, () => `the database holds message ${stored.id} of room ${stored.roomId} at version ${stored.version}`);
  }
  const witnesses = [...found.values()];
  const received = index.receipts.length;
  const summary =
    `${formatCount(received)} received (${formatCount(live)} live, ${formatCount(received - live)} by catch-up): ` +
    countPhrase(witnesses.length, 'phantom');
  return verdictFrom(summary, witnesses);
}

/** message id (or key) -> every text a send or edit operation of it carried, whatever its outcome. */
function writtenTexts(index: HistoryIndex): Map<string, Set<string>> {
  const texts = new Map<string, Set<string>>();
  const add = (id: string, text: string | undefined): void => {
    if (text === undefined) return;
    texts.set(id, (texts.get(id) ?? new Set()).add(text));
  };
  for (const { invoke } of index.operations) {
    if (invoke.kind === 'send' && invoke.clientMsgId !== undefined) {
      add(messageKey(invoke.roomId, userOf(index, invoke.process), invoke.clientMsgId), invoke.text);
    }
    if (invoke.kind === 'edit' && invoke.messageId !== undefined) add(invoke.messageId, invoke.text);
  }
  return texts;
}

/** A state of a message whose identity (room, sender, key, seq: fixed at its creation) is not the database's. */
function identityDiffers(state: Message, stored: Message): string | undefined {
  for (const field of ['roomId', 'senderId', 'seq', 'clientMsgId'] as const) {
    if (state[field] !== stored[field]) {
      return `has ${field} ${JSON.stringify(state[field])} where the database has ${JSON.stringify(stored[field])}`;
    }
  }
  return undefined;
}

function phantomReason(received: Message, stored: Message | undefined, written: Map<string, Set<string>>): string | undefined {
  if (!stored) return 'is not in the database';
  const differs = identityDiffers(received, stored);
  if (differs !== undefined) return differs;
  if (received.version > stored.version) return `is beyond the database's version ${stored.version}`;
  const receivedDeleted = received.deletedAt !== null;
  if (receivedDeleted && stored.deletedAt === null) return 'is deleted, but the database never deleted it';
  if (received.version === stored.version) {
    if (receivedDeleted !== (stored.deletedAt !== null) || received.text !== stored.text) {
      return `holds ${quoteText(received.text)} where the database at that version holds ${quoteText(stored.text)}`;
    }
    return undefined;
  }
  if (receivedDeleted) return undefined;
  const known = [
    ...(written.get(messageKey(stored.roomId, stored.senderId, stored.clientMsgId)) ?? []),
    ...(written.get(stored.id) ?? []),
  ];
  return known.includes(received.text) ? undefined : `holds ${quoteText(received.text)}, a text no send or edit of it wrote`;
}
