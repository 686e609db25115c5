import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';
import { Nemesis } from './nemesis.js';
import { TcpProxy } from './tcp-proxy.js';

// This test talks to the database with the driver directly: it checks what the database holds, behind the proxy's back.
const databaseName = uniqueDatabaseName('faults/database-faults');
let direct: MongoClient;
let proxy: TcpProxy;
let nemesis: Nemesis;

function proxiedClient(): MongoClient {
  // retryWrites off: a driver retry would hide the ambiguity this fault creates (the server under test decides).
  return new MongoClient(`mongodb://127.0.0.1:${proxy.listenPort}/?directConnection=true`, {
    retryWrites: false,
    retryReads: false,
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 1_000,
  });
}

beforeAll(async () => {
  const uri = new URL(mongoUri());
  direct = new MongoClient(mongoUri());
  proxy = await TcpProxy.start({ name: 'db', upstream: { host: uri.hostname, port: Number(uri.port || 27017) } });
  nemesis = new Nemesis({ db: proxy }, () => 0);
});

afterAll(async () => {
  await proxy?.close();
  await direct?.close();
});

describe('database faults through the nemesis and the TCP proxy', () => {
  it('db.response-lost: the insert fails with a network error, yet the document is in the database', async () => {
    const client = proxiedClient();
    try {
      const messages = client.db(databaseName).collection<{ _id: string; text: string }>('messages');
      await messages.insertOne({ _id: 'before', text: 'no fault' });
      expect(await nemesis.start({ name: 'db.response-lost', params: {} })).toEqual([
        { type: 'fault', time: 0, fault: 'db.response-lost', phase: 'start', target: 'database', params: {} },
      ]);
      const error = await messages.insertOne({ _id: 'ambiguous', text: 'applied, reply lost' }).then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
      expect(error?.name).toMatch(/MongoNetworkError|MongoServerSelectionError|PoolClearedError/);
      const stored = await direct.db(databaseName).collection('messages').findOne({ _id: 'ambiguous' as never });
      expect(stored).toMatchObject({ text: 'applied, reply lost' });

      // count: 1 is spent: the next write goes through and is acknowledged.
      await messages.insertOne({ _id: 'after', text: 'acknowledged' });
      expect(await nemesis.heal({ name: 'db.response-lost' })).toEqual([expect.objectContaining({ phase: 'heal' })]);
      expect(proxy.toxics()).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('db.unreachable: a driver operation fails fast; enabled again it succeeds', async () => {
    const client = proxiedClient();
    try {
      const messages = client.db(databaseName).collection<{ _id: string }>('unreachable');
      await messages.insertOne({ _id: 'before' });
      await nemesis.start({ name: 'db.unreachable' });
      await expect(messages.insertOne({ _id: 'during' })).rejects.toThrow();
      await nemesis.heal({ name: 'db.unreachable' });
      await messages.insertOne({ _id: 'after' });
      expect(await direct.db(databaseName).collection('unreachable').countDocuments()).toBe(2);
    } finally {
      await client.close();
    }
  });
});
