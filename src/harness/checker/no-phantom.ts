import type { Message } from '../../chat/message.js';
import { countPhrase, formatCount } from './count-phrase.js';
import { messageKey, userOf, type HistoryIndex } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { undecided, verdictFrom } from './verdict-from.js';

/**
 * I3 no phantom: every message state a client received (live broadcast or catch-up change) is one the database
 * had. The final db-snapshot holds only the last state, so a received state is a phantom when:
 * its id is not in the database; its room, seq or clientMsgId differ from the document's; its version is beyond
 * the document's; at the document's own version its text or deletion differs; it is deleted but the document is
 * not (there is no undelete); or, at an earlier version, its text is one no send or edit of that message ever wrote
 * (generated texts are unique in a run). A message whose send ended `info` and which is persisted is fine.
 * Witness: `phantom`, one per (message, version, reason), naming the clients that received it.
 */
export function checkNoPhantom(index: HistoryIndex): Verdict {
  if (!index.snapshot) return undecided('no db-snapshot in the history: phantoms cannot be decided');
  const written = writtenTexts(index);
  const found = new Map<string, Witness & { processes: string[] }>();
  let live = 0;
  for (const receipt of index.receipts) {
    if (receipt.via === 'broadcast') live++;
    const received = receipt.message;
    const reason = phantomReason(received, index.dbById.get(received.id), written);
    if (reason === undefined) continue;
    const group = `${received.id}\u0000${received.version}\u0000${reason}`;
    const witness = found.get(group);
    if (witness) {
      if (!witness.processes.includes(receipt.process)) witness.processes.push(receipt.process);
      continue;
    }
    const how = receipt.via === 'broadcast' ? 'live' : `catch-up, ${receipt.via}`;
    found.set(group, {
      kind: 'phantom',
      description:
        `${receipt.process} received message ${received.id} of room ${received.roomId} ` +
        `at version ${received.version} (${how}), which ${reason}`,
      roomId: received.roomId,
      messageId: received.id,
      clientMsgId: received.clientMsgId,
      processes: [receipt.process],
    });
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

function phantomReason(received: Message, stored: Message | undefined, written: Map<string, Set<string>>): string | undefined {
  if (!stored) return 'is not in the database';
  for (const field of ['roomId', 'seq', 'clientMsgId'] as const) {
    if (received[field] !== stored[field]) {
      return `has ${field} ${JSON.stringify(received[field])} where the database has ${JSON.stringify(stored[field])}`;
    }
  }
  if (received.version > stored.version) return `is beyond the database's version ${stored.version}`;
  const receivedDeleted = received.deletedAt !== null;
  if (receivedDeleted && stored.deletedAt === null) return 'is deleted, but the database never deleted it';
  if (received.version === stored.version) {
    if (receivedDeleted !== (stored.deletedAt !== null) || received.text !== stored.text) {
      return `holds ${JSON.stringify(received.text)} where the database at that version holds ${JSON.stringify(stored.text)}`;
    }
    return undefined;
  }
  if (receivedDeleted) return undefined;
  const known = [
    ...(written.get(messageKey(stored.roomId, stored.senderId, stored.clientMsgId)) ?? []),
    ...(written.get(stored.id) ?? []),
  ];
  return known.includes(received.text) ? undefined : `holds ${JSON.stringify(received.text)}, a text no send or edit of it wrote`;
}
