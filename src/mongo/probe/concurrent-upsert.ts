import type { Probe } from './probe.js';
import { range } from './probe.js';
import { WriteTally } from './write-tally.js';

const KEYS = 20;
const WRITERS = 8;

/**
 * Concurrent upserts of one key under a unique index, each writer setting a field of its own: one document per key,
 * holding every acknowledged writer's field. An upsert refused with E11000 (MongoDB before 4.2 may do that, and
 * the caller retries) counts as not acknowledged, not as an anomaly — unless its field was stored anyway, or every
 * upsert of a key was refused and no document is there.
 */
export const concurrentUpsert: Probe = {
  property: 'concurrent-upsert',
  async run(scratch) {
    await scratch.collection('upsert').createIndex({ key: 1 }, { unique: true });
    const attempts = range(KEYS).flatMap((k) => range(WRITERS).map((w) => ({ key: `k${k}`, field: `w${w}` })));
    const outcomes = await Promise.allSettled(
      attempts.map((a, i) => scratch.collection('upsert', i).updateOne({ key: a.key }, { $set: { [a.field]: true } }, { upsert: true })),
    );
    const stored = await scratch.collection('upsert').find({}).toArray();
    const has = (key: string, field: string) => stored.some((d) => d.key === key && d[field] === true);

    const tally = new WriteTally();
    const refusedPerKey = new Map<string, number>();
    let lost = 0;
    let phantoms = 0;
    for (const [i, attempt] of attempts.entries()) {
      const kind = tally.add(outcomes[i]!);
      if (kind === 'acknowledged' && !has(attempt.key, attempt.field)) lost++;
      if (kind === 'refused') {
        refusedPerKey.set(attempt.key, (refusedPerKey.get(attempt.key) ?? 0) + 1);
        if (has(attempt.key, attempt.field)) phantoms++;
      }
    }
    const documents = range(KEYS).map((k) => ({ key: `k${k}`, count: stored.filter((d) => d.key === `k${k}`).length }));
    return {
      attempts: attempts.length,
      rounds: KEYS,
      acknowledged: tally.acknowledged,
      lost,
      doubleWinners: documents.filter((d) => d.count > 1).length,
      noWinner: documents.filter((d) => d.count === 0 && refusedPerKey.get(d.key) === WRITERS).length,
      phantoms,
      ...tally.errorCounts(),
      detail: `${tally.refused} upserts refused with E11000`,
    };
  },
};
