import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '../proc/managed-process.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CLI process under test: its output so far, a wait for a line of it (an event, not a sleep), its end. */
export interface CliProcess {
  readonly pid: number;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first stderr line matching `pattern` (at once if one came already). */
  stderrLine(pattern: RegExp): Promise<string>;
  /** Calls `listener` on every later chunk of stderr (e.g. to look at the process tree at that moment). */
  onStderr(listener: () => void): void;
  signal(signal: NodeJS.Signals): void;
  /** Resolves when it exited (after `timeoutMs` it is stopped: SIGTERM, then SIGKILL). */
  readonly done: Promise<CliRun>;
}

/**
 * Starts the CLI from source (`node --import tsx src/cli/entry.ts ...`) in a child process, as a user would. A run
 * still going after `timeoutMs` (below vitest's 60 s default) is stopped and resolves with code null and the output
 * so far, so a slow or stuck run fails with what it was doing instead of a bare test timeout, and leaves no orphan
 * behind to slow the tests after it.
 */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 50_000): Promise<CliProcess> {
  const cli = await ManagedProcess.start({
    name: 'ackproof CLI under test',
    command: process.execPath,
    args: ['--import', 'tsx', `${REPO}src/cli/entry.ts`, ...args],
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stopGraceMs: 10_000,
  });
  let stdout = '';
  let stderr = '';
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const listeners: (() => void)[] = [];
  const findLine = (pattern: RegExp) => stderr.split('\n').find((line, i, all) => i < all.length - 1 && pattern.test(line));
  cli.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  cli.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
    for (const waiter of [...waiting]) {
      const line = findLine(waiter.pattern);
      if (line !== undefined) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const timer = setTimeout(() => {
    stderr += `\n[runCli] still running after ${timeoutMs} ms: stopped\n`;
    void cli.stop();
  }, timeoutMs);
  // The exit can come before the last output is read: wait for both pipes to close too.
  const drained = Promise.all([cli.child.stdout!, cli.child.stderr!].map((stream) => new Promise((resolve) => stream.once('close', resolve))));
  const done = Promise.all([cli.exited, drained]).then(([{ code }]) => {
    clearTimeout(timer);
    for (const waiter of waiting.splice(0)) waiter.resolve(`[runCli] exited before a line matched ${waiter.pattern}`);
    return { code, stdout, stderr };
  });
  return {
    pid: cli.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    stderrLine: (pattern) =>
      new Promise((resolve) => {
        const line = findLine(pattern);
        if (line !== undefined) resolve(line);
        else if (!cli.running) resolve(`[runCli] exited before a line matched ${pattern}`);
        else waiting.push({ pattern, resolve });
      }),
    onStderr: (listener) => void listeners.push(listener),
    signal: (signal) => cli.child.kill(signal),
    done,
  };
}

/** Runs the CLI to its end (see startCli). */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 50_000): Promise<CliRun> {
  return (await startCli(args, env, timeoutMs)).done;
}
