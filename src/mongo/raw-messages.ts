import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { DEFAULT_WRITE_CONCERN, type WriteConcernSetting } from './write-concern.js';

/** A message-shaped document, inserted as is: what the benchmarks' baselines write. */
export interface RawMessage {
  roomId: string;
  senderId: string;
  clientMsgId: string;
  text: string;
  seq: number;
}

/** A bare collection of message-shaped documents: `insert` is one `insertOne`, nothing else. */
export interface RawMessages {
  insert(message: RawMessage): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens `raw_messages` in `dbName` with one unique index (as the store's change log has unique keys) and the given
 * write concern. The benchmarks'
 * baselines use it (the raw insert loop, the bare HTTP server); it lives here because only src/mongo imports mongodb.
 */
export async function openRawMessages(options: {
  uri: string;
  dbName: string;
  writeConcern?: WriteConcernSetting;
  maxPoolSize?: number;
}): Promise<RawMessages> {
  const wc = options.writeConcern ?? DEFAULT_WRITE_CONCERN;
  const client = new MongoClient(options.uri, { retryWrites: false, maxPoolSize: Math.max(100, options.maxPoolSize ?? 0) });
  try {
    await client.connect();
    const collection = client
      .db(options.dbName)
      .collection<{ _id: string } & Record<string, unknown>>('raw_messages', { writeConcern: { w: wc.w, journal: wc.j, wtimeoutMS: wc.wtimeoutMS } });
    // One unique key besides _id. The store's change log has two (room+version, room+seq+rev) and the outbox flag's
    // index; on FerretDB extra indexes moved the insert rate within noise.
    await collection.createIndex({ roomId: 1, clientMsgId: 1 }, { unique: true });
    return {
      insert: async (message) => {
        await collection.insertOne({
          _id: randomUUID(),
          ...message,
          version: message.seq,
          createdAt: new Date(),
          editedAt: null,
          deletedAt: null,
        });
      },
      close: () => client.close(),
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
