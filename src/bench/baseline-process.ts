import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * A baseline server in a process of its own (so its CPU is its own): runs the module at `moduleUrl` again as a
 * child with `env` set, and resolves once the child announces its port (`announcePort`) on its first stdout line.
 */
export function startBaselineProcess(moduleUrl: string, env: Record<string, string>, what: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fileURLToPath(moduleUrl)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { port } = JSON.parse(line) as { port: number };
      resolve({ child, port });
    });
  });
}

/** The child's side: listens on a free loopback port and announces it. */
export function announcePort(server: Server): void {
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
}

/** True in the child `startBaselineProcess` started for this module (and only there). */
export function isBaselineChild(moduleUrl: string, flag: string): boolean {
  return process.env[flag] === '1' && process.argv[1] === fileURLToPath(moduleUrl);
}
