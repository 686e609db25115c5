import { DryMongoBinary, MongoMemoryServer } from 'mongodb-memory-server';
import type { Database } from './database.js';
import { serverVersion } from './server-version.js';

/** A mongod binary mongodb-memory-server can use without downloading: MONGOMS_SYSTEM_BINARY or its cache. */
export async function locateMongod(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.MONGOMS_SYSTEM_BINARY) return env.MONGOMS_SYSTEM_BINARY;
  try {
    const options = DryMongoBinary.getEnsuredOptions();
    return await DryMongoBinary.locateBinary(options);
  } catch {
    return undefined;
  }
}

/** Starts mongod through mongodb-memory-server; with `systemBinary` it never downloads. */
export async function startMemoryServer(systemBinary: string | undefined, timeoutMs: number): Promise<Database> {
  const starting = MongoMemoryServer.create(systemBinary ? { binary: { systemBinary } } : {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mongodb-memory-server did not start within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const server = await Promise.race([starting, timeout]);
    const uri = server.getUri();
    return {
      kind: 'mongodb-memory-server',
      uri,
      version: await serverVersion(uri),
      description: systemBinary ? `mongodb-memory-server with ${systemBinary}` : 'mongodb-memory-server (downloaded mongod)',
      pid: server.instanceInfo?.instance.mongodProcess?.pid,
      stop: async () => {
        await server.stop();
      },
    };
  } finally {
    clearTimeout(timer);
    // A start that lost the race must not linger.
    starting.then((late) => timer && late.state !== 'stopped' && late.stop().catch(() => undefined)).catch(() => undefined);
  }
}
