import type { Message } from '../../chat/message.js';

/**
 * What the Socket.IO chat app and its client say to each other (one namespace, `/`):
 * - handshake `auth: {userId, rooms}` (the rooms to subscribe to; those the user is not a member of are ignored),
 *   `query: {client: <label>}` (the label is for the harness's proxy only);
 * - client `send` `{roomId, clientMsgId, text}` with an acknowledgement callback → {@link SendAnswer};
 * - client `history` `{roomId, after, limit}` with a callback → {@link HistoryAnswer} (messages with `version > after`,
 *   ascending): how a client catches up when connection-state recovery did not restore its session;
 * - server `message` `(message)` broadcast to the room (Socket.IO appends its recovery offset as a last argument).
 * A message crosses the wire as the shared {@link Message} shape. Edit and delete are not part of this app.
 */
export const SEND_EVENT = 'send';
export const HISTORY_EVENT = 'history';
export const MESSAGE_EVENT = 'message';

export interface SendPayload {
  roomId: string;
  clientMsgId: string;
  text: string;
}

export interface HistoryPayload {
  roomId: string;
  after: number;
  limit: number;
}

/** Like the reference server's errors: `not_applied` when nothing changed, `unknown` when a write may have happened. */
export interface AppError {
  code: string;
  message: string;
  outcome: 'not_applied' | 'unknown';
}

/** `created: false` when the message was already stored under its `(roomId, senderId, clientMsgId)`. */
export type SendAnswer = { ok: true; created: boolean; message: Message } | { ok: false; error: AppError };

export type HistoryAnswer =
  | { ok: true; changes: Message[]; latestVersion: number; hasMore: boolean }
  | { ok: false; error: AppError };

/** Bounds the app enforces on what a client sends. */
export const LIMITS = { textBytes: 4_000, clientMsgIdLength: 200, historyPage: 500 } as const;
