import type { Collection, IndexDescription } from 'mongodb';
import type { ChangeLogDocument } from './outbox-entry.js';

const INDEXES: (IndexDescription & { name: string })[] = [
  { key: { roomId: 1, version: 1 }, name: 'room_version', unique: true },
  { key: { roomId: 1, seq: 1, rev: 1 }, name: 'room_seq_rev', unique: true },
  // The outbox relay's query: its entries only carry the flag (FerretDB has no partial indexes, so a plain one).
  { key: { pendingBroadcast: 1, roomId: 1, version: 1 }, name: 'pending_broadcast' },
];

/**
 * Creates the missing indexes only: FerretDB v1.24.2 panics (and drops the connection) on a createIndexes that
 * names indexes which already exist, as a restarted server's would. Servers started together on a fresh database
 * race: both see the indexes missing, one creates them and the other's connection is dropped. So a failed attempt
 * looks again; it is only an error when the indexes are still missing after a few tries. The unique indexes are
 * the store's correctness, not an optimisation: without them nothing is written.
 */
export async function ensureChangeLogIndexes(changes: Collection<ChangeLogDocument>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const existing = new Set(
      (await changes.listIndexes().toArray().catch(() => [] as { name?: string }[])).map((index) => index.name),
    );
    const missing = INDEXES.filter((index) => !existing.has(index.name));
    if (missing.length === 0) return;
    try {
      await changes.createIndexes(missing);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}
