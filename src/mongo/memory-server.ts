import { DryMongoBinary, MongoMemoryServer } from 'mongodb-memory-server';
import { registerLeftover } from '../proc/cleanup-registry.js';
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

/**
 * Starts mongod through mongodb-memory-server; with `systemBinary` it never downloads. mongodb-memory-server spawns
 * mongod itself, so it is registered with the clean-up registry as a whole: stopped (its dbPath removed) in order,
 * or its mongod SIGKILLed at exit.
 */
export async function startMemoryServer(systemBinary: string | undefined, timeoutMs: number): Promise<Database> {
  const starting = MongoMemoryServer.create(systemBinary ? { binary: { systemBinary } } : {});
  let timer: NodeJS.Timeout | undefined;
  let won = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mongodb-memory-server did not start within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const server = await Promise.race([starting, timeout]);
    won = true;
    const uri = server.getUri();
    const pid = server.instanceInfo?.instance.mongodProcess?.pid;
    const stop = async () => {
      unregister();
      await server.stop({ doCleanup: true, force: true });
    };
    const unregister = registerLeftover({
      description: `mongod (pid ${pid ?? '?'})`,
      dispose: stop,
      disposeNow: () => pid !== undefined && process.kill(pid, 'SIGKILL'),
    });
    try {
      return {
        kind: 'mongodb-memory-server',
        uri,
        version: await serverVersion(uri),
        description: systemBinary ? `mongodb-memory-server with ${systemBinary}` : 'mongodb-memory-server (downloaded mongod)',
        pid,
        stop,
      };
    } catch (error) {
      await stop().catch(() => undefined);
      throw error;
    }
  } finally {
    clearTimeout(timer);
    // A start that lost the race to the timeout must not linger.
    if (!won) starting.then((late) => late.stop({ doCleanup: true, force: true })).catch(() => undefined);
  }
}
