import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI from source (`node --import tsx src/cli/entry.ts ...`) in a child process, as a user would. A run
 * still going after `timeoutMs` (below vitest's 60 s default) is killed and resolves with code null and the output
 * so far, so a slow or stuck run fails with what it was doing instead of a bare test timeout, and leaves no
 * orphan behind to slow the tests after it.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 50_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${REPO}src/cli/entry.ts`, ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[runCli] still running after ${timeoutMs} ms: killed\n`;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
