import { quoteText } from './quote-text.js';
import { userOf, type HistoryIndex, type Operation } from './history-index.js';
import { unexplainedContent, type WrittenContent } from './written-content.js';

/** The error code of the wire contract for a clientMsgId its sender already used in the room with another text. */
export const KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';

/**
 * Why an answer does not match its request, or undefined when it does (part of I4 honest acks: an answer is a claim
 * about what the server did with this request).
 * - An acknowledged send carries the request's room, sender and clientMsgId; created now (201), the request's text;
 *   already stored (200), the message as it is (its creation text or an edit's, never a reusing send's).
 * - An acknowledged edit carries the target's id, room and sender, and the text asked for; an acknowledged delete,
 *   the target deleted.
 * - Any acknowledged state must be content some write explains (see unexplainedContent).
 * - A send refused as IDEMPOTENCY_KEY_REUSED is honest only if its sender did send that key to that room with
 *   another text (and that send was not refused): a key tied to the room alone, or to the clientMsgId alone, refuses
 *   another user's or another room's send with this answer.
 */
export function ackMismatch(operation: Operation, index: HistoryIndex, content: WrittenContent): string | undefined {
  const { invoke, complete } = operation;
  if (operation.status === 'fail') return falseKeyReuse(operation, index);
  const message = complete?.message;
  if (operation.status !== 'ok' || !message) return undefined;
  const user = userOf(index, operation.process);
  const asked: [string, string | undefined, string][] = [
    ['room', invoke.roomId, message.roomId],
    ['sender', user, message.senderId],
  ];
  if (invoke.kind === 'send') asked.push(['clientMsgId', invoke.clientMsgId, message.clientMsgId]);
  else asked.push(['message', invoke.messageId, message.id]);
  for (const [field, request, answer] of asked) {
    if (request !== undefined && request !== answer) {
      return `acknowledged with ${field} ${JSON.stringify(answer)}, but the request was for ${JSON.stringify(request)}`;
    }
  }
  if (invoke.kind === 'delete') return message.deletedAt === null ? 'acknowledged a delete with the message not deleted' : undefined;
  if (message.deletedAt === null && invoke.text !== undefined && message.text !== invoke.text) {
    if (invoke.kind === 'edit') return `acknowledged with text ${quoteText(message.text)}, but the edit asked for ${quoteText(invoke.text)}`;
    if (complete.httpStatus === 201) {
      return `acknowledged as created (201) with text ${quoteText(message.text)}, but the send asked for ${quoteText(invoke.text)}`;
    }
  }
  if (invoke.kind === 'edit' && message.deletedAt !== null) return 'acknowledged an edit with the message deleted';
  const why = unexplainedContent(message, content);
  return why === undefined ? undefined : `acknowledged message ${message.id} at version ${message.version}, which ${why}`;
}

function falseKeyReuse(operation: Operation, index: HistoryIndex): string | undefined {
  const { invoke, complete } = operation;
  if (invoke.kind !== 'send' || complete?.error?.code !== KEY_REUSED) return undefined;
  const user = userOf(index, operation.process);
  const earlier = index.operations.some(
    (other) =>
      other !== operation &&
      other.kind === 'send' &&
      other.status !== 'fail' &&
      other.invoke.time <= complete.time &&
      other.invoke.roomId === invoke.roomId &&
      other.invoke.clientMsgId === invoke.clientMsgId &&
      other.invoke.text !== invoke.text &&
      userOf(index, other.process) === user,
  );
  if (earlier) return undefined;
  return (
    `refused as ${KEY_REUSED}, but ${user} never sent clientMsgId ${JSON.stringify(invoke.clientMsgId)} to room ` +
    `${invoke.roomId} with another text: the key must be (room, sender, clientMsgId)`
  );
}
