import type { Message } from '../../chat/message.js';

/** What a send publishes as the publication's `data` (JSON): the chat message as the sender made it. */
export interface ChatPublicationData {
  senderId: string;
  clientMsgId: string;
  text: string;
  /** When the send began; kept across retries so every attempt publishes the same data. */
  createdAt: string;
}

/** One message id per (room, sender, clientMsgId): a retry of a send names the same message. */
export function messageId(roomId: string, senderId: string, clientMsgId: string): string {
  return `${roomId}/${senderId}/${clientMsgId}`;
}

/** The idempotency key of a send: its retries share it, so Centrifugo stores the message once. */
export function idempotencyKey(senderId: string, clientMsgId: string): string {
  return `${senderId}/${clientMsgId}`;
}

/**
 * A Centrifugo publication as the shared Message. Centrifugo has one order and one change counter per channel
 * stream, the publication's `offset`, and no edits or deletes, so `seq` and `version` are both the offset: the
 * checker's order and catch-up rules then read Centrifugo's own stream position. The id comes from what the sender
 * put in the data, so the same send seen live, recovered, in history and in its own ack is one message. Data that is
 * not a chat publication (someone else published into the channel) becomes a message with an id naming its offset,
 * so the checker sees it rather than it vanishing here.
 */
export function publicationMessage(roomId: string, offset: number, data: unknown): Message {
  const chat = asChatData(data);
  if (!chat) {
    return {
      id: `${roomId}/offset-${offset}`,
      roomId,
      senderId: '',
      clientMsgId: '',
      text: JSON.stringify(data) ?? '',
      seq: offset,
      version: offset,
      createdAt: new Date(0).toISOString(),
      editedAt: null,
      deletedAt: null,
    };
  }
  return {
    id: messageId(roomId, chat.senderId, chat.clientMsgId),
    roomId,
    senderId: chat.senderId,
    clientMsgId: chat.clientMsgId,
    text: chat.text,
    seq: offset,
    version: offset,
    createdAt: chat.createdAt,
    editedAt: null,
    deletedAt: null,
  };
}

function asChatData(data: unknown): ChatPublicationData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d['senderId'] !== 'string' || typeof d['clientMsgId'] !== 'string' || typeof d['text'] !== 'string') return undefined;
  return {
    senderId: d['senderId'],
    clientMsgId: d['clientMsgId'],
    text: d['text'],
    createdAt: typeof d['createdAt'] === 'string' ? d['createdAt'] : new Date(0).toISOString(),
  };
}
