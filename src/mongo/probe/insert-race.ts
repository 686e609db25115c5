import type { Document } from 'mongodb';
import type { ProbeCounts } from './probe-result.js';
import type { ProbeScratch } from './scratch-database.js';
import { WriteTally } from './write-tally.js';

/** One concurrent insert: the unique key it competes for and the writer's own id, stored in the document. */
export interface InsertAttempt {
  key: string;
  writer: string;
  document: Document;
}

/**
 * Fires every attempt at once (attempt i on lane i) into `collection`, whose unique index the caller created, then
 * reads the collection back. Per key exactly one insert may win and be stored; every other must be refused (E11000)
 * and leave nothing behind. `keyOf` reads a stored document's key the way `InsertAttempt.key` names it.
 */
export async function raceInserts(
  scratch: ProbeScratch,
  collection: string,
  attempts: readonly InsertAttempt[],
  keyOf: (stored: Document) => string,
): Promise<ProbeCounts> {
  const outcomes = await Promise.allSettled(
    attempts.map((a, i) => scratch.collection(collection, i).insertOne({ ...a.document, writer: a.writer })),
  );
  const stored = await scratch.collection(collection).find({}).toArray();
  const storedWriters = new Set(stored.map((d) => String(d.writer)));
  const storedPerKey = countBy(stored.map(keyOf));

  const tally = new WriteTally();
  const keys = new Map<string, { winners: number; errors: number }>();
  let lost = 0;
  let phantoms = 0;
  for (const [i, attempt] of attempts.entries()) {
    const key = keys.get(attempt.key) ?? { winners: 0, errors: 0 };
    keys.set(attempt.key, key);
    const kind = tally.add(outcomes[i]!);
    if (kind === 'acknowledged') {
      key.winners++;
      if (!storedWriters.has(attempt.writer)) lost++;
    } else if (kind === 'refused') {
      if (storedWriters.has(attempt.writer)) phantoms++;
    } else {
      key.errors++;
    }
  }
  let doubleWinners = 0;
  let noWinner = 0;
  for (const [name, key] of keys) {
    const documents = storedPerKey.get(name) ?? 0;
    if (key.winners > 1 || documents > 1) doubleWinners++;
    if (key.winners === 0 && key.errors === 0 && documents === 0) noWinner++;
  }
  return {
    attempts: attempts.length,
    rounds: keys.size,
    acknowledged: tally.acknowledged,
    lost,
    doubleWinners,
    noWinner,
    phantoms,
    ...tally.errorCounts(),
  };
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
