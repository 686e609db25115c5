import type { KeyedMutex } from './keyed-mutex.js';

/** One waiting item and how to answer it. */
export interface BatchEntry<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** Writes a key's batch; answers each entry (an entry it leaves unanswered is rejected with what it throws). */
export type BatchWriter<I, R> = (key: string, entries: BatchEntry<I, R>[]) => Promise<void>;

/**
 * Items of one key (a room's sends) that arrive while the key's lock is held wait together, and run as one batch
 * when their turn comes, in arrival order: one turn of the lock (and one round trip) for many items instead of one
 * each. Other tasks of the key (edits, deletes) queue on the same lock between batches, so nothing overtakes a
 * batch that was waiting before it.
 */
export class KeyedBatches<I, R> {
  readonly #waiting = new Map<string, BatchEntry<I, R>[]>();

  constructor(
    private readonly lock: KeyedMutex,
    private readonly write: BatchWriter<I, R>,
    private readonly maxBatch: number,
  ) {}

  add(key: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let batch = this.#waiting.get(key);
      if (batch === undefined || batch.length >= this.maxBatch) {
        batch = [];
        this.#waiting.set(key, batch);
        const taken = batch;
        void this.lock.run(key, () => this.#run(key, taken));
      }
      batch.push({ item, resolve, reject });
    });
  }

  async #run(key: string, batch: BatchEntry<I, R>[]): Promise<void> {
    // From now on arrivals start the next batch (behind this one on the lock).
    if (this.#waiting.get(key) === batch) this.#waiting.delete(key);
    try {
      await this.write(key, batch);
    } catch (error) {
      // Rejecting an entry already answered does nothing.
      for (const entry of batch) entry.reject(error);
    }
  }
}
