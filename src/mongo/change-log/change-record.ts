import { createHash } from 'node:crypto';
import type { Message, MessageEventType } from '../../chat/message.js';

/** The collection of the append-only change log (one record per create, edit and delete). */
export const CHANGES_COLLECTION = 'changes';

/**
 * One change of one message, never updated after it is inserted (the outbox's "pending broadcast" is a document of
 * its own, OutboxEntry). A message is the chain of its records, `rev` 0 (the send) upward; its current state is
 * the record with the highest `rev`. Three unique keys make every concurrent write safe with inserts alone, which
 * is the only write FerretDB makes atomic (README: "The reference store"):
 *   - `_id` = `<messageId>:<rev>`: one send per idempotency key (rev 0), one successor per state (a compare-and-set);
 *   - `(roomId, version)`: the room's change counter is never given twice;
 *   - `(roomId, seq, rev)`: a seq is never given to two messages (creates have rev 0; a message's later revs share
 *     its seq and differ in rev).
 */
export interface ChangeRecord extends Omit<Message, 'id' | 'createdAt' | 'editedAt' | 'deletedAt'> {
  _id: string;
  messageId: string;
  rev: number;
  /** What this change was, for the broadcast that announces it. */
  event: MessageEventType;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export function recordId(messageId: string, rev: number): string {
  return `${messageId}:${rev}`;
}

/**
 * A message's id, derived from its idempotency key `(roomId, senderId, clientMsgId)`: a key belongs to its sender,
 * so another member reusing the same clientMsgId sends a message of their own. UUID-shaped for readability.
 */
export function messageIdOf(roomId: string, senderId: string, clientMsgId: string): string {
  const hex = createHash('sha256').update(roomId).update('\u0000').update(senderId).update('\u0000').update(clientMsgId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function toMessage(record: ChangeRecord): Message {
  return {
    id: record.messageId,
    roomId: record.roomId,
    senderId: record.senderId,
    clientMsgId: record.clientMsgId,
    text: record.text,
    seq: record.seq,
    version: record.version,
    createdAt: record.createdAt.toISOString(),
    editedAt: record.editedAt?.toISOString() ?? null,
    deletedAt: record.deletedAt?.toISOString() ?? null,
  };
}
