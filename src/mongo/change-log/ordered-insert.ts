import { MongoBulkWriteError, type Collection, type OptionalUnlessRequiredId } from 'mongodb';

/** What became of one record of an ordered insertMany. */
export type InsertOutcome =
  | { kind: 'inserted' }
  /** A unique index refused it (E11000): nothing of it was written. */
  | { kind: 'refused' }
  /** The server refused it for another reason (nothing of it written); `error` says why. */
  | { kind: 'failed'; error: unknown }
  /** After a refusal an ordered insert stops: this record was not tried, and may be tried again as it is. */
  | { kind: 'unattempted' };

/**
 * One `insertMany({ordered: true})`, its outcome told per record. Ordered, not unordered, on purpose: a refused
 * record must not leave a hole that later records of its room skip over, because another writer process may fill
 * that hole after them (a late commit a reader's cursor has already passed, DESIGN.md §5). Stopping at the refusal
 * means the records after it are retried with the refused one's numbers, so a room's versions stay gap-free.
 *
 * Throws (the driver's own error, unwrapped) when the outcome of the command as a whole is unknown or it failed as a
 * whole: a network error, a timeout, a command error, or a write concern error (written, perhaps not durable).
 */
export async function orderedInsert<T extends { _id: string }>(collection: Collection<T>, records: readonly T[]): Promise<InsertOutcome[]> {
  try {
    await collection.insertMany(records as OptionalUnlessRequiredId<T>[], { ordered: true });
    return records.map(() => ({ kind: 'inserted' }));
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    // The driver wraps a failure of the whole command (network, server error) in a bulk error: answer with the
    // original, whose type says whether the command may have been applied.
    if (error.errorResponse instanceof Error) throw error.errorResponse;
    const first = [error.writeErrors].flat()[0];
    if (first === undefined || error.result.getWriteConcernError() !== undefined) throw error;
    return records.map((_, i): InsertOutcome => {
      if (i < first.index) return { kind: 'inserted' };
      if (i > first.index) return { kind: 'unattempted' };
      return first.code === 11000 ? { kind: 'refused' } : { kind: 'failed', error };
    });
  }
}
