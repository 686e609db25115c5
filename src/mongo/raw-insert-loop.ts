import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { DEFAULT_WRITE_CONCERN, type WriteConcernSetting } from './write-concern.js';

export interface RawInsertLoopOptions {
  uri: string;
  dbName: string;
  writeConcern?: WriteConcernSetting;
  /** Inserts in flight at once. */
  concurrency: number;
  /** How long to keep inserting. */
  durationMs: number;
  /** Bytes of text per document, so the documents are the size the server stores. */
  textBytes: number;
}

export interface RawInsertRate {
  inserts: number;
  elapsedMs: number;
  perSecond: number;
}

/**
 * The baseline a server's persisted acks are measured against: bare `insertOne` of a message-shaped document with
 * the same write concern and concurrency, no other work. It lives here because only src/mongo imports mongodb.
 */
export async function rawInsertLoop(options: RawInsertLoopOptions): Promise<RawInsertRate> {
  const wc = options.writeConcern ?? DEFAULT_WRITE_CONCERN;
  const client = new MongoClient(options.uri, { retryWrites: false, maxPoolSize: Math.max(100, options.concurrency) });
  try {
    await client.connect();
    const collection = client
      .db(options.dbName)
      .collection<{ _id: string } & Record<string, unknown>>('raw_messages', { writeConcern: { w: wc.w, journal: wc.j, wtimeoutMS: wc.wtimeoutMS } });
    // The same unique index the message store keeps, so each insert maintains as much index as a real send.
    await collection.createIndex({ roomId: 1, clientMsgId: 1 }, { unique: true });
    const text = 'x'.repeat(options.textBytes);
    let inserts = 0;
    const started = performance.now();
    const deadline = started + options.durationMs;
    const worker = async (w: number) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await collection.insertOne({
          _id: randomUUID(),
          roomId: `raw-${w % 8}`,
          senderId: `w${w}`,
          clientMsgId: `${w}-${i}`,
          text,
          seq: i,
          version: i,
          createdAt: new Date(),
          editedAt: null,
          deletedAt: null,
        });
        inserts++;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
    const elapsedMs = performance.now() - started;
    return { inserts, elapsedMs, perSecond: (inserts * 1000) / elapsedMs };
  } finally {
    await client.close();
  }
}
