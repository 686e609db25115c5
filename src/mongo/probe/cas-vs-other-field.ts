import type { Probe } from './probe.js';
import { range } from './probe.js';
import { WriteTally } from './write-tally.js';

/** 100 rounds take about 1.5 s on FerretDB and lose 10-20 edits there. */
const ROUNDS = 100;

interface CasDocument {
  _id: number;
  v: number;
  text: string;
  flag: boolean;
}

/**
 * A compare-and-set on a version (`{_id, v: 0}` → `{text: 'after', v: 1}`, how an edit is written) racing an update
 * of another field of the same document (`{flag: true}`, how a relay clears its mark), on different connections.
 * Each write touches fields the other does not, so both acknowledged changes must survive (DESIGN.md §6: FerretDB
 * v1.24.2 lost the edit in 51 of 200 sequential rounds).
 */
export const casVsOtherField: Probe = {
  property: 'cas-vs-other-field',
  async run(scratch) {
    await scratch.collection<CasDocument>('cas').insertMany(range(ROUNDS).map((r) => ({ _id: r, v: 0, text: 'before', flag: false })));
    const rounds = range(ROUNDS).map((r) =>
      Promise.allSettled([
        scratch.collection<CasDocument>('cas', 2 * r).updateOne({ _id: r, v: 0 }, { $set: { text: 'after', v: 1 } }),
        scratch.collection<CasDocument>('cas', 2 * r + 1).updateOne({ _id: r }, { $set: { flag: true } }),
      ]),
    );
    const settled = await Promise.all(rounds);
    const stored = new Map((await scratch.collection<CasDocument>('cas').find({}).toArray()).map((d) => [d._id, d]));
    const tally = new WriteTally();
    let lostEdits = 0;
    let lostFlags = 0;
    for (const [r, [cas, flag]] of settled.entries()) {
      const doc = stored.get(r);
      if (tally.add(cas!, (res) => res.modifiedCount === 1) === 'acknowledged' && (doc?.v !== 1 || doc.text !== 'after')) lostEdits++;
      if (tally.add(flag!, (res) => res.modifiedCount === 1) === 'acknowledged' && doc?.flag !== true) lostFlags++;
    }
    return {
      attempts: 2 * ROUNDS,
      rounds: ROUNDS,
      acknowledged: tally.acknowledged,
      lost: lostEdits + lostFlags,
      doubleWinners: 0,
      noWinner: 0,
      phantoms: 0,
      ...tally.errorCounts(),
      detail: `${lostEdits} compare-and-set edits and ${lostFlags} other-field updates lost in ${ROUNDS} rounds`,
    };
  },
};
