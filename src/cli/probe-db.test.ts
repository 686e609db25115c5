import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ServerProcess } from '../targets/reference/server-process.js';
import { UNSAFE_DATABASE_ENV } from '../mongo/probe/database-refusal.js';
import { ProbeCache, probeCacheDir } from '../mongo/probe/probe-cache.js';
import { handOver, PROBE_HANDOVER_ENV } from '../mongo/probe/probe-database.js';
import type { PropertyId } from '../mongo/probe/probe-properties.js';
import type { PropertyVerdict } from '../mongo/probe/probe-result.js';
import { probeResultFixture } from '../mongo/probe/probe-result-fixture.js';
import type { DatabaseProbeSummary } from '../mongo/probe/probe-summary.js';
import type { RunResult } from '../harness/result/result-model.js';
import { httpCall } from '../test-support/http-call.js';
import { runCli } from '../test-support/run-cli.js';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';

const version = inject('databaseVersion');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ackproof-probe-cli-'));
  dirs.push(dir);
  return dir;
};

/** An empty cache of its own, or one holding a result for the test database with these verdicts. */
function cacheEnv(verdicts?: Partial<Record<PropertyId, PropertyVerdict>>): NodeJS.ProcessEnv {
  const env = { MONGODB_URI: mongoUri(), XDG_CACHE_HOME: tmp() };
  if (verdicts) new ProbeCache(probeCacheDir(env)).write(probeResultFixture(version, verdicts));
  return env;
}

describe('ackproof probe-db (exit 0 all hold, 1 broken, 2 undecided, 3 no database)', () => {
  it('measures the test database, prints the counts, caches the result, and says so the next time', async () => {
    const env = cacheEnv();
    const first = await runCli(['probe-db', '--json'], env);
    const ferret = version.startsWith('FerretDB');
    expect(first.code, first.stderr).toBe(ferret ? 1 : 0);
    const summary = JSON.parse(first.stdout) as DatabaseProbeSummary;
    expect(summary).toMatchObject({ database: version, source: 'measured', verdict: ferret ? 'broken' : 'holds', unsafe: false });
    expect(summary.properties.map((p) => p.property)).toEqual([
      'concurrent-inc', 'cas-vs-other-field', 'unique-insert-race', 'concurrent-upsert', 'unique-compound-insert',
    ]);
    const inc = summary.properties.find((p) => p.property === 'concurrent-inc')!;
    expect(inc.counts).toMatchObject({ attempts: 200 });
    if (ferret) expect(inc.counts!.lost).toBeGreaterThan(0);
    expect(summary.properties.find((p) => p.property === 'unique-insert-race')).toMatchObject({
      verdict: 'holds',
      requiredBy: ['coupled', 'decoupled', 'outbox'],
    });

    const again = await runCli(['probe-db'], env);
    expect(again.code).toBe(first.code);
    expect(again.stderr).toMatch(/cached result from .*`ackproof probe-db --fresh` measures again/);
    expect(again.stdout).toMatch(/cached result, measured .* \(--fresh measures again\)/);
    expect(again.stdout).toMatch(/concurrent-inc\s+(BROKEN|holds)\s+200/);
    expect(again.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  const byCache: [string, Partial<Record<PropertyId, PropertyVerdict>>, number, RegExp][] = [
    ['every property holds', {}, 0, /Every property holds/],
    ['a property the store does not need is broken', { 'concurrent-inc': 'broken' }, 1, /Broken: .*\(concurrent-inc\)\. The reference store needs none of them/],
    ['a property the store needs is broken', { 'unique-compound-insert': 'broken' }, 1, /The reference store needs unique-compound-insert: `ackproof serve` refuses/],
    ['a probe could not decide', { 'concurrent-upsert': 'unknown' }, 2, /Undecided: the probe could not decide concurrent-upsert/],
  ];
  for (const [name, verdicts, code, verdictLine] of byCache) {
    it(`exits ${code} when ${name}`, async () => {
      const run = await runCli(['probe-db'], cacheEnv(verdicts));
      expect(run.code, run.stderr).toBe(code);
      expect(run.stdout).toMatch(verdictLine);
    });
  }

  it('exits 3 without a database, and --help names the exit codes', async () => {
    const none = await runCli(['probe-db', '--mongo-uri', 'mongodb://127.0.0.1:1/'], { XDG_CACHE_HOME: tmp() });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/cannot reach the database given by --mongo-uri/);
    const help = await runCli(['probe-db', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 all hold, 1 one is broken, 2 a probe could not decide, 3 no database/);
  });
});

describe('a store never silently runs on a database that breaks what it needs', () => {
  // The test database with a cached probe saying unique inserts have two winners there (a stand-in for such a database).
  const broken = () => cacheEnv({ 'unique-insert-race': 'broken' });

  it('serve refuses with exit 3 naming the property and the fix; with the permission it runs, marked UNSAFE in /healthz', async () => {
    const env = broken();
    const refused = await runCli(['serve', '--port', '0', '--db-name', uniqueDatabaseName('probe-refuse')], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/breaks what the reference store needs.*unique-insert-race \(190\/200 lost; needed by decoupled\)/);
    expect(refused.stderr).toMatch(/To fix: .*--unsafe-database/);

    // As run and compare start their children: the result and the permission in the environment, nothing on disk.
    const server = await ServerProcess.start({
      pattern: 'decoupled',
      mongoUri: mongoUri(),
      dbName: uniqueDatabaseName('probe-unsafe'),
      env: {
        ...process.env,
        XDG_CACHE_HOME: tmp(),
        [PROBE_HANDOVER_ENV]: handOver(probeResultFixture(version, { 'unique-insert-race': 'broken' })),
        [UNSAFE_DATABASE_ENV]: '1',
      },
    });
    try {
      const ready = server.ready as unknown as { database: { probe: DatabaseProbeSummary } };
      expect(ready.database.probe).toMatchObject({ unsafe: true, unmet: { broken: ['unique-insert-race'] }, source: 'handed-over' });
      const health = await httpCall(server.httpUrl, 'GET', '/healthz');
      expect(health.body.db.probe.sentence).toMatch(/^UNSAFE \(--unsafe-database\): the store needs unique-insert-race/);
      expect(server.stderrTail().join('\n')).toMatch(/result handed over by the parent process/);
      expect(server.stderrTail().join('\n')).toMatch(/UNSAFE/);
    } finally {
      await server.stop();
    }
  });

  it('run refuses before any case; with --unsafe-database result.json and every report say UNSAFE', async () => {
    const env = broken();
    const dir = tmp();
    const args = ['run', 'scenarios/baseline.json', '--pattern', 'decoupled', '--runs', '1', '--seed', '1', '--report-dir', dir];
    const refused = await runCli(args, env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/unique-insert-race/);
    expect(refused.stderr).not.toMatch(/baseline\/reference:decoupled:/);

    const unsafe = await runCli([...args, '--unsafe-database'], env);
    expect(unsafe.code, unsafe.stderr).toBe(0);
    expect(unsafe.stderr).toMatch(/database probe: cached result from/);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(result.database.probe).toMatchObject({ unsafe: true, database: version, unmet: { broken: ['unique-insert-race'] } });
    expect(unsafe.stdout).toMatch(/UNSAFE database: UNSAFE/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/> \*\*UNSAFE database:\*\*/);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<property name="databaseProbe" value="UNSAFE/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/id="unsafe-database"/);
  });
});
