import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProbeCache, probeCacheDir } from './probe-cache.js';
import { handOver, probeDatabase, PROBE_HANDOVER_ENV } from './probe-database.js';
import type { DbProbeResult } from './probe-result.js';
import { probeResultFixture } from './probe-result-fixture.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh cache dir, a database identity no other test uses (the in-process memo is per identity), a counting measure. */
function setup(verdict: 'broken' | 'unknown' = 'broken') {
  const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'ackproof-probe-cache-')) };
  dirs.push(env.XDG_CACHE_HOME);
  const version = `TestDB ${Math.random().toString(36).slice(2)}`;
  const measured: DbProbeResult[] = [];
  const measure = async () => {
    const result = { ...probeResultFixture(version, { 'concurrent-inc': verdict }), measuredAt: new Date().toISOString() };
    measured.push(result);
    return result;
  };
  const lines: string[] = [];
  return { env, db: { uri: 'mongodb://unused/', version }, measured, measure, lines, log: (line: string) => lines.push(line) };
}

describe('probeDatabase: once per database', () => {
  it('measures once, caches on disk under XDG_CACHE_HOME, and a later process reads the cache and says from when', async () => {
    const t = setup();
    const first = await probeDatabase(t.db, { env: t.env, measure: t.measure, log: t.log });
    expect(first.source).toBe('measured');
    expect(t.lines).toEqual([expect.stringMatching(/measuring TestDB .* \(a few seconds\)/)]);
    expect(probeCacheDir(t.env)).toBe(join(t.env.XDG_CACHE_HOME, 'ackproof', 'db-probe'));
    expect(new ProbeCache(probeCacheDir(t.env)).read(t.db.version)).toEqual(first.result);

    // The same process asks again: its own measurement, no new one.
    expect((await probeDatabase(t.db, { env: t.env, measure: t.measure })).result).toBe(first.result);
    expect(t.measured).toHaveLength(1);
  });

  it('a result on disk is used with its time and file named; --fresh measures again and replaces it', async () => {
    const t = setup();
    const stored = probeResultFixture(t.db.version, { 'cas-vs-other-field': 'broken' });
    new ProbeCache(probeCacheDir(t.env)).write(stored);
    const cached = await probeDatabase(t.db, { env: t.env, measure: t.measure, log: t.log });
    expect(cached).toEqual({ result: stored, source: 'cache' });
    expect(t.lines[0]).toMatch(/cached result from 2026-12-02 01:46 UTC \(.*db-probe\/TestDB_.*\.json; `ackproof probe-db --fresh` measures again\)/);
    expect(t.measured).toHaveLength(0);

    const fresh = await probeDatabase(t.db, { env: t.env, measure: t.measure, fresh: true });
    expect(fresh.source).toBe('measured');
    expect(new ProbeCache(probeCacheDir(t.env)).read(t.db.version)).toEqual(fresh.result);
  });

  it('an undecided result is not written to disk, so the next process measures again', async () => {
    const t = setup('unknown');
    const outcome = await probeDatabase(t.db, { env: t.env, measure: t.measure });
    expect(outcome.result.verdict).toBe('unknown');
    expect(existsSync(new ProbeCache(probeCacheDir(t.env)).fileFor(t.db.version))).toBe(false);
  });

  it('a damaged or foreign cache file is ignored', async () => {
    const t = setup();
    const cache = new ProbeCache(probeCacheDir(t.env));
    mkdirSync(cache.dir, { recursive: true });
    writeFileSync(cache.fileFor(t.db.version), '{"database": "TestDB', 'utf8');
    expect(cache.read(t.db.version)).toBeUndefined();
    writeFileSync(cache.fileFor(t.db.version), JSON.stringify(probeResultFixture('another database')), 'utf8');
    expect(cache.read(t.db.version)).toBeUndefined();
    expect((await probeDatabase(t.db, { env: t.env, measure: t.measure })).source).toBe('measured');
  });

  it('a result handed over by the parent is used when it names the same database, even an undecided one', async () => {
    const t = setup();
    const parent = probeResultFixture(t.db.version, { 'unique-insert-race': 'unknown' });
    const env = { ...t.env, [PROBE_HANDOVER_ENV]: handOver(parent) };
    expect(await probeDatabase(t.db, { env, measure: t.measure, log: t.log })).toEqual({ result: parent, source: 'handed-over' });
    expect(t.lines[0]).toMatch(/handed over by the parent process, measured 2026-12-02 01:46 UTC/);

    const other = { ...t.env, [PROBE_HANDOVER_ENV]: handOver(probeResultFixture('another database')) };
    expect((await probeDatabase(t.db, { env: other, measure: t.measure })).source).toBe('measured');
  });
});
