import type { Message, RoomCursor } from './message.js';

export interface NewMessage {
  roomId: string;
  senderId: string;
  clientMsgId: string;
  text: string;
}

/** `created` is false when the (roomId, clientMsgId) was already stored: `message` is then the original. */
export interface CreateResult {
  message: Message;
  created: boolean;
}

export interface ChangesPage {
  /** Current states of the messages whose version > after, ascending by version. */
  changes: Message[];
  /** The version a reader may continue after: the last returned one, or the room's latest when none was. */
  latestVersion: number;
  hasMore: boolean;
}

/**
 * Where messages live. Implementations throw StoreUnavailableError when a write certainly did not happen and
 * StoreOutcomeUnknownError when it may have (see chat-error.ts); a missing message is `null`, not an error.
 */
export interface MessageStore {
  /** Idempotent by (roomId, clientMsgId); allocates the room's next seq and version. */
  create(message: NewMessage): Promise<CreateResult>;
  /** Sets the text and bumps the version; `null` when the message does not exist in that room. */
  edit(roomId: string, id: string, text: string): Promise<Message | null>;
  /** Tombstones (deletedAt set, text removed) and bumps the version; a tombstone is returned unchanged. */
  softDelete(roomId: string, id: string): Promise<Message | null>;
  find(roomId: string, id: string): Promise<Message | null>;
  changesAfter(roomId: string, afterVersion: number, limit: number): Promise<ChangesPage>;
  /** The room's latest committed seq and version (0 for an empty room). */
  cursor(roomId: string): Promise<RoomCursor>;
  /** Every message of a room by seq (for tests and database snapshots). */
  all(roomId: string): Promise<Message[]>;
  close(): Promise<void>;
}
