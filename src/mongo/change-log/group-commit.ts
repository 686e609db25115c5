import type { InsertOutcome } from './ordered-insert.js';

/** Writes one ordered list of records in one round trip, saying what became of each. */
export type InsertRecords<T> = (records: readonly T[]) => Promise<InsertOutcome[]>;

interface Waiting<T> {
  records: readonly T[];
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (error: unknown) => void;
}

/** Round trips in flight at once; records submitted meanwhile wait and go together in the next one. */
const DEFAULT_IN_FLIGHT = 1;
/** Records per round trip at most (a few hundred bytes each: far below the wire's 48 MB). */
const DEFAULT_MAX_RECORDS = 1_000;

/**
 * Group commit: record lists submitted while a round trip is in flight (each room's batch of sends, an edit) are
 * written together in the next one, in submission order, so a busy database sees one insert of many documents —
 * on FerretDB one SQLite transaction, one journal sync — instead of one per write. Each submitter gets the outcome
 * of its own records only: inserted, refused by a unique key, or not attempted after an earlier refusal (to try
 * again); a failure of the whole round trip rejects every submitter in it with that error.
 *
 * The submitter decides what it may submit together (a room's records are submitted by one batch at a time, so a
 * room's versions are still written in order); this class only shares the round trip.
 */
export class GroupCommit<T> {
  #waiting: Waiting<T>[] = [];
  #inFlight = 0;
  /** Round trips made and records written in them, for the bench's account of database work per send. */
  readonly stats = { roundTrips: 0, records: 0 };

  constructor(
    private readonly insert: InsertRecords<T>,
    private readonly maxInFlight = DEFAULT_IN_FLIGHT,
    private readonly maxRecords = DEFAULT_MAX_RECORDS,
  ) {}

  submit(records: readonly T[]): Promise<InsertOutcome[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ records, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#inFlight < this.maxInFlight && this.#waiting.length > 0) {
      const group = this.#take();
      this.#inFlight++;
      void this.#write(group).finally(() => {
        this.#inFlight--;
        this.#dispatch();
      });
    }
  }

  /** The waiting submissions that fit one round trip (always at least one, whatever its size). */
  #take(): Waiting<T>[] {
    let count = 0;
    let taken = 0;
    while (taken < this.#waiting.length) {
      const size = this.#waiting[taken]!.records.length;
      if (taken > 0 && count + size > this.maxRecords) break;
      count += size;
      taken++;
    }
    return this.#waiting.splice(0, taken);
  }

  async #write(group: readonly Waiting<T>[]): Promise<void> {
    const records = group.flatMap((w) => w.records);
    let outcomes: InsertOutcome[];
    try {
      this.stats.roundTrips++;
      outcomes = await this.insert(records);
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
      return;
    }
    this.stats.records += outcomes.filter((o) => o.kind === 'inserted').length;
    let at = 0;
    for (const waiting of group) {
      waiting.resolve(outcomes.slice(at, at + waiting.records.length));
      at += waiting.records.length;
    }
  }
}
