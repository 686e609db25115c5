import { World } from '../chat/world.js';
import { DEMO_WORLD, type WorldSpec } from '../chat/world-spec.js';
import type { Message } from '../chat/message.js';
import { MongoMessageStore } from '../mongo/message-store.js';
import { DirectDatabase } from '../mongo/direct-database.js';
import { DbSnapshotReader } from '../targets/reference/db-snapshot-reader.js';
import { startServer, type RunningServer, type ServerOptions } from '../server/start-server.js';
import { mongoUri, uniqueDatabaseName } from './test-database.js';

export interface TestServer extends RunningServer {
  store: MongoMessageStore;
  dbName: string;
  /** A room's messages as the database holds them now, read apart from the store (its own mapping). */
  messages(roomId: string): Promise<Message[]>;
  stop(): Promise<void>;
}

/** The reference server in-process on the test run's database (its own database name), on free ports. */
export async function startTestServer(
  label: string,
  options: Partial<Omit<ServerOptions, 'store' | 'world'>> & { world?: WorldSpec } = {},
): Promise<TestServer> {
  const dbName = uniqueDatabaseName(label);
  const store = await MongoMessageStore.open({ uri: mongoUri(), dbName });
  const server = await startServer({
    pattern: 'decoupled',
    database: { kind: 'test', version: 'test' },
    writeConcern: 'w:1,j:true',
    adminPort: 0,
    heartbeatMs: 60_000,
    ...options,
    store,
    world: new World(options.world ?? DEMO_WORLD),
  });
  return Object.assign(server, {
    store,
    dbName,
    messages: (roomId: string) => storedMessages(dbName, roomId),
    async stop() {
      await server.close();
      await store.close();
    },
  });
}

/** A room's messages in a database of the test run, read apart from the store (DbSnapshotReader). */
export function storedMessages(dbName: string, roomId: string): Promise<Message[]> {
  return readStored(mongoUri(), dbName, [roomId]);
}

/** These rooms' messages in a database, read apart from the store on a connection of the test's own. */
export async function readStored(uri: string, dbName: string, roomIds: string[]): Promise<Message[]> {
  const direct = await DirectDatabase.open(uri, dbName);
  try {
    return await new DbSnapshotReader(direct.db).messages(roomIds);
  } finally {
    await direct.close();
  }
}
