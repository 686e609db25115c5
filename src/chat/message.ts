/**
 * A chat message as stored and as it crosses the wire (DESIGN.md §7). `seq` is the room's creation order;
 * `version` is the room's change counter at this message's latest change (create, edit and delete each bump it).
 * A deleted message keeps its ids and `seq`, has `deletedAt` set and its text removed (`""`).
 */
export interface Message {
  id: string;
  roomId: string;
  senderId: string;
  clientMsgId: string;
  text: string;
  seq: number;
  version: number;
  /** ISO 8601 timestamps. */
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export type MessageEventType = 'message.created' | 'message.edited' | 'message.deleted';

/** The latest seq and version of a room, as sent on subscribe and in heartbeats. */
export interface RoomCursor {
  roomId: string;
  latestSeq: number;
  latestVersion: number;
}
