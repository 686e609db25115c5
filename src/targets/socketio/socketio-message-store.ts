import { randomUUID } from 'node:crypto';
import { MongoClient, type Collection } from 'mongodb';
import { ChatError, StoreContendedError } from '../../chat/chat-error.js';
import type { Message } from '../../chat/message.js';
import { isDuplicateKey } from '../../mongo/duplicate-key.js';
import { readErrorOutcome, writeErrorOutcome } from '../../mongo/driver-error-outcome.js';
import { KeyedMutex } from '../../mongo/keyed-mutex.js';

/** The collection the app keeps its messages in; the target's snapshot reader reads it too. */
export const MESSAGES_COLLECTION = 'sio_messages';
export const WRITE_CONCERN = { w: 1, j: true } as const;

/** How many times a send re-reads the room's latest seq after another node took the next one. */
const MAX_SEQ_ATTEMPTS = 50;

interface MessageDocument {
  _id: string;
  roomId: string;
  senderId: string;
  clientMsgId: string;
  text: string;
  seq: number;
  version: number;
  createdAt: Date;
  editedAt: null;
  deletedAt: null;
}

/**
 * The Socket.IO app's durable source of truth, in MongoDB (FerretDB here). Several app nodes write one room at once,
 * and FerretDB applies updates as an unisolated read-modify-write, so the store never updates: a message is one
 * insert, made safe by two unique indexes —
 * - `{roomId, seq}`: a message takes "latest + 1"; a node that lost the race gets E11000, re-reads and tries the next
 *   number. A seq is taken only after every smaller one committed, so seqs are contiguous and commit in order, and a
 *   reader's `version > after` cursor can never skip a write that lands late.
 * - `{roomId, senderId, clientMsgId}`: a retried send finds the original and returns it, never a twin.
 * Messages are never edited here, so `version` (the room's change counter) equals `seq`.
 */
export class SocketioMessageStore {
  /** Within one node, a room's sends queue up instead of racing each other for the same seq. */
  private readonly rooms = new KeyedMutex();

  private constructor(
    private readonly client: MongoClient,
    private readonly messages: Collection<MessageDocument>,
  ) {}

  static async open(uri: string, dbName: string): Promise<SocketioMessageStore> {
    // Short timeouts: a send that waits on a faulted database link answers `unknown` rather than hanging.
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3_000, socketTimeoutMS: 5_000, retryWrites: false, retryReads: false });
    await client.connect();
    const messages = client.db(dbName).collection<MessageDocument>(MESSAGES_COLLECTION);
    return new SocketioMessageStore(client, messages);
  }

  /**
   * Idempotent; several nodes may run it at once. Throws a driver error when the database cannot be reached. One
   * index per command: FerretDB v1.24.2 drops the connection (a panic in its handler, "slice bounds out of range")
   * on a `createIndexes` of two indexes that already exist, which every restarted node would send.
   */
  async ensureIndexes(): Promise<void> {
    await this.messages.createIndex({ roomId: 1, seq: 1 }, { name: 'room_seq', unique: true });
    await this.messages.createIndex({ roomId: 1, senderId: 1, clientMsgId: 1 }, { name: 'room_sender_key', unique: true });
  }

  /** Stores a message once per `(roomId, senderId, clientMsgId)`. Throws a ChatError saying whether anything may have been written. */
  append(roomId: string, senderId: string, clientMsgId: string, text: string): Promise<{ message: Message; created: boolean }> {
    return this.rooms.run(roomId, async () => {
      const existing = await this.byKey(roomId, senderId, clientMsgId);
      if (existing) return { message: existing, created: false };
      for (let attempt = 0; attempt < MAX_SEQ_ATTEMPTS; attempt += 1) {
        const seq = (await this.latestSeq(roomId)) + 1;
        const doc: MessageDocument = {
          _id: randomUUID(),
          roomId,
          senderId,
          clientMsgId,
          text,
          seq,
          version: seq,
          createdAt: new Date(),
          editedAt: null,
          deletedAt: null,
        };
        try {
          await this.messages.insertOne(doc, { writeConcern: WRITE_CONCERN });
          return { message: toMessage(doc), created: true };
        } catch (error) {
          if (!isDuplicateKey(error)) throw writeErrorOutcome(error, 'storing the message');
          // Either index refused it: the same send stored meanwhile (a retry racing its original), or another node took this seq.
          const raced = await this.byKey(roomId, senderId, clientMsgId);
          if (raced) return { message: raced, created: false };
        }
      }
      throw new StoreContendedError(`room ${roomId}: other nodes took the next seq ${MAX_SEQ_ATTEMPTS} times in a row; nothing was written`);
    });
  }

  /** The room's messages with `version > after`, ascending, at most `limit`; `latestVersion` is the room's newest. */
  async changes(roomId: string, after: number, limit: number): Promise<{ changes: Message[]; latestVersion: number; hasMore: boolean }> {
    try {
      const docs = await this.messages.find({ roomId, version: { $gt: after } }).sort({ version: 1 }).limit(limit + 1).toArray();
      const hasMore = docs.length > limit;
      const page = docs.slice(0, limit).map(toMessage);
      const latestVersion = hasMore ? await this.latestSeq(roomId) : (page.at(-1)?.version ?? Math.max(after, await this.latestSeq(roomId)));
      return { changes: page, latestVersion, hasMore };
    } catch (error) {
      throw error instanceof ChatError ? error : readErrorOutcome(error, 'reading the room history');
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async byKey(roomId: string, senderId: string, clientMsgId: string): Promise<Message | undefined> {
    try {
      const doc = await this.messages.findOne({ roomId, senderId, clientMsgId });
      return doc ? toMessage(doc) : undefined;
    } catch (error) {
      throw readErrorOutcome(error, 'looking up the idempotency key');
    }
  }

  private async latestSeq(roomId: string): Promise<number> {
    try {
      const [latest] = await this.messages.find({ roomId }).sort({ seq: -1 }).limit(1).toArray();
      return latest?.seq ?? 0;
    } catch (error) {
      throw readErrorOutcome(error, 'reading the room latest seq');
    }
  }
}

function toMessage(doc: MessageDocument): Message {
  return {
    id: doc._id,
    roomId: doc.roomId,
    senderId: doc.senderId,
    clientMsgId: doc.clientMsgId,
    text: doc.text,
    seq: doc.seq,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    editedAt: null,
    deletedAt: null,
  };
}
