import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '../proc/managed-process.js';

/**
 * A baseline server in a process of its own (so its CPU is its own): runs the module at `moduleUrl` again as a
 * child with `env` set, and resolves once the child announces its port (`announcePort`) on stdout, within 30 s.
 */
export async function startBaselineProcess(moduleUrl: string, env: Record<string, string>, what: string): Promise<{ child: ChildProcess; port: number }> {
  const started = await ManagedProcess.start({
    name: what,
    command: process.execPath,
    args: [fileURLToPath(moduleUrl)],
    env: { ...process.env, ...env },
    stderr: 'inherit',
    ready: { line: (line) => (line.startsWith('{') ? (JSON.parse(line) as { port: number }).port : undefined) },
  });
  return { child: started.child, port: started.ready };
}

/** The child's side: listens on a free loopback port and announces it. */
export function announcePort(server: Server): void {
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
}

/** True in the child `startBaselineProcess` started for this module (and only there). */
export function isBaselineChild(moduleUrl: string, flag: string): boolean {
  return process.env[flag] === '1' && process.argv[1] === fileURLToPath(moduleUrl);
}
