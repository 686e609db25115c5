import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { targetTotals } from '../report/target-totals.js';
import type { RunResult } from '../harness/result/result-model.js';
import { runCli } from '../test-support/run-cli.js';
import { mongoUri } from '../test-support/test-database.js';

const env = () => ({ MONGODB_URI: mongoUri() });
const tmp = () => mkdtempSync(join(tmpdir(), 'ackproof-cli-'));


/**
 * 48 property runs on real server processes: about 25 s alone, 30 s inside the suite, once over 60 s on a loaded CI
 * machine. Generous, so that only a stuck run fails it, and then runCli reports its output.
 */
const COMPARE_ALL_MS = 150_000;
describe('ackproof CLI (exit codes: 0 held, 1 violated, 2 unknown, 3 usage/environment)', () => {
  it('compare: a false expectation exits 1 and names it; replay reproduces the violation; check re-finds it', async () => {
    const dir = tmp();
    const compare = await runCli(
      ['compare', 'scenarios/broadcast-throws.json', '--patterns', 'coupled,decoupled', '--expect', 'coupled=pass',
        '--expect', 'decoupled=pass', '--runs', '8', '--seed', '42', '--report-dir', dir],
      env(),
    );
    expect(compare.code, compare.stderr).toBe(1);
    expect(compare.stdout).toMatch(/coupled/);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(result.expectations).toEqual([
      expect.objectContaining({ target: 'reference:coupled', scenario: '*', expected: 'pass', actual: false, met: false }),
      expect.objectContaining({ target: 'reference:decoupled', scenario: '*', expected: 'pass', actual: true, met: true }),
    ]);
    expect(compare.stdout).toMatch(/unmet|not met/i);

    // junit.xml: valid XML, one testcase per case x invariant and its basis, plus one per expectation.
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit.match(/<testcase /g)?.length).toBe(2 * (9 + 1) + 2);

    // Replay from a copy of the report in another folder whose scenario file path leads nowhere (another machine).
    const copy = join(tmp(), 'copied-report');
    cpSync(dir, copy, { recursive: true });
    const copied = JSON.parse(readFileSync(join(copy, 'result.json'), 'utf8')) as RunResult;
    for (const c of copied.cases) c.scenarioFile = '/ci-runner/work/ackproof/scenarios/broadcast-throws.json';
    writeFileSync(join(copy, 'result.json'), JSON.stringify(copied));
    const replay = await runCli(['replay', copy, '--case', 'broadcast-throws/reference:coupled', '--report-dir', tmp()], env());
    expect(replay.code, replay.stderr).toBe(1);
    expect(replay.stdout).toMatch(/I4 honest acks/);

    const history = join(dir, result.cases.find((c) => c.target === 'reference:coupled')!.counterexample!.historyFile);
    const check = await runCli(['check', history]);
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout).toMatch(/FAIL\s+I4 honest acks/);
    // It names the operation that lied, and where it is in the file.
    expect(check.stdout).toMatch(/op \d+ \(line \d+\): \w+ send "[^"]*" \([^)]+\) in general-r\d+ at [\d.]+ ms -> fail/);
  });

  it('compare of all three patterns meets coupled=fail and outbox=pass, with outbox delivering the most live', async () => {
    const dir = tmp();
    const compare = await runCli(
      ['compare', 'scenarios/broadcast-throws.json', 'scenarios/broadcast-window.json', '--patterns', 'coupled,decoupled,outbox',
        '--expect', 'coupled=fail', '--expect', 'outbox=pass', '--runs', '8', '--seed', '42', '--report-dir', dir],
      env(),
      COMPARE_ALL_MS,
    );
    expect(compare.code, compare.stdout + compare.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
    const live = (pattern: string) => targetTotals(result.cases.filter((c) => c.target === `reference:${pattern}`)).liveDeliveryRate!;
    expect(live('outbox')).toBeGreaterThan(live('decoupled'));
    expect(live('outbox')).toBeGreaterThanOrEqual(0.95);
    expect(compare.stdout).toMatch(/Scorecard/);
    expect(compare.stdout).toMatch(/Delivery paths/);
  }, COMPARE_ALL_MS + 10_000);

  it('check: a clean history exits 0, a malformed one exits 3 naming the line', async () => {
    const dir = tmp();
    const run = await runCli(['run', 'scenarios/baseline.json', '--pattern', 'decoupled', '--runs', '1', '--seed', '1', '--report-dir', dir], env());
    expect(run.code, run.stderr).toBe(0);
    const history = join(dir, 'histories', 'baseline.reference-decoupled.run-1.jsonl');
    expect((await runCli(['check', history])).code).toBe(0);

    const broken = join(dir, 'broken.jsonl');
    const lines = readFileSync(history, 'utf8').trimEnd().split('\n');
    writeFileSync(broken, [...lines.slice(0, 2), '{"type":"complete","time":1e9,"process":"alice","op":999,"status":"ok"}', ''].join('\n'));
    const bad = await runCli(['check', broken]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/line 3/);
  });

  it('usage errors exit 3 with the fix in the message', async () => {
    const badScenario = join(tmp(), 'bad.json');
    writeFileSync(badScenario, JSON.stringify({ name: 'bad', description: 'x', topology: { rooms: [] }, workload: { ops: 1 } }));
    const scenario = await runCli(['run', badScenario], env());
    expect(scenario.code).toBe(3);
    expect(scenario.stderr).toContain(badScenario);
    expect(scenario.stderr).toContain('topology.rooms');

    const expectation = await runCli(['compare', '--expect', 'coupled=maybe'], env());
    expect(expectation.code).toBe(3);
    expect(expectation.stderr).toMatch(/TARGET=pass\|fail/);

    for (const bad of ['0', '1.5']) {
      const workers = await runCli(['compare', 'scenarios/baseline.json', '--workers', bad], env());
      expect(workers.code, workers.stderr).toBe(3);
      expect(workers.stderr).toContain(`--workers ${bad}: give a whole number of cases to run at once, at least 1 (e.g. --workers 2), or auto`);
    }

    const database = await runCli(['run', 'scenarios/baseline.json', '--mongo-uri', 'mongodb://127.0.0.1:1/'], {});
    expect(database.code).toBe(3);
    expect(database.stderr).toMatch(/cannot reach the database/);

    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--pattern/);
    expect(help.stdout).toMatch(/--workers <n>/);
  });
});
