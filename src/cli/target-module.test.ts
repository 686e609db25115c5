import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/result/result-model.js';
import { runCli } from '../test-support/run-cli.js';
import { mongoUri } from '../test-support/test-database.js';

const env = () => ({ MONGODB_URI: mongoUri() });
const tmp = () => mkdtempSync(join(tmpdir(), 'ackproof-target-'));

/**
 * A team's target module, loaded by path: the reference server, declared unable to crash. The crash scenario is
 * skipped for it with the reason in every report, and does not make the run undecided; the rest runs.
 */
function moduleWithoutCrash(dir: string): string {
  const file = join(dir, 'no-crash-target.mjs');
  const built = resolve('dist/targets/reference/reference-target.js');
  writeFileSync(
    file,
    `import { ReferenceTarget } from ${JSON.stringify(built)};
export default {
  id: 'team:no-crash',
  description: 'the reference server, declared unable to crash',
  capabilities: { edit: true, delete: true, crash: false, faultPoints: [], dbKill: false,
    links: { client: true, frames: true, database: true, broker: false }, notPromised: {} },
  start: (env) => ReferenceTarget.start({ pattern: 'outbox' }, env),
};
`,
  );
  return file;
}

describe('--target MODULE (docs/writing-a-target.md)', () => {
  it('runs a target module; a scenario it cannot take is SKIPPED with the reason, the run still decides', async () => {
    const dir = tmp();
    const module = moduleWithoutCrash(dir);
    const report = join(dir, 'report');
    const run = await runCli(
      ['run', 'scenarios/baseline.json', 'scenarios/crash-after-save.json', '--target', module, '--runs', '1', '--seed', '3', '--report-dir', report],
      env(),
      120_000,
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(report, 'result.json'), 'utf8')) as RunResult;
    expect(result.targets).toEqual(['team:no-crash']);
    const skipped = result.cases.find((c) => c.scenario === 'crash-after-save')!;
    expect(skipped).toMatchObject({ id: 'crash-after-save/team:no-crash', skipped: true, valid: 'unknown', runs: 0, error: { code: 'NOT_SUPPORTED' } });
    expect(skipped.error!.message).toMatch(/crash\.afterSave needs the in-server fault point crash\.afterSave/);
    expect(result.cases.find((c) => c.scenario === 'baseline')).toMatchObject({ valid: true, target: 'team:no-crash' });
    expect(run.stdout).toMatch(/SKIPPED/);
    expect(readFileSync(join(report, 'junit.xml'), 'utf8')).toMatch(/<skipped message="[^"]*crash\.afterSave/);
    expect(readFileSync(join(report, 'summary.md'), 'utf8')).toMatch(/SKIPPED/);
  }, 130_000);

  it('a module that exports no target factory is a usage error (exit 3) naming the module and the shape', async () => {
    const dir = tmp();
    const file = join(dir, 'not-a-target.mjs');
    writeFileSync(file, 'export default { name: "nope" };\n');
    const run = await runCli(['run', 'scenarios/baseline.json', '--target', file], env());
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(file.slice(dir.length));
    expect(run.stderr).toMatch(/export .*a target factory/);
    const listed = await runCli(['targets', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((t) => t.id)).toEqual(['reference:coupled', 'reference:decoupled', 'reference:outbox', 'centrifugo:memory', 'centrifugo:redis', 'socketio:memory', 'socketio:redis-streams']);
  });
});
