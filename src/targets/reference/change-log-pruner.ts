import { MongoClient } from 'mongodb';
import { CHANGES_COLLECTION } from '../../mongo/change-log/change-record.js';

/** How long the pruner waits for a database before giving up (it runs after every fault healed). */
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

/**
 * Drops a finished run's rooms from the reference store's change log, straight on the database (not through the
 * fault proxy). Each run has rooms of its own that no later run touches, and FerretDB answers every query but an
 * `_id` lookup by scanning the whole collection (about 70 µs a record, measured here): without this a case's runs get slower with
 * each one before them. Only the rooms' change records go; outbox entries (sentinel rooms) stay for the relay.
 */
export class ChangeLogPruner {
  private constructor(
    private readonly client: MongoClient,
    private readonly dbName: string,
  ) {}

  static async open(uri: string, dbName: string): Promise<ChangeLogPruner> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS, retryWrites: false });
    await client.connect();
    return new ChangeLogPruner(client, dbName);
  }

  /** Deletes every change record of these rooms; returns how many. */
  async prune(roomIds: readonly string[]): Promise<number> {
    if (roomIds.length === 0) return 0;
    const result = await this.client.db(this.dbName).collection(CHANGES_COLLECTION).deleteMany({ roomId: { $in: [...roomIds] } });
    return result.deletedCount;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
