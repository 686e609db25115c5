import type { Message, RoomCursor } from './message.js';
import type { MessageEvent } from './message-event.js';

export interface NewMessage {
  roomId: string;
  senderId: string;
  clientMsgId: string;
  text: string;
}

/**
 * `created` is false when the sender's (roomId, clientMsgId) was already stored: `message` is then that message as
 * it is now.
 */
export interface CreateResult {
  message: Message;
  created: boolean;
}

/** An edit or delete: `changed` is false when the message was already a tombstone (`message` is then the tombstone). */
export interface ChangeResult {
  message: Message;
  changed: boolean;
}

export interface ChangesPage {
  /** Every change with version > after, ascending by version, each as the message was at that change. */
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
  /** The server node that made the write (several nodes share a database): whose relay publishes it first. */
  origin?: string;
}

/** A change the outbox still has to broadcast. */
export interface PendingChange {
  event: MessageEvent;
  /** The node whose write it was (`WriteOptions.origin`), or null when none was given. */
  origin: string | null;
  /** When the change was made (ms since the epoch, the writing node's clock). */
  changedAt: number;
}

/** A broadcast the relay made: the message's id and the version (the change) it carried. */
export interface BroadcastMark {
  id: string;
  version: number;
}

/**
 * Where messages live. Implementations throw StoreUnavailableError when a write certainly did not happen and
 * StoreOutcomeUnknownError when it may have (see chat-error.ts); a missing message is `null`, not an error. Every
 * method must stay correct with several server processes writing the same rooms.
 */
export interface MessageStore {
  /**
   * Idempotent by (roomId, senderId, clientMsgId); allocates the room's next seq and version. The same key with
   * another text is a ConflictError (IDEMPOTENCY_KEY_REUSED).
   */
  create(message: NewMessage, options?: WriteOptions): Promise<CreateResult>;
  /** Sets the text and bumps the version; `null` when the message does not exist in that room. */
  edit(roomId: string, id: string, text: string, options?: WriteOptions): Promise<ChangeResult | null>;
  /** Tombstones (deletedAt set, text removed) and bumps the version. */
  softDelete(roomId: string, id: string, options?: WriteOptions): Promise<ChangeResult | null>;
  find(roomId: string, id: string): Promise<Message | null>;
  changesAfter(roomId: string, afterVersion: number, limit: number): Promise<ChangesPage>;
  /** The room's latest committed seq and version (0 for an empty room). */
  cursor(roomId: string): Promise<RoomCursor>;
  /**
   * Up to `limit` changes still marked pending, each as its event (created, edited or deleted), by room and
   * version: the outbox relay's page. The database is the queue; nothing is held elsewhere.
   */
  pendingBroadcasts(limit: number): Promise<PendingChange[]>;
  /** Clears the pending mark of each change broadcast. Returns how many were cleared (not already clear). */
  markBroadcast(marks: readonly BroadcastMark[]): Promise<number>;
  /** How many changes are marked pending (for /healthz). */
  countPendingBroadcasts(): Promise<number>;
  close(): Promise<void>;
}
