import { MongoClient, type Document } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import { mongoUri } from '../../test-support/test-database.js';
import type { Probe } from './probe.js';
import type { PropertyId } from './probe-properties.js';
import { PROBES, runProbes } from './run-probes.js';
import { ScratchDatabase, type ProbeScratch } from './scratch-database.js';

const version = inject('databaseVersion');

describe('runProbes on the test database', () => {
  it('FerretDB loses concurrent updates (counted) and keeps unique inserts exclusive; MongoDB holds everything', async () => {
    const result = await runProbes(mongoUri(), { database: version });
    expect(result.database).toBe(version);
    const verdicts = Object.fromEntries(result.properties.map((p) => [p.property, p.verdict]));
    if (version.startsWith('FerretDB')) {
      // DESIGN.md §6: updates are read-modify-write without isolation; inserts under a unique index are atomic.
      expect(verdicts).toEqual({
        'concurrent-inc': 'broken',
        'cas-vs-other-field': 'broken',
        'unique-insert-race': 'holds',
        'concurrent-upsert': 'broken',
        'unique-compound-insert': 'holds',
      });
      for (const p of result.properties.filter((r) => r.verdict === 'broken')) expect(p.counts?.lost).toBeGreaterThan(0);
      expect(result.verdict).toBe('broken');
    } else {
      expect(Object.values(verdicts)).toEqual(PROBES.map(() => 'holds'));
      expect(result.verdict).toBe('holds');
    }
  });

  // A database that acknowledges writes it does not keep, or a unique index that is not there: every probe must see it.
  const sabotage: [PropertyId, { dropUpdates?: boolean; skipIndexes?: boolean }, RegExp][] = [
    ['concurrent-inc', { dropUpdates: true }, /200 of 200 acknowledged writes lost/],
    ['cas-vs-other-field', { dropUpdates: true }, /200 of 200 acknowledged writes lost/],
    ['concurrent-upsert', { dropUpdates: true }, /160 of 160 acknowledged writes lost/],
    ['unique-insert-race', { skipIndexes: true }, /20 of 20 keys got more than one winner/],
    ['unique-compound-insert', { skipIndexes: true }, /40 of 40 keys got more than one winner/],
  ];
  for (const [property, how, reason] of sabotage) {
    it(`${property} is broken on a database that ${how.dropUpdates ? 'drops acknowledged updates' : 'ignores the unique index'}`, async () => {
      const scratch = await ScratchDatabase.open(mongoUri(), { operationTimeoutMs: 20_000 });
      try {
        const probe = PROBES.find((p) => p.property === property)!;
        const wrapped: Probe = { property, run: () => probe.run(sabotaged(scratch, how)) };
        const [result] = (await runProbes(mongoUri(), { database: version, probes: [wrapped], probeTimeoutMs: 20_000 })).properties;
        expect(result?.verdict).toBe('broken');
        expect(result?.reason).toMatch(reason);
      } finally {
        await scratch.close();
      }
    });
  }

  it('a probe that throws is unknown with its error, and the scratch database is dropped all the same', async () => {
    let name = '';
    const failing: Probe = {
      property: 'concurrent-inc',
      async run(scratch) {
        name = (scratch as ScratchDatabase).name;
        await scratch.collection('left').insertOne({ here: true });
        throw new Error('the probe broke');
      },
    };
    const result = await runProbes(mongoUri(), { database: version, probes: [failing] });
    expect(result.properties).toEqual([expect.objectContaining({ property: 'concurrent-inc', verdict: 'unknown', reason: 'the probe failed: the probe broke' })]);
    expect(result.verdict).toBe('unknown');
    expect(name).toMatch(/^ackproof_probe_[0-9a-f]{12}$/);
    const client = await new MongoClient(mongoUri()).connect();
    try {
      const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
      expect(databases.map((d) => d.name)).not.toContain(name);
    } finally {
      await client.close();
    }
  });

  it('a probe that does not finish in its time is unknown, and the others still run', async () => {
    const stuck: Probe = { property: 'concurrent-inc', run: () => new Promise(() => undefined) };
    const result = await runProbes(mongoUri(), { database: version, probes: [stuck, PROBES[2]!], probeTimeoutMs: 300 });
    expect(result.properties[0]).toMatchObject({ verdict: 'unknown', reason: 'the probe did not finish within 300 ms' });
    expect(result.properties[1]?.property).toBe('unique-insert-race');
  });

  it('no database: every property is unknown, saying why', async () => {
    const result = await runProbes('mongodb://127.0.0.1:1/', { database: 'nothing', probeTimeoutMs: 500 });
    expect(result.verdict).toBe('unknown');
    expect(result.properties).toHaveLength(PROBES.length);
    for (const p of result.properties) expect(p.reason).toMatch(/^could not open a scratch database: /);
  });
});

function sabotaged(scratch: ProbeScratch, how: { dropUpdates?: boolean; skipIndexes?: boolean }): ProbeScratch {
  return {
    lanes: scratch.lanes,
    collection<T extends Document>(name: string, lane?: number) {
      const real = scratch.collection<T>(name, lane);
      return new Proxy(real, {
        get(target, key, receiver) {
          if (how.dropUpdates && key === 'updateOne') {
            return async () => ({ acknowledged: true, matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
          }
          if (how.skipIndexes && key === 'createIndex') return async () => 'not created';
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}
