import type { Message, RoomCursor } from './message.js';
import type { MessageEvent } from './message-event.js';

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
 * How a write records its broadcast (the `outbox` pattern): `pendingBroadcast` marks the very document it writes,
 * in the same single-document write, as still to be broadcast. Other patterns leave it off and nothing is marked.
 */
export interface WriteOptions {
  pendingBroadcast?: boolean;
}

/** A broadcast the relay made: the message's id and the version it carried. */
export interface BroadcastMark {
  id: string;
  version: number;
}

/**
 * Where messages live. Implementations throw StoreUnavailableError when a write certainly did not happen and
 * StoreOutcomeUnknownError when it may have (see chat-error.ts); a missing message is `null`, not an error.
 */
export interface MessageStore {
  /** Idempotent by (roomId, clientMsgId); allocates the room's next seq and version. */
  create(message: NewMessage, options?: WriteOptions): Promise<CreateResult>;
  /** Sets the text and bumps the version; `null` when the message does not exist in that room. */
  edit(roomId: string, id: string, text: string, options?: WriteOptions): Promise<Message | null>;
  /** Tombstones (deletedAt set, text removed) and bumps the version; a tombstone is returned unchanged. */
  softDelete(roomId: string, id: string, options?: WriteOptions): Promise<Message | null>;
  find(roomId: string, id: string): Promise<Message | null>;
  changesAfter(roomId: string, afterVersion: number, limit: number): Promise<ChangesPage>;
  /** The room's latest committed seq and version (0 for an empty room). */
  cursor(roomId: string): Promise<RoomCursor>;
  /**
   * Up to `limit` messages still marked pending, as the event of their latest change (created, edited or deleted),
   * by room and version: the outbox relay's page. The database is the queue; nothing is held elsewhere.
   */
  pendingBroadcasts(limit: number): Promise<MessageEvent[]>;
  /**
   * Clears the pending mark of each message whose version is still the one broadcast (a newer change stays
   * pending, so an older broadcast never marks it delivered). Returns how many were cleared.
   */
  markBroadcast(marks: readonly BroadcastMark[]): Promise<number>;
  /** How many messages are marked pending (for /healthz). */
  countPendingBroadcasts(): Promise<number>;
  /** Every message of a room by seq (for tests and database snapshots). */
  all(roomId: string): Promise<Message[]>;
  close(): Promise<void>;
}
