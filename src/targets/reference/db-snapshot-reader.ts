import { MongoClient, type Document } from 'mongodb';
import type { Message } from '../../chat/message.js';

/** How long the reader waits for a database before giving up (the harness reads after every fault healed). */
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

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
  private constructor(
    private readonly client: MongoClient,
    private readonly dbName: string,
  ) {}

  static async open(uri: string, dbName: string): Promise<DbSnapshotReader> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS, retryWrites: false });
    await client.connect();
    return new DbSnapshotReader(client, dbName);
  }

  /** Every message of these rooms as it is now (tombstones included), by room then seq. */
  async messages(roomIds: readonly string[]): Promise<Message[]> {
    const records = await this.client.db(this.dbName).collection('changes').find({ roomId: { $in: [...roomIds] } }).toArray();
    const current = new Map<string, Document>();
    for (const record of records) {
      const held = current.get(String(record.messageId));
      if (!held || Number(record.rev) > Number(held.rev)) current.set(String(record.messageId), record);
    }
    const order = new Map(roomIds.map((roomId, i) => [roomId, i]));
    return [...current.values()]
      .map(asMessage)
      .sort((a, b) => (order.get(a.roomId) ?? 0) - (order.get(b.roomId) ?? 0) || a.seq - b.seq);
  }

  async close(): Promise<void> {
    await this.client.close();
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

function isoOrNull(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : value === null || value === undefined ? null : String(value);
}
