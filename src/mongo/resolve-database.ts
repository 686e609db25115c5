import type { Database } from './database.js';
import { DatabaseUnavailableError } from './database-unavailable-error.js';
import { FerretDbProcess } from './ferretdb-process.js';
import { FERRETDB_VERSION, findFerretDb } from './ferretdb-binary.js';
import { locateMongod, startMemoryServer } from './memory-server.js';
import { serverVersion } from './server-version.js';

export interface ResolveOptions {
  /** `--mongo-uri`; beats MONGODB_URI. */
  mongoUri?: string | undefined;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

const HOW_TO_PROVIDE = [
  'set MONGODB_URI (or --mongo-uri) to a running MongoDB or FerretDB,',
  'set MONGOMS_SYSTEM_BINARY to a mongod binary,',
  `put FerretDB ${FERRETDB_VERSION} on PATH as \`ferretdb\` (\`bash .ci/install-ferretdb\` builds it offline from the Go module proxy),`,
  'or allow mongodb-memory-server to download mongod (needs internet).',
].join(' ');

/**
 * Finds a MongoDB-compatible server in DESIGN.md §4's order: an explicit URI; mongodb-memory-server with a mongod
 * already on disk; FerretDB on PATH; mongodb-memory-server with a download; else DatabaseUnavailableError.
 */
export async function resolveDatabase(options: ResolveOptions = {}): Promise<Database> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);

  const uri = options.mongoUri ?? env.MONGODB_URI;
  if (uri) {
    const source = options.mongoUri ? '--mongo-uri' : 'MONGODB_URI';
    try {
      const version = await serverVersion(uri, 5_000);
      log(`database: ${version} at ${redact(uri)} (from ${source})`);
      return { kind: 'uri', uri, version, description: `${source} ${redact(uri)}`, stop: async () => undefined };
    } catch (error) {
      throw new DatabaseUnavailableError(
        `cannot reach the database given by ${source} (${redact(uri)}): ${(error as Error).message}. Start it, or fix the URI.`,
        { cause: error },
      );
    }
  }

  const mongod = await locateMongod(env);
  if (mongod) {
    const db = await startOrExplain(`mongod at ${mongod}`, () => startMemoryServer(mongod, 60_000));
    log(`database: ${db.version} via ${db.description}`);
    return db;
  }

  const ferretdb = findFerretDb(env);
  if (ferretdb) {
    const db = await startOrExplain(`ferretdb at ${ferretdb}`, () => FerretDbProcess.start(ferretdb));
    log(`database: ${db.version} via ${db.description}`);
    return db;
  }

  if (env.MONGOMS_RUNTIME_DOWNLOAD !== 'false' && env.MONGOMS_RUNTIME_DOWNLOAD !== '0') {
    try {
      const db = await startMemoryServer(undefined, Number(env.ACKPROOF_DOWNLOAD_TIMEOUT_MS ?? 300_000));
      log(`database: ${db.version} via ${db.description}`);
      return db;
    } catch (error) {
      throw new DatabaseUnavailableError(
        `no MongoDB-compatible server: mongod download failed (${firstLine(error)}). To fix: ${HOW_TO_PROVIDE}`,
        { cause: error },
      );
    }
  }
  throw new DatabaseUnavailableError(`no MongoDB-compatible server found. To fix: ${HOW_TO_PROVIDE}`);
}

/** A database binary that is there but does not start is the environment's problem: say which, and the other ways. */
async function startOrExplain(what: string, start: () => Promise<Database>): Promise<Database> {
  try {
    return await start();
  } catch (error) {
    throw new DatabaseUnavailableError(`${what} did not start: ${firstLine(error)}. To fix: ${HOW_TO_PROVIDE}`, { cause: error });
  }
}

function redact(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? 'unknown error';
}
