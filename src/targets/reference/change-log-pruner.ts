import type { Db } from 'mongodb';
import { CHANGES_COLLECTION } from '../../mongo/change-log/change-record.js';

/**
 * Drops a finished run's rooms from the reference store's change log, straight on the database (not through the
 * fault proxy). Each run has rooms of its own that no later run touches, and FerretDB answers every query but an
 * `_id` lookup by scanning the whole collection (about 70 µs a record, measured here): without this a case's runs get slower with
 * each one before them. Only the rooms' change records go; outbox entries (sentinel rooms) stay for the relay.
 */
export class ChangeLogPruner {
  /** `db`: ackproof's own connection (DirectDatabase), shared with the snapshot reader. */
  constructor(private readonly db: Db) {}

  /** Deletes every change record of these rooms; returns how many. */
  async prune(roomIds: readonly string[]): Promise<number> {
    if (roomIds.length === 0) return 0;
    const result = await this.db.collection(CHANGES_COLLECTION).deleteMany({ roomId: { $in: [...roomIds] } });
    return result.deletedCount;
  }
}
