import type { Db, Document } from 'mongodb';
import type { Message } from '../../chat/message.js';
import { inRoomOrder, isoOrNull } from '../../mongo/snapshot-order.js';

/**
 * Reads what a reference server's database holds, for the history's final db-snapshot: read-only (no index is
 * created, nothing written) and with a mapping of its own rather than the store's, so a mapping bug in the store
 * cannot hide from the checks that compare against the database (I1, I3, I7).
 *
 * The reference store keeps an append-only change log, collection `changes`: one record per send, edit and
 * delete, `{_id, messageId, rev, roomId, senderId, clientMsgId, text, seq, version, createdAt, editedAt,
 * deletedAt}`; a message's current state is its record with the highest `rev`.
 */
export class DbSnapshotReader {
  /** `db`: ackproof's own connection (DirectDatabase), not the server's. */
  constructor(private readonly db: Db) {}

  /** Every message of these rooms as it is now (tombstones included), by room then seq. */
  async messages(roomIds: readonly string[]): Promise<Message[]> {
    const records = await this.db.collection('changes').find({ roomId: { $in: [...roomIds] } }).toArray();
    const current = new Map<string, Document>();
    for (const record of records) {
      const held = current.get(String(record.messageId));
      if (!held || Number(record.rev) > Number(held.rev)) current.set(String(record.messageId), record);
    }
    return inRoomOrder([...current.values()].map(asMessage), roomIds);
  }
}

function asMessage(record: Document): Message {
  return {
    id: String(record.messageId),
    roomId: String(record.roomId),
    senderId: String(record.senderId),
    clientMsgId: String(record.clientMsgId),
    text: String(record.text),
    seq: Number(record.seq),
    version: Number(record.version),
    createdAt: isoOrNull(record.createdAt) ?? '',
    editedAt: isoOrNull(record.editedAt),
    deletedAt: isoOrNull(record.deletedAt),
  };
}
