import { describe, expect, it } from 'vitest';
import { databaseRefusal } from './database-refusal.js';
import { probeResultFixture } from './probe-result-fixture.js';
import { summarizeProbe } from './probe-summary.js';
import { STORE_REQUIREMENTS, type StoreRequirements } from './store-requirements.js';
import { unmetRequirements } from './unmet-requirements.js';

const FERRET = 'FerretDB v1.24.2 (MongoDB 7.0.42 wire)';
// What FerretDB v1.24.2 measures: updates are not atomic, unique-index inserts are.
const ferretLike = probeResultFixture(FERRET, { 'concurrent-inc': 'broken', 'cas-vs-other-field': 'broken', 'concurrent-upsert': 'broken' });
// A table as the store before the change log needed: room counters on $inc, edits as compare-and-set.
const OLD_STORE: StoreRequirements = {
  decoupled: ['concurrent-inc', 'cas-vs-other-field', 'unique-insert-race'],
  coupled: ['unique-insert-race'],
};

describe('store requirements against a probed database', () => {
  it('the shipped table: every pattern needs only unique inserts, so FerretDB\'s broken updates are not refused', () => {
    for (const pattern of Object.keys(STORE_REQUIREMENTS)) {
      expect(unmetRequirements(ferretLike, [pattern])).toEqual({ broken: [], unknown: [] });
      const summary = summarizeProbe({ result: ferretLike, source: 'cache' }, { patterns: [pattern], unsafeAllowed: false });
      expect(databaseRefusal(summary)).toBeUndefined();
      expect(summary.sentence).toMatch(/breaks concurrent-inc \(190\/200 lost\).*\(the store needs none of them\)/);
    }
  });

  it('a pattern whose table entry needs a broken property is refused, naming the property, its meaning and the fix', () => {
    expect(unmetRequirements(ferretLike, ['decoupled'], OLD_STORE)).toEqual({ broken: ['concurrent-inc', 'cas-vs-other-field'], unknown: [] });
    const summary = summarizeProbe({ result: ferretLike, source: 'measured' }, { patterns: ['decoupled'], unsafeAllowed: false, requirements: OLD_STORE });
    expect(summary.unsafe).toBe(false);
    const refusal = databaseRefusal(summary);
    expect(refusal).toMatch(/FerretDB v1\.24\.2/);
    expect(refusal).toMatch(/concurrent-inc \(190\/200 lost; needed by decoupled\): a counter several writers bump/);
    expect(refusal).toMatch(/cas-vs-other-field/);
    expect(refusal).toMatch(/--unsafe-database/);
  });

  it('only the patterns in use count: coupled needs nothing broken here', () => {
    const summary = summarizeProbe({ result: ferretLike, source: 'measured' }, { patterns: ['coupled'], unsafeAllowed: false, requirements: OLD_STORE });
    expect(databaseRefusal(summary)).toBeUndefined();
    expect(summary.properties.find((p) => p.property === 'unique-insert-race')?.requiredBy).toEqual(['coupled']);
  });

  it('with --unsafe-database it runs, and the summary says UNSAFE first', () => {
    const summary = summarizeProbe({ result: ferretLike, source: 'measured' }, { patterns: ['decoupled'], unsafeAllowed: true, requirements: OLD_STORE });
    expect(summary.unsafe).toBe(true);
    expect(databaseRefusal(summary)).toBeUndefined();
    expect(summary.sentence).toMatch(/^UNSAFE \(--unsafe-database\): the store needs concurrent-inc, cas-vs-other-field/);
  });

  it('--unsafe-database on a database that gives everything needed is not unsafe', () => {
    const summary = summarizeProbe({ result: probeResultFixture('MongoDB 7.0.14'), source: 'measured' }, { patterns: ['decoupled'], unsafeAllowed: true });
    expect(summary.unsafe).toBe(false);
    expect(summary.sentence).toBe('probe 2026-12-02 01:46 UTC: all 5 properties hold');
  });

  it('an undecided needed property is reported as unmet but not refused', () => {
    const result = probeResultFixture(FERRET, { 'unique-insert-race': 'unknown' });
    const summary = summarizeProbe({ result, source: 'cache' }, { patterns: ['outbox'], unsafeAllowed: false });
    expect(summary.unmet).toEqual({ broken: [], unknown: ['unique-insert-race'] });
    expect(databaseRefusal(summary)).toBeUndefined();
    expect(summary.sentence).toMatch(/cached: could not decide unique-insert-race \(the store needs unique-insert-race: running unverified\)/);
  });
});
