import { raceInserts } from './insert-race.js';
import type { Probe } from './probe.js';
import { range } from './probe.js';

const ROOMS = 10;
const VERSIONS = 4;
const WRITERS = 4;

/**
 * Concurrent inserts of `(roomId, version)` pairs under a unique compound index (how an append-only change log
 * hands out versions): per pair exactly one winner, and one for every pair — an index that compared only one of the
 * fields would refuse the other versions of a room and show up as pairs with no winner.
 */
export const uniqueCompoundInsert: Probe = {
  property: 'unique-compound-insert',
  async run(scratch) {
    await scratch.collection('compound').createIndex({ roomId: 1, version: 1 }, { unique: true });
    const attempts = range(ROOMS).flatMap((r) =>
      range(VERSIONS).flatMap((v) =>
        range(WRITERS).map((w) => ({ key: `r${r}/${v}`, writer: `r${r}/${v}-w${w}`, document: { roomId: `r${r}`, version: v } })),
      ),
    );
    return raceInserts(scratch, 'compound', attempts, (d) => `${String(d.roomId)}/${String(d.version)}`);
  },
};
