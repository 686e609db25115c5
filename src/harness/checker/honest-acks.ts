import { ackMismatch } from './ack-content.js';
import { countPhrase } from './count-phrase.js';
import { messageKey, userOf, type HistoryIndex, type Operation } from './history-index.js';
import type { Verdict, Witness } from './verdict.js';
import { undecided, verdictFrom } from './verdict-from.js';
import { writtenContent } from './written-content.js';

/**
 * I4 honest acks: nothing reported `fail` (the server said `not_applied`) to its sender was applied.
 * - a failed send whose (roomId, clientMsgId) is in the database is a lie, unless another attempt with the same
 *   key may have stored it: one that completed ok with 201 (it created it; a 200 "already stored" would instead
 *   betray the lie), or one whose outcome is unknown (info, or never completed: a retry after a crash can be
 *   refused while the first attempt was saved);
 * - a failed edit is a lie when its text (texts are unique in a run) is the database's text of the message, or
 *   the server sent any client the message holding that text (live or by catch-up);
 * - a failed delete is a lie when its target is deleted in the database and no other delete of it ended ok or
 *   info (or never completed).
 * `info` is allowed either way. Witness: `lie`.
 * Every answer is also checked against its request (ack-content.ts): an acknowledgment must carry the room, sender,
 * key or message and text asked for, as content some write explains (witness `wrong-ack`), and a refusal as a reused
 * key must name a key its sender did reuse (witness `lie`). Without a db-snapshot: unknown.
 */
export function checkHonestAcks(index: HistoryIndex): Verdict {
  if (!index.snapshot) return undecided('no db-snapshot in the history: honest acks cannot be decided');
  const failed = index.operations.filter((operation) => operation.status === 'fail');
  const witnesses: Witness[] = [];
  const seenTexts = receivedTexts(index);
  const content = writtenContent(index);
  let wrongAcks = 0;
  for (const operation of index.operations) {
    const mismatch = ackMismatch(operation, index, content);
    if (mismatch === undefined) continue;
    const { invoke } = operation;
    const kind = operation.status === 'ok' ? 'wrong-ack' : 'lie';
    if (kind === 'wrong-ack') wrongAcks++;
    const messageId = operation.complete?.message?.id ?? invoke.messageId;
    witnesses.push({
      kind,
      description: `${invoke.process}'s ${invoke.kind} (op ${operation.op}) was ${kind === 'lie' ? 'refused' : 'acknowledged'}: ${mismatch}`,
      roomId: invoke.roomId,
      ...(messageId ? { messageId } : {}),
      ...(invoke.clientMsgId !== undefined ? { clientMsgId: invoke.clientMsgId } : {}),
      processes: [invoke.process],
      ops: [operation.op],
    });
  }
  for (const operation of failed) {
    const evidence = lieEvidence(operation, index, seenTexts);
    if (evidence === undefined) continue;
    const { invoke } = operation;
    const messageId = evidence.messageId ?? invoke.messageId;
    const code = operation.complete?.error ? ` (${operation.complete.error.code})` : '';
    witnesses.push({
      kind: 'lie',
      description: `${invoke.process}'s ${invoke.kind} (op ${operation.op}) was reported failed${code}, but ${evidence.because}`,
      roomId: invoke.roomId,
      ...(messageId ? { messageId } : {}),
      ...(invoke.clientMsgId !== undefined ? { clientMsgId: invoke.clientMsgId } : {}),
      processes: [invoke.process],
      ops: [operation.op],
    });
  }
  const lies = witnesses.length - wrongAcks;
  const acked = index.operations.filter((operation) => operation.status === 'ok').length;
  let summary = `${countPhrase(lies, 'lie')} among ${countPhrase(failed.length, 'operation')} reported failed`;
  if (wrongAcks > 0) summary += `; ${countPhrase(wrongAcks, 'acknowledgment')} of ${acked} not matching its request`;
  return verdictFrom(summary, witnesses);
}

function lieEvidence(
  operation: Operation,
  index: HistoryIndex,
  seenTexts: Map<string, Set<string>>,
): { because: string; messageId?: string } | undefined {
  const { invoke } = operation;
  if (invoke.kind === 'send') {
    if (invoke.clientMsgId === undefined) return undefined;
    const sender = userOf(index, operation.process);
    const key = messageKey(invoke.roomId, sender, invoke.clientMsgId);
    const stored = index.dbByKey.get(key)?.[0];
    if (!stored) return undefined;
    const creator = index.operations.find(
      (other) =>
        other !== operation &&
        other.kind === 'send' &&
        other.invoke.roomId === invoke.roomId &&
        userOf(index, other.process) === sender &&
        other.invoke.clientMsgId === invoke.clientMsgId &&
        (other.status === 'info' || (other.status === 'ok' && other.complete?.httpStatus === 201)),
    );
    if (creator) return undefined;
    return { because: `message ${stored.id} with its clientMsgId "${invoke.clientMsgId}" is stored`, messageId: stored.id };
  }
  const messageId = invoke.messageId;
  if (messageId === undefined) return undefined;
  const stored = index.dbById.get(messageId);
  if (invoke.kind === 'edit') {
    if (invoke.text === undefined) return undefined;
    if (stored && stored.deletedAt === null && stored.text === invoke.text) return { because: 'the database holds its text' };
    if (seenTexts.get(messageId)?.has(invoke.text)) return { because: 'a client received the message with its text' };
    return undefined;
  }
  if (!stored || stored.deletedAt === null) return undefined;
  const otherDelete = index.operations.some(
    (other) => other !== operation && other.kind === 'delete' && other.status !== 'fail' && other.invoke.messageId === messageId,
  );
  return otherDelete ? undefined : { because: 'the database holds the message deleted and no other delete of it succeeded' };
}

/**
 * message id -> every text the server sent it with (live or by catch-up). Not the final views: a client may show
 * its own optimistic state there, which is no evidence of what the server applied.
 */
function receivedTexts(index: HistoryIndex): Map<string, Set<string>> {
  const texts = new Map<string, Set<string>>();
  for (const { message } of index.receipts) texts.set(message.id, (texts.get(message.id) ?? new Set()).add(message.text));
  return texts;
}
