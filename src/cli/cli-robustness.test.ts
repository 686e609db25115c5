import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/result/result-model.js';
import { commandOf, descendants, survivors } from '../test-support/process-tree.js';
import { runCli, startCli, type CliProcess } from '../test-support/run-cli.js';
import { mongoUri } from '../test-support/test-database.js';

/**
 * The harness never crashes or hangs and leaves nothing behind (DESIGN.md's rule), seen from outside as a user
 * sees it: the CLI in a child process. Each test gives the CLI a temp dir of its own (TMPDIR) and follows the
 * processes below the CLI's own pid, so parallel test files never see each other's processes or dirs.
 */
function isolated(): { tmp: string; reportDir: string; env: NodeJS.ProcessEnv } {
  const tmp = mkdtempSync(join(tmpdir(), 'robust-'));
  return { tmp, reportDir: join(tmp, 'report'), env: { TMPDIR: tmp } };
}

/** What ackproof left in its temp dir (tsx's own compile cache lives there too, and is not ackproof's). */
const leftoverDirs = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith('ackproof-'));

/** Every process the CLI had started, as seen each time it logged (progress lines: when it had the most running). */
function followChildren(cli: CliProcess): { seen: Set<number>; commands: () => string[] } {
  const seen = new Set<number>();
  const names = new Map<number, string>();
  const look = () => {
    for (const pid of descendants(cli.pid)) {
      seen.add(pid);
      if (!names.has(pid)) names.set(pid, commandOf(pid) ?? '');
    }
  };
  cli.onStderr(look);
  return { seen, commands: () => [...names.values()] };
}

describe('ackproof never crashes, never hangs, leaves nothing behind', () => {
  it('compare crash-after-save --seed 958292877 (which crashed with "fetch failed" and hung): exits 0 or 1, leaves no process', async () => {
    const { tmp, reportDir, env } = isolated();
    const cli = await startCli(
      ['compare', 'scenarios/crash-after-save.json', '--seed', '958292877', '--report-dir', reportDir, '--mongo-uri', mongoUri()],
      env,
      110_000,
    );
    const children = followChildren(cli);
    const run = await cli.done;
    expect([0, 1], run.stderr).toContain(run.code);
    expect(run.stderr).not.toMatch(/internal error/);
    const result = JSON.parse(readFileSync(join(reportDir, 'result.json'), 'utf8')) as RunResult;
    expect(result.cases.map((c) => c.error)).toEqual([undefined, undefined, undefined]);
    expect(children.commands().some((c) => c.includes(' serve '))).toBe(true);
    expect(await survivors([...children.seen])).toEqual([]);
    expect(leftoverDirs(tmp)).toEqual([]);
  }, 120_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} in the middle of run: reports what it has (interrupted), exits ${signal === 'SIGINT' ? 130 : 143}, no ferretdb/serve, no temp dir`, async () => {
      const { tmp, reportDir, env } = isolated();
      // Its own FerretDB (no MONGODB_URI), so that the database process is one of the things to clean up.
      const cli = await startCli(
        ['run', 'scenarios/baseline.json', 'scenarios/broadcast-window.json', '--runs', '40', '--seed', '11', '--report-dir', reportDir],
        { ...env, MONGODB_URI: '' },
        90_000,
      );
      const children = followChildren(cli);
      // The first case's progress line: its first run is done, the next is under way.
      await cli.stderrLine(/^\[1\/2\] baseline \/ reference:decoupled run/);
      for (const pid of descendants(cli.pid)) children.seen.add(pid);
      cli.signal(signal);
      const run = await cli.done;

      expect(run.code, run.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(children.commands().some((c) => c.includes('ferretdb'))).toBe(true);
      expect(children.commands().some((c) => c.includes(' serve '))).toBe(true);
      expect(await survivors([...children.seen])).toEqual([]);
      expect(leftoverDirs(tmp)).toEqual([]);

      const result = JSON.parse(readFileSync(join(reportDir, 'result.json'), 'utf8')) as RunResult;
      expect(result.interrupted).toBe(true);
      expect(result.cases).toHaveLength(1);
      expect(result.cases[0]).toMatchObject({ id: 'baseline/reference:decoupled', valid: 'unknown', error: { code: 'INTERRUPTED' } });
      expect(result.cases[0]!.runs).toBeGreaterThanOrEqual(1);
      expect(result.cases[0]!.error!.message).toContain(signal);
      expect(readFileSync(join(reportDir, 'summary.md'), 'utf8')).toContain('interrupted by a signal after 1 case');
      expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8')).toContain('type="INTERRUPTED"');
      expect(readFileSync(join(reportDir, 'report.html'), 'utf8')).toContain('interrupted by a signal');
    }, 100_000);
  }

  it('an unknown pattern is exit 3 before any database starts', async () => {
    const { env } = isolated();
    for (const args of [['compare', '--patterns', 'coupled,foo'], ['run', '--pattern', 'foo']]) {
      const run = await runCli([...args, 'scenarios/baseline.json'], { ...env, MONGODB_URI: '' });
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/unknown target "foo"; the targets are reference:coupled, reference:decoupled, reference:outbox, centrifugo:memory, centrifugo:redis/);
      expect(run.stderr).not.toMatch(/^database:/m);
    }
  });
});
