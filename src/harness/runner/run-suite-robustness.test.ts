import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database, KillableDatabase } from '../../mongo/database.js';
import { EnvironmentError } from '../../proc/environment-error.js';
import { renderTerminalReport } from '../../report/terminal-report.js';
import { writeReportDir } from '../../report/write-report-dir.js';
import { HistoryBuilder } from '../../test-support/history-builder.js';
import type { LoadedScenario } from '../scenario/load-scenarios.js';
import { scenarioSchema } from '../scenario/scenario-schema.js';
import type { CaseTarget, LiveRun } from './case-target.js';
import { runSuite, type SuiteOptions } from './run-suite.js';
import { SuiteStoppedError } from './suite-stopped-error.js';

/**
 * The runner's own failures, with fake targets (no server, no database): a case whose machinery breaks is
 * `unknown` with the reason and the suite goes on; an environment failure stops it with what it has; a stop
 * (SIGINT) ends it at once, marked interrupted. Every target started is closed.
 */
const database: Database = { kind: 'uri', uri: 'mongodb://127.0.0.1:1/', version: 'fake', description: 'fake', stop: async () => undefined };

function scenario(name: string, faults: { name: string; always?: boolean }[] = []): LoadedScenario {
  const parsed = scenarioSchema.parse({
    name,
    description: `${name} (fake)`,
    topology: { rooms: [{ id: 'general', members: ['alice', 'bob'] }] },
    workload: { ops: 2, mix: { send: 1, edit: 0, delete: 0, fault: 0 } },
    faults,
    runs: 3,
  });
  return { file: `(inline ${name})`, scenario: parsed };
}

/** A run that does nothing and ends with a clean, empty history (every invariant holds). */
function quietRun(overrides: Partial<LiveRun> = {}): LiveRun {
  const nothing = async () => undefined;
  return { send: nothing, edit: nothing, delete: nothing, burst: nothing, concurrently: nothing, reconnect: nothing, startFault: nothing, healFault: nothing, finish: async () => new HistoryBuilder().finish(), ...overrides };
}

function fakeTargets(behaviour: Record<string, (signal?: AbortSignal) => Promise<LiveRun>>) {
  const started: string[] = [];
  const closed: string[] = [];
  const startTarget: NonNullable<SuiteOptions['startTarget']> = async ({ scenario: s }) => {
    started.push(s.name);
    const target: CaseTarget = {
      beginRun: (_run, meta) => behaviour[s.name]!(meta.signal),
      close: async () => void closed.push(s.name),
    };
    return target;
  };
  return { started, closed, startTarget };
}

function suite(scenarios: LoadedScenario[], extra: Partial<SuiteOptions>) {
  const reportDir = mkdtempSync(join(tmpdir(), 'ackproof-robust-'));
  const run = runSuite({ command: 'run', scenarios, patterns: ['decoupled'], seed: 7, shrinkBudgetMs: 1_000, reportDir, database, toolVersion: 'test', ...extra });
  return { run, reportDir };
}

describe('runSuite when its own machinery fails', () => {
  it('a case whose beginRun throws is unknown with the reason; the next case runs; every report says why', async () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    const targets = fakeTargets({ broken: () => Promise.reject(refused), fine: async () => quietRun() });
    const { run, reportDir } = suite([scenario('broken'), scenario('fine')], { startTarget: targets.startTarget });
    const result = await run;

    const [broken, fine] = result.cases;
    expect(broken).toMatchObject({ id: 'broken/decoupled', valid: 'unknown', runs: 0, error: { code: 'ECONNREFUSED' } });
    expect(broken!.error!.message).toContain('fetch failed: connect ECONNREFUSED');
    expect(fine).toMatchObject({ id: 'fine/decoupled', valid: true, runs: 3 });
    expect(result.valid).toBe('unknown');
    expect(targets.closed).toEqual(['broken', 'fine']);

    const files = await writeReportDir(reportDir, result);
    const sentence = "ackproof's own machinery failed (ECONNREFUSED)";
    expect(renderTerminalReport(result, { color: false })).toContain(sentence);
    expect(readFileSync(files.summaryMd, 'utf8')).toContain(sentence);
    expect(readFileSync(files.reportHtml, 'utf8')).toContain(sentence.replace("'", '&#39;'));
    expect(readFileSync(files.junitXml, 'utf8')).toMatch(/<error message="Not decided: ackproof&apos;s own machinery failed \(ECONNREFUSED\)[^"]*" type="ECONNREFUSED"/);
    expect(JSON.parse(readFileSync(files.resultJson, 'utf8')).cases[0].error.code).toBe('ECONNREFUSED');
  });

  it('a run that breaks midway keeps the runs before it, and the case is unknown, not a violation', async () => {
    let runs = 0;
    const targets = fakeTargets({ flaky: async () => (++runs === 2 ? quietRun({ finish: () => Promise.reject(new Error('heal failed')) }) : quietRun()) });
    const result = await suite([scenario('flaky')], { startTarget: targets.startTarget }).run;
    expect(result.cases[0]).toMatchObject({ valid: 'unknown', runs: 1, error: { code: 'HARNESS_ERROR', message: 'heal failed' } });
  });

  it('db.kill on a database ackproof did not start: skipped as NOT_SUPPORTED without starting anything', async () => {
    const targets = fakeTargets({ fine: async () => quietRun() });
    const result = await suite([scenario('kills-db', [{ name: 'db.kill' }]), scenario('fine')], { startTarget: targets.startTarget }).run;
    expect(result.cases[0]).toMatchObject({ valid: 'unknown', error: { code: 'NOT_SUPPORTED' } });
    expect(result.cases[0]!.error!.message).toContain('--mongo-uri');
    expect(result.cases[1]!.valid).toBe(true);
    expect(targets.started).toEqual(['fine']);

    const killable: KillableDatabase = { ...database, kill: async () => undefined, restart: async () => undefined };
    const withKillable = await suite([scenario('kills-db', [{ name: 'db.kill' }])], { startTarget: fakeTargets({ 'kills-db': async () => quietRun() }).startTarget, database: killable }).run;
    // It runs: no NOT_SUPPORTED (the fake run writes nothing, so its basis, not its support, leaves it undecided).
    expect(withKillable.cases[0]!.error).toBeUndefined();
    expect(withKillable.cases[0]!.runs).toBeGreaterThan(0);
  });

  it('an environment failure stops the suite with the cases so far (SuiteStoppedError), not a crash', async () => {
    const targets = fakeTargets({ fine: async () => quietRun() });
    const startTarget: NonNullable<SuiteOptions['startTarget']> = async (options) => {
      if (options.scenario.name === 'no-port') throw new EnvironmentError('SERVER_CANNOT_START', 'ackproof serve exited (code 3): cannot listen');
      return targets.startTarget(options);
    };
    const error = await suite([scenario('fine'), scenario('no-port'), scenario('never')], { startTarget }).run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SuiteStoppedError);
    const stopped = error as SuiteStoppedError;
    expect(stopped.reason.code).toBe('SERVER_CANNOT_START');
    expect(stopped.result.cases.map((c) => [c.id, c.valid, c.error?.code])).toEqual([
      ['fine/decoupled', true, undefined],
      ['no-port/decoupled', 'unknown', 'SERVER_CANNOT_START'],
    ]);
  });

  it('a stop (SIGINT) ends the case under way at once, starts no other, and marks the result interrupted', async () => {
    const controller = new AbortController();
    let runs = 0;
    const targets = fakeTargets({
      // The second run blocks in its first send until the stop, as a run waiting on a server would (whatever
      // length the first run was drawn).
      long: async (signal) =>
        ++runs < 2
          ? quietRun()
          : quietRun({
              send: () => new Promise((_, reject) => {
                signal!.addEventListener('abort', () => reject(new Error('socket closed under the run')));
                controller.abort('SIGINT');
              }),
            }),
      never: async () => quietRun(),
    });
    const result = await suite([scenario('long'), scenario('never')], { startTarget: targets.startTarget, signal: controller.signal }).run;
    expect(result.interrupted).toBe(true);
    expect(result.cases).toHaveLength(1);
    expect(result.cases[0]).toMatchObject({ valid: 'unknown', runs: 1, error: { code: 'INTERRUPTED' } });
    expect(result.cases[0]!.error!.message).toContain('SIGINT');
    expect(targets.started).toEqual(['long']);
    expect(targets.closed).toEqual(['long']);
  });
});
