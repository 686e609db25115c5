import type { Probe } from './probe.js';
import { range } from './probe.js';
import { WriteTally } from './write-tally.js';

const INCREMENTS = 200;

/**
 * Concurrent `$inc` on one document (DESIGN.md §6: FerretDB v1.24.2 left 200 increments at 10): every increment
 * the database acknowledged must be in the final count.
 */
export const concurrentInc: Probe = {
  property: 'concurrent-inc',
  async run(scratch) {
    await scratch.collection<{ _id: string; n: number }>('inc').insertOne({ _id: 'counter', n: 0 });
    const tally = new WriteTally();
    const outcomes = await Promise.allSettled(
      range(INCREMENTS).map((i) => scratch.collection<{ _id: string; n: number }>('inc', i).updateOne({ _id: 'counter' }, { $inc: { n: 1 } })),
    );
    for (const outcome of outcomes) tally.add(outcome, (r) => r.modifiedCount === 1);
    const final = (await scratch.collection<{ _id: string; n: number }>('inc').findOne({ _id: 'counter' }))?.n ?? 0;
    return {
      attempts: INCREMENTS,
      rounds: 1,
      acknowledged: tally.acknowledged,
      // A failed increment that applied anyway raises `final`, so this is a lower bound of what was lost.
      lost: Math.max(0, tally.acknowledged - final),
      doubleWinners: 0,
      noWinner: 0,
      phantoms: 0,
      ...tally.errorCounts(),
      detail: `n ended at ${final} after ${tally.acknowledged} acknowledged increments`,
    };
  },
};
