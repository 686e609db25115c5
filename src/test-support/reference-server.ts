import { World } from '../chat/world.js';
import { DEMO_WORLD, type WorldSpec } from '../chat/world-spec.js';
import { MongoMessageStore } from '../mongo/message-store.js';
import { startServer, type RunningServer, type ServerOptions } from '../server/start-server.js';
import { mongoUri, uniqueDatabaseName } from './test-database.js';

export interface TestServer extends RunningServer {
  store: MongoMessageStore;
  stop(): Promise<void>;
}

/** The reference server in-process on the test run's database (its own database name), on free ports. */
export async function startTestServer(
  label: string,
  options: Partial<Omit<ServerOptions, 'store' | 'world'>> & { world?: WorldSpec } = {},
): Promise<TestServer> {
  const store = await MongoMessageStore.open({ uri: mongoUri(), dbName: uniqueDatabaseName(label) });
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
    async stop() {
      await server.close();
      await store.close();
    },
  });
}
