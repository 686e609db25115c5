import { raceInserts } from './insert-race.js';
import type { Probe } from './probe.js';
import { range } from './probe.js';

const KEYS = 20;
const WRITERS = 8;

/**
 * Concurrent inserts of one value of a uniquely indexed field (how an idempotency key admits one message): per key
 * exactly one winner, the others refused with E11000 and nothing of theirs stored.
 */
export const uniqueInsertRace: Probe = {
  property: 'unique-insert-race',
  async run(scratch) {
    await scratch.collection('unique').createIndex({ key: 1 }, { unique: true });
    const attempts = range(KEYS).flatMap((k) =>
      range(WRITERS).map((w) => ({ key: `k${k}`, writer: `k${k}-w${w}`, document: { key: `k${k}` } })),
    );
    return raceInserts(scratch, 'unique', attempts, (d) => String(d.key));
  },
};
