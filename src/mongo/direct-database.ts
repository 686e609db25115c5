import { MongoClient, type Db } from 'mongodb';

/** How long ackproof waits for a database before giving up (it reads after every fault healed). */
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

/**
 * ackproof's own connection to a target's database, beside the system under test and not through its fault proxy:
 * for the final snapshot and for clean-up between runs. A write it makes is not retried.
 */
export class DirectDatabase {
  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {}

  static async open(uri: string, dbName: string): Promise<DirectDatabase> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS, retryWrites: false });
    await client.connect();
    return new DirectDatabase(client, client.db(dbName));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
