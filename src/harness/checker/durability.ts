import type { Message } from '../../chat/message.js';
import { countPhrase, formatCount } from './count-phrase.js';
import { storedMessage, type HistoryIndex, type Operation } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { undecided, verdictFrom } from './verdict-from.js';

/**
 * I1 durability: every acknowledged (ok) operation is reflected in the final db-snapshot.
 * - send: a document with the acknowledged id, or with its (roomId, clientMsgId), exists (a tombstone counts);
 * - edit: the document's version is at least the acknowledged one, and at that same version holds the edited text
 *   (a later version means a later change superseded it, which is fine);
 * - delete: the document exists with deletedAt set (there is no undelete).
 * Witness: `lost`. Without a db-snapshot the run could not decide: unknown.
 */
export function checkDurability(index: HistoryIndex): Verdict {
  if (!index.snapshot) return undecided('no db-snapshot in the history: durability cannot be decided');
  const witnesses: Witness[] = [];
  let stored = 0;
  for (const message of index.acknowledged) {
    if (storedMessage(index, message)) {
      stored++;
      continue;
    }
    const ops = message.ops.map((operation) => operation.op);
    witnesses.push({
      kind: 'lost',
      description:
        `acknowledged send of clientMsgId "${message.clientMsgId}" in room ${message.roomId} ` +
        `(op ${ops.join(', ')}) is not in the database`,
      roomId: message.roomId,
      clientMsgId: message.clientMsgId,
      ...(message.messageId ? { messageId: message.messageId } : {}),
      processes: [...new Set(message.ops.map((operation) => operation.process))],
      ops,
    });
  }
  const changes = { edit: { acknowledged: 0, reflected: 0 }, delete: { acknowledged: 0, reflected: 0 } };
  for (const operation of index.operations) {
    if (operation.status !== 'ok' || operation.kind === 'send') continue;
    const tally = changes[operation.kind];
    tally.acknowledged++;
    const problem = unreflected(operation, index);
    if (problem === undefined) {
      tally.reflected++;
      continue;
    }
    const messageId = targetOf(operation);
    witnesses.push({
      kind: 'lost',
      description: `acknowledged ${operation.kind} of message ${messageId} (op ${operation.op}): ${problem}`,
      roomId: operation.invoke.roomId,
      ...(messageId ? { messageId } : {}),
      processes: [operation.process],
      ops: [operation.op],
    });
  }
  const lost = index.acknowledged.length - stored;
  let summary = `${formatCount(index.acknowledged.length)} acknowledged: ${formatCount(stored)} stored`;
  if (lost > 0) summary += `, ${formatCount(lost)} lost`;
  if (changes.edit.acknowledged > 0) {
    summary += `; ${countPhrase(changes.edit.acknowledged, 'acknowledged edit')}: ${formatCount(changes.edit.reflected)} reflected`;
  }
  if (changes.delete.acknowledged > 0) {
    summary += `; ${countPhrase(changes.delete.acknowledged, 'acknowledged delete')}: ${formatCount(changes.delete.reflected)} applied`;
  }
  return verdictFrom(summary, witnesses);
}

function targetOf(operation: Operation): string | undefined {
  return operation.invoke.messageId ?? operation.complete?.message?.id;
}

/** Why the database does not reflect an acknowledged edit or delete, or undefined when it does. */
function unreflected(operation: Operation, index: HistoryIndex): string | undefined {
  const messageId = targetOf(operation);
  const stored = messageId === undefined ? undefined : index.dbById.get(messageId);
  if (!stored) return 'the message is not in the database';
  if (operation.kind === 'delete') {
    return stored.deletedAt === null ? 'the database still holds it undeleted' : undefined;
  }
  const acknowledged: Pick<Message, 'version' | 'text'> | undefined = operation.complete?.message;
  if (!acknowledged) return undefined;
  if (stored.version < acknowledged.version) {
    return `the database holds version ${stored.version}, the edit was acknowledged at version ${acknowledged.version}`;
  }
  if (stored.version === acknowledged.version && stored.text !== acknowledged.text) {
    const [held, edited] = [JSON.stringify(stored.text), JSON.stringify(acknowledged.text)];
    return `at the acknowledged version ${stored.version} the database holds ${held}, not ${edited}`;
  }
  return undefined;
}
