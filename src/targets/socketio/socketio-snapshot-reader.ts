import { MongoClient, type Document } from 'mongodb';
import type { Message } from '../../chat/message.js';

const SERVER_SELECTION_TIMEOUT_MS = 5_000;
/** The app's collection (socketio-message-store.ts); named here again on purpose, see below. */
const COLLECTION = 'sio_messages';

/**
 * Reads the Socket.IO app's messages straight from its database (not through the fault proxy, not through the
 * app's store code) for the final snapshot: read-only, with a mapping of its own, so a mapping bug in the app cannot
 * hide from the checks that compare against the database. One document per message `{_id, roomId, senderId,
 * clientMsgId, text, seq, version, createdAt, editedAt, deletedAt}`.
 */
export class SocketioSnapshotReader {
  private constructor(
    private readonly client: MongoClient,
    private readonly dbName: string,
  ) {}

  static async open(uri: string, dbName: string): Promise<SocketioSnapshotReader> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS, retryWrites: false });
    await client.connect();
    return new SocketioSnapshotReader(client, dbName);
  }

  /** Every message of these rooms, by the given room order, then seq. */
  async messages(roomIds: readonly string[]): Promise<Message[]> {
    const docs = await this.client.db(this.dbName).collection(COLLECTION).find({ roomId: { $in: [...roomIds] } }).toArray();
    const order = new Map(roomIds.map((roomId, i) => [roomId, i]));
    return docs.map(asMessage).sort((a, b) => (order.get(a.roomId) ?? 0) - (order.get(b.roomId) ?? 0) || a.seq - b.seq);
  }

  async close(): Promise<void> {
    await this.client.close();
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
    createdAt: iso(doc.createdAt) ?? '',
    editedAt: iso(doc.editedAt),
    deletedAt: iso(doc.deletedAt),
  };
}

function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : value === null || value === undefined ? null : String(value);
}
