import { readFile } from 'node:fs/promises';
import type { WorldSpec } from '../chat/world-spec.js';
import { AdminClient } from '../targets/reference/admin-client.js';
import { ServerProcess } from '../targets/reference/server-process.js';

export interface BenchTarget {
  server: ServerProcess;
  admin: AdminClient;
}

let databases = 0;

/**
 * `ackproof serve --pattern P` in a child process with the admin endpoint (for world additions), on a fresh
 * database of the shared database server, with the given world added over the wire.
 */
export async function startBenchServer(
  pattern: string,
  mongoUri: string,
  world: WorldSpec,
  extraArgs: string[] = [],
  /** A database of its own by default; several nodes of one server share one. */
  dbName = `bench_${process.pid}_${Date.now().toString(36)}_${databases++}`,
): Promise<BenchTarget> {
  const server = await ServerProcess.start({
    pattern,
    mongoUri,
    dbName,
    adminPort: true,
    heartbeatMs: 60_000,
    extraArgs: [...extraArgs, ...(process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [])],
    nodeArgs: profilerArgs(),
  });
  const admin = new AdminClient(server.adminUrl!);
  try {
    await admin.addWorld(world);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, admin };
}

/** BENCH_CPU_PROF=DIR makes each server child write a V8 CPU profile there (open it in Chrome DevTools, or `node dist/bench/cpu-profile-top.js FILE`). */
function profilerArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** The server's peak resident set so far (VmHWM), in bytes, read from /proc. */
export async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kib) * 1024;
}
