import type { Db, Document } from 'mongodb';
import type { Message } from '../../chat/message.js';
import { inRoomOrder, isoOrNull } from '../../mongo/snapshot-order.js';

/** The app's collection (socketio-message-store.ts); named here again on purpose, see below. */
const COLLECTION = 'sio_messages';

/**
 * Reads the Socket.IO app's messages straight from its database (not through the fault proxy, not through the
 * app's store code) for the final snapshot: read-only, with a mapping of its own, so a mapping bug in the app cannot
 * hide from the checks that compare against the database. One document per message `{_id, roomId, senderId,
 * clientMsgId, text, seq, version, createdAt, editedAt, deletedAt}`.
 */
export class SocketioSnapshotReader {
  /** `db`: ackproof's own connection (DirectDatabase), not the app's. */
  constructor(private readonly db: Db) {}

  /** Every message of these rooms, by the given room order, then seq. */
  async messages(roomIds: readonly string[]): Promise<Message[]> {
    const docs = await this.db.collection(COLLECTION).find({ roomId: { $in: [...roomIds] } }).toArray();
    return inRoomOrder(docs.map(asMessage), roomIds);
  }
}

function asMessage(doc: Document): Message {
  return {
    id: String(doc._id),
    roomId: String(doc.roomId),
    senderId: String(doc.senderId),
    clientMsgId: String(doc.clientMsgId),
    text: String(doc.text),
    seq: Number(doc.seq),
    version: Number(doc.version),
    createdAt: isoOrNull(doc.createdAt) ?? '',
    editedAt: isoOrNull(doc.editedAt),
    deletedAt: isoOrNull(doc.deletedAt),
  };
}
