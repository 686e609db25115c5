import type { WriteOptions } from '../../chat/message-store.port.js';
import type { ChangeRecord } from './change-record.js';

/**
 * The outbox pattern's "broadcast pending" for one change: a document of its own in the change log, inserted in the
 * same ordered insert right after its change (on FerretDB one transaction with it; anywhere, never before it), and
 * deleted by a relay once the change was broadcast — one delete per page of deliveries. (It was a flag on the
 * change, cleared by an update: on FerretDB an update is one transaction per document, so clearing a page of 100
 * cost 100 journal syncs; a delete of the page is one.) Nothing is ever updated, so a relay can undo no one's write.
 *
 * It shares the change log's collection so that it can share the change's insert; its `roomId` is a sentinel of its
 * own, so no reader of a room ever matches it, and the log's unique indexes (which cover every document: FerretDB has
 * no partial indexes) see distinct keys.
 */
export interface OutboxEntry {
  _id: string;
  roomId: string;
  seq: 0;
  version: 0;
  rev: 0;
  pendingBroadcast: true;
  /** The node that wrote the change (several nodes), whose relay publishes it first. */
  origin?: string;
  /** The change as it was written, so a relay needs no second read. */
  change: ChangeRecord;
}

/** Any document of the change log's collection. */
export type ChangeLogDocument = ChangeRecord | OutboxEntry;

/** The entry's key, from what a relay knows of a broadcast (message id and version). */
export function outboxEntryId(messageId: string, version: number): string {
  return `outbox:${messageId}@${version}`;
}

/** The entry a write asks for (the outbox pattern), or none. */
export function outboxEntryFor(record: ChangeRecord, options: WriteOptions): OutboxEntry | undefined {
  if (options.pendingBroadcast !== true) return undefined;
  const _id = outboxEntryId(record.messageId, record.version);
  const entry: OutboxEntry = { _id, roomId: `\u0000${_id}`, seq: 0, version: 0, rev: 0, pendingBroadcast: true, change: record };
  return options.origin === undefined ? entry : { ...entry, origin: options.origin };
}
