import { randomBytes } from 'node:crypto';
import { MongoClient, type Collection, type Document } from 'mongodb';

/** What a probe gets: its own collections, reachable through several independent clients (lanes). */
export interface ProbeScratch {
  /** Independent MongoClients, each with its own connection pool. */
  readonly lanes: number;
  /** Collection `name` of the scratch database as seen through client `lane % lanes`. */
  collection<T extends Document = Document>(name: string, lane?: number): Collection<T>;
}

export interface ScratchOptions {
  /** Independent clients (default 4). */
  lanes?: number;
  /** Connections per client (default 5), so up to lanes × poolSize writes are in flight at once. */
  poolSize?: number;
  /** Bound on every operation (socket, connect and server-selection timeouts), so a stuck database cannot hold the probe. */
  operationTimeoutMs: number;
}

/**
 * A database of the probe's own (`ackproof_probe_<random>`, a name FerretDB accepts) on several clients, so
 * concurrent writes travel on different connections as they would from several server processes. `close` drops it.
 */
export class ScratchDatabase implements ProbeScratch {
  private constructor(
    private readonly uri: string,
    readonly name: string,
    private readonly clients: MongoClient[],
    private readonly operationTimeoutMs: number,
  ) {}

  static async open(uri: string, options: ScratchOptions): Promise<ScratchDatabase> {
    const name = `ackproof_probe_${randomBytes(6).toString('hex')}`;
    const clients = Array.from({ length: options.lanes ?? 4 }, () => client(uri, options.operationTimeoutMs, options.poolSize ?? 5));
    const scratch = new ScratchDatabase(uri, name, clients, options.operationTimeoutMs);
    try {
      await Promise.all(clients.map((c) => c.connect()));
    } catch (error) {
      await scratch.close();
      throw error;
    }
    return scratch;
  }

  get lanes(): number {
    return this.clients.length;
  }

  collection<T extends Document = Document>(name: string, lane = 0): Collection<T> {
    return this.clients[lane % this.clients.length]!.db(this.name).collection<T>(name);
  }

  /** Closes the lanes (ending whatever a timed-out probe left in flight), then drops the database on a fresh client. */
  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close().catch(() => undefined)));
    const cleaner = client(this.uri, this.operationTimeoutMs, 1);
    try {
      await cleaner.db(this.name).dropDatabase();
    } finally {
      await cleaner.close().catch(() => undefined);
    }
  }
}

function client(uri: string, timeoutMs: number, maxPoolSize: number): MongoClient {
  return new MongoClient(uri, {
    maxPoolSize,
    minPoolSize: 0,
    // Driver 7 ignores timeoutMS; a reply that does not come within the socket timeout ends the operation.
    socketTimeoutMS: timeoutMs,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
}
