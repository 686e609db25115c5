import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, KillableDatabase } from '../../mongo/database.js';
import { resolveDatabase } from '../../mongo/resolve-database.js';
import { EnvironmentError } from '../../proc/environment-error.js';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import { mongoUri } from '../../test-support/test-database.js';
import { referenceTarget } from '../../targets/reference/reference-targets.js';
import type { CaseResult, RunResult } from '../result/result-model.js';
import { loadScenarioFile, type LoadedScenario } from '../scenario/load-scenarios.js';
import { scenarioSchema } from '../scenario/scenario-schema.js';
import type { CaseTarget, LiveRun } from './case-target.js';
import { runSuite, type SuiteOptions } from './run-suite.js';
import { SuiteStoppedError } from './suite-stopped-error.js';

/**
 * `--workers N`: cases side by side, each on its own target, with the verdicts and the report's order of a run one
 * case after another. First with fake targets (no server: the runner's scheduling seen exactly, no timing), then the
 * reference server for real.
 */
const fakeDatabase: Database = { kind: 'uri', uri: 'mongodb://127.0.0.1:1/', version: 'fake', description: 'fake', stop: async () => undefined };

function scenario(name: string, faults: { name: string; always?: boolean }[] = [{ name: 'ws.reset' }]): LoadedScenario {
  const parsed = scenarioSchema.parse({
    name,
    description: `${name} (fake)`,
    topology: { rooms: [{ id: 'general', members: ['alice', 'bob', 'carol'] }] },
    workload: { ops: 8, minOps: 2, mix: { send: 3, edit: 1, delete: 1, burst: 1, concurrent: 1, fault: 2 } },
    faults,
    runs: 3,
  });
  return { file: `(inline ${name})`, scenario: parsed };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Fake targets that log every call the generated commands make, per case, and which cases are open at once. A case
 * (`scenario/target`) may be held in its first run until `release(key)`, so the test decides which case ends first.
 */
function fakeTargets(hold: string[] = []) {
  const calls = new Map<string, string[]>();
  const open = new Set<string>();
  const openWhenStarted = new Map<string, string[]>();
  const closed: string[] = [];
  let most = 0;
  const gates = new Map(hold.map((key) => [key, deferred()]));
  const starts = new Map<string, ReturnType<typeof deferred>>();
  const startOf = (key: string) => {
    if (!starts.has(key)) starts.set(key, deferred());
    return starts.get(key)!;
  };
  const startCase: NonNullable<SuiteOptions['startCase']> = async ({ scenario: s, target }) => {
    const key = `${s.name}/${target.id}`;
    openWhenStarted.set(key, [...open]);
    open.add(key);
    most = Math.max(most, open.size);
    startOf(key).resolve();
    const log: string[] = [];
    calls.set(key, log);
    const record = (name: string) => async (...args: unknown[]) => void log.push(`${name} ${JSON.stringify(args)}`);
    const caseTarget: CaseTarget = {
      beginRun: async (runIndex, meta): Promise<LiveRun> => {
        log.push(`run ${runIndex} seed ${meta.seed}`);
        const gate = gates.get(key);
        if (gate && runIndex === 0) {
          // Held until released, or until the stop closes this target.
          await Promise.race([gate.promise, new Promise<void>((_, reject) => meta.signal?.addEventListener('abort', () => reject(new Error('closed under the run'))))]);
        }
        return {
          send: record('send'),
          edit: record('edit'),
          delete: record('delete'),
          burst: record('burst'),
          concurrently: record('concurrently'),
          reconnect: record('reconnect'),
          startFault: record('startFault'),
          healFault: record('healFault'),
          finish: async () => new HistoryBuilder().finish(),
        };
      },
      close: async () => {
        open.delete(key);
        closed.push(key);
      },
    };
    return caseTarget;
  };
  return {
    startCase,
    calls,
    closed,
    openWhenStarted,
    most: () => most,
    release: (key: string) => gates.get(key)!.resolve(),
    started: (key: string) => startOf(key).promise,
  };
}

function fakeSuite(scenarios: LoadedScenario[], extra: Partial<SuiteOptions>): Promise<RunResult> {
  const reportDir = mkdtempSync(join(tmpdir(), 'ackproof-workers-'));
  return runSuite({
    command: 'compare',
    scenarios,
    targets: [referenceTarget('decoupled'), referenceTarget('outbox')],
    seed: 7,
    shrinkBudgetMs: 1_000,
    reportDir,
    database: fakeDatabase,
    toolVersion: 'test',
    ...extra,
  });
}

/** What a case decided, without what varies from run to run (durations, start times). */
const verdicts = (cases: CaseResult[]) =>
  cases.map((c) => ({ id: c.id, valid: c.valid, runs: c.runs, violated: c.counterexample?.violated ?? [], error: c.error?.code, runHistoryFiles: c.runHistoryFiles }));

describe('runSuite --workers, with fake targets', () => {
  it('runs up to N cases at once and never more; workers 1 runs them one at a time', async () => {
    const names = ['a', 'b', 'c'].map((n) => scenario(n));
    const two = fakeTargets();
    const result = await fakeSuite(names, { startCase: two.startCase, workers: 2 });
    expect(result.cases).toHaveLength(6);
    expect(two.most()).toBe(2);
    const one = fakeTargets();
    await fakeSuite(names, { startCase: one.startCase, workers: 1 });
    expect(one.most()).toBe(1);
    const many = fakeTargets();
    await fakeSuite(names, { startCase: many.startCase, workers: 4 });
    expect(many.most()).toBe(4);
  });

  it('the same commands, seeds and verdicts whatever the worker count or the order the cases end in; results in plan order', async () => {
    const names = ['a', 'b', 'c'].map((n) => scenario(n));
    const sequential = fakeTargets();
    const one = await fakeSuite(names, { startCase: sequential.startCase, workers: 1 });

    // Case a is held in its first run until case b (the third in the plan) has been started: a ends after b.
    const parallel = fakeTargets(['a/reference:decoupled']);
    const releaseAfterB = parallel.started('b/reference:decoupled').then(() => parallel.release('a/reference:decoupled'));
    const finished: string[] = [];
    const two = await fakeSuite(names, { startCase: parallel.startCase, workers: 2, onCase: (c) => finished.push(c.id) });
    await releaseAfterB;
    expect(finished.indexOf('a/reference:decoupled')).toBeGreaterThan(finished.indexOf('a/reference:outbox'));

    expect(two.cases.map((c) => c.id)).toEqual(['a', 'b', 'c'].flatMap((n) => [`${n}/reference:decoupled`, `${n}/reference:outbox`]));
    expect(verdicts(two.cases)).toEqual(verdicts(one.cases));
    expect(two.valid).toEqual(one.valid);
    expect(two.database).toEqual(one.database);
    // Every case got the commands it gets alone: its seed is its scenario's (caseSeed), not its place in the run.
    expect(Object.fromEntries(parallel.calls)).toEqual(Object.fromEntries(sequential.calls));
    expect(sequential.calls.get('a/reference:decoupled')!.some((call) => call.startsWith('send'))).toBe(true);

    // Another order of the scenarios, and a shard: each case still gets the same commands.
    const reversed = fakeTargets();
    await fakeSuite([...names].reverse(), { startCase: reversed.startCase, workers: 2 });
    expect(Object.fromEntries(reversed.calls)).toEqual(Object.fromEntries(sequential.calls));
    const shard = fakeTargets();
    await fakeSuite(names, { startCase: shard.startCase, workers: 2, shard: { index: 2, count: 2 } });
    for (const [key, log] of shard.calls) expect(log, key).toEqual(sequential.calls.get(key));
  });

  it('a stop closes every case under way, starts no other, and reports them interrupted, in plan order', async () => {
    const controller = new AbortController();
    const targets = fakeTargets(['a/reference:decoupled', 'a/reference:outbox']);
    // Both of scenario a's cases are held in their first run; once both have started, stop.
    void Promise.all([targets.started('a/reference:decoupled'), targets.started('a/reference:outbox')]).then(() => controller.abort('SIGINT'));
    const result = await fakeSuite([scenario('a'), scenario('b')], { startCase: targets.startCase, workers: 2, signal: controller.signal });
    expect(result.interrupted).toBe(true);
    expect(result.cases.map((c) => [c.id, c.valid, c.error?.code])).toEqual([
      ['a/reference:decoupled', 'unknown', 'INTERRUPTED'],
      ['a/reference:outbox', 'unknown', 'INTERRUPTED'],
    ]);
    expect([...targets.calls.keys()]).toEqual(['a/reference:decoupled', 'a/reference:outbox']);
    expect(targets.closed.sort()).toEqual(['a/reference:decoupled', 'a/reference:outbox']);
  });

  it('an environment failure starts no further case; the case under way ends and is reported; SuiteStoppedError', async () => {
    const targets = fakeTargets(['a/reference:decoupled']);
    const startCase: NonNullable<SuiteOptions['startCase']> = async (start) => {
      if (start.scenario.name === 'a' && start.target.id === 'reference:outbox') {
        throw new EnvironmentError('SERVER_CANNOT_START', 'ackproof serve exited (code 3): cannot listen');
      }
      return targets.startCase(start);
    };
    // a/decoupled is under way (held) when a/outbox cannot start; it is let go once the failure is reported.
    const onCase = (c: CaseResult) => c.error?.code === 'SERVER_CANNOT_START' && targets.release('a/reference:decoupled');
    const error = await fakeSuite([scenario('a'), scenario('b')], { startCase, workers: 2, onCase }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SuiteStoppedError);
    const stopped = error as SuiteStoppedError;
    expect(stopped.reason.code).toBe('SERVER_CANNOT_START');
    // a/decoupled ran all its runs to the end.
    expect(stopped.result.cases.map((c) => [c.id, c.runs, c.error?.code])).toEqual([
      ['a/reference:decoupled', 3, undefined],
      ['a/reference:outbox', 0, 'SERVER_CANNOT_START'],
    ]);
    expect([...targets.calls.keys()]).toEqual(['a/reference:decoupled']);
  });

  it('a db.kill case (the database every case shares) runs with no other case beside it', async () => {
    const killable: KillableDatabase = { ...fakeDatabase, kill: async () => undefined, restart: async () => undefined };
    const targets = fakeTargets();
    const names = [scenario('a'), scenario('kills', [{ name: 'db.kill' }]), scenario('c')];
    const result = await fakeSuite(names, { startCase: targets.startCase, workers: 2, database: killable, runs: 1 });
    expect(result.cases.map((c) => c.error?.code)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(targets.openWhenStarted.get('kills/reference:decoupled')).toEqual([]);
    // Its sibling waits for it too (nothing starts beside a case that runs alone), then c's cases pair up again.
    expect(targets.openWhenStarted.get('kills/reference:outbox')).toEqual([]);
    expect(targets.openWhenStarted.get('c/reference:outbox')).toEqual(['c/reference:decoupled']);
    expect(targets.most()).toBe(2);
  });
});

describe('runSuite --workers with the reference server (real database, fault proxies)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await resolveDatabase({ mongoUri: mongoUri() });
  });
  afterAll(async () => {
    await database.stop();
  });

  it('broadcast-throws and dropped-frame on coupled and decoupled: workers 1 and 2 give the same cases, in order, with the same verdicts', async () => {
    const scenarios = await Promise.all(['scenarios/broadcast-throws.json', 'scenarios/dropped-frame.json'].map((f) => loadScenarioFile(f)));
    const suite = (workers: number) =>
      runSuite({
        command: 'compare',
        scenarios,
        targets: [referenceTarget('coupled'), referenceTarget('decoupled')],
        runs: 4,
        seed: 42,
        shrinkBudgetMs: 5_000,
        reportDir: mkdtempSync(join(tmpdir(), `ackproof-workers-${workers}-`)),
        database,
        toolVersion: 'test',
        workers,
      });
    const one = await suite(1);
    const two = await suite(2);
    const decided = (r: RunResult) => r.cases.map((c) => ({ id: c.id, valid: c.valid, violated: c.counterexample?.violated ?? [] }));
    expect(decided(one)).toEqual([
      { id: 'broadcast-throws/reference:coupled', valid: false, violated: ['I4'] },
      { id: 'broadcast-throws/reference:decoupled', valid: true, violated: [] },
      { id: 'dropped-frame/reference:coupled', valid: true, violated: [] },
      { id: 'dropped-frame/reference:decoupled', valid: true, violated: [] },
    ]);
    expect(decided(two)).toEqual(decided(one));
    // The invariants each case held or broke, one by one.
    const invariants = (r: RunResult) => r.cases.map((c) => Object.fromEntries(Object.entries(c.check.invariants).map(([id, v]) => [id, v.valid])));
    expect(invariants(two)).toEqual(invariants(one));
    expect(two.valid).toBe(false);
  }, 240_000);
});
