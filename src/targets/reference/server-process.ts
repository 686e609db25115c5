import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../proc/environment-error.js';
import { ManagedProcess } from '../../proc/managed-process.js';
import type { ProcessExit } from '../../proc/process-exit.js';
import { ProcessStartError } from '../../proc/process-start-error.js';

export type { ProcessExit } from '../../proc/process-exit.js';

/** The `--json` ready line of `ackproof serve`. */
export interface ReadyLine {
  event: 'ready';
  pattern: string;
  http: string;
  ws: string;
  admin: string | null;
  database: { kind: string; version: string };
  writeConcern: string;
  pid: number;
}

export interface ServerProcessOptions {
  pattern: string;
  mongoUri: string;
  dbName: string;
  /** true = a free port; a number = that port; false/absent = no admin endpoint. */
  adminPort?: boolean | number;
  /** Default 0 (a free port). */
  port?: number;
  worldFile?: string;
  heartbeatMs?: number;
  extraArgs?: string[];
  /** Node.js flags for the server process (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the ready line (default 60 s). */
  readyTimeoutMs?: number;
}

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** `ackproof serve`'s exit code for a usage or environment problem (e.g. it cannot listen on its port). */
const SERVE_ENVIRONMENT_EXIT = 3;

/**
 * The reference server as a black box in a child process (DESIGN.md §1: the harness reaches it only over the
 * wire and by signals). Run from source (vitest, tsx) it starts `src/cli/entry.ts` through tsx; run built it
 * starts `bin/ackproof.js`, which needs `npm run build` first. `restart()` reuses the same ports, so clients and
 * fault proxies reconnect to the same address.
 */
export class ServerProcess {
  private process!: ManagedProcess<ReadyLine>;

  private constructor(private readonly options: ServerProcessOptions) {}

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const server = new ServerProcess(options);
    await server.launch(options.port ?? 0, adminPortOf(options.adminPort));
    return server;
  }

  get httpUrl(): string {
    return this.readyLine.http;
  }
  get wsUrl(): string {
    return this.readyLine.ws;
  }
  get adminUrl(): string | null {
    return this.readyLine.admin;
  }
  get pid(): number {
    return this.readyLine.pid;
  }
  get ready(): ReadyLine {
    return this.readyLine;
  }
  /** Resolves when the current process exits, with its code or signal. */
  get exited(): Promise<ProcessExit> {
    return this.process.exited;
  }
  /** False once the current process's exit was seen. */
  get running(): boolean {
    return this.process.running;
  }

  /** The last lines the server wrote to stderr (its log), for diagnostics. */
  stderrTail(): string[] {
    return this.process.stderrTail();
  }

  /** SIGKILL (a crash); resolves once the process has exited. */
  kill(): Promise<ProcessExit> {
    return this.process.kill();
  }

  /** SIGTERM (graceful: drains the bus, closes sockets), SIGKILL if it is not gone in `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<ProcessExit> {
    return this.process.stop('SIGTERM', graceMs);
  }

  /** Kills the process if it still runs, then starts it again on the same HTTP and admin ports. */
  async restart(): Promise<void> {
    await this.kill();
    const port = Number(new URL(this.readyLine.http).port);
    const admin = this.readyLine.admin === null ? undefined : Number(new URL(this.readyLine.admin).port);
    await this.launch(port, admin);
  }

  private get readyLine(): ReadyLine {
    return this.process.ready;
  }

  private async launch(port: number, adminPort: number | undefined): Promise<void> {
    // A port just freed by a killed server is normally free at once; retry briefly in case it is not.
    for (let attempt = 1; ; attempt++) {
      try {
        this.process = await this.launchOnce(port, adminPort);
        return;
      } catch (error) {
        const portInUse = /EADDRINUSE|cannot listen/.test(String((error as Error).message));
        if (attempt < 3 && port !== 0 && portInUse) continue;
        throw asEnvironmentError(error);
      }
    }
  }

  private launchOnce(port: number, adminPort: number | undefined): Promise<ManagedProcess<ReadyLine>> {
    const o = this.options;
    const args = ['serve', '--json', '--pattern', o.pattern, '--port', String(port), '--mongo-uri', o.mongoUri, '--db-name', o.dbName];
    if (adminPort !== undefined) args.push('--admin-port', String(adminPort));
    if (o.worldFile) args.push('--world', o.worldFile);
    if (o.heartbeatMs !== undefined) args.push('--heartbeat-ms', String(o.heartbeatMs));
    args.push(...(o.extraArgs ?? []));
    return ManagedProcess.start({
      name: 'ackproof serve',
      command: process.execPath,
      args: [...(o.nodeArgs ?? []), ...entryArgs(), ...args],
      cwd: REPO,
      env: o.env ?? process.env,
      ready: { line: parseReady },
      readyTimeoutMs: o.readyTimeoutMs ?? 60_000,
    });
  }
}

/** `serve` exiting with 3 before ready is the environment's problem (a port, a file); its message says which. */
function asEnvironmentError(error: unknown): unknown {
  if (error instanceof ProcessStartError && error.details.exit?.code === SERVE_ENVIRONMENT_EXIT) {
    return new EnvironmentError('SERVER_CANNOT_START', error.message, { cause: error });
  }
  return error;
}

function adminPortOf(adminPort: boolean | number | undefined): number | undefined {
  if (adminPort === true) return 0;
  return typeof adminPort === 'number' ? adminPort : undefined;
}

/** From source (this file is .ts) through tsx; built, through the bin. */
function entryArgs(): string[] {
  if (import.meta.url.endsWith('.ts')) return ['--import', 'tsx', `${REPO}src/cli/entry.ts`];
  const bin = `${REPO}bin/ackproof.js`;
  if (!existsSync(`${REPO}dist/cli/main.js`)) throw new EnvironmentError('NOT_BUILT', 'ackproof is not built: run `npm run build` first');
  return [bin];
}

function parseReady(line: string): ReadyLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as Partial<ReadyLine>;
    return value.event === 'ready' ? (value as ReadyLine) : undefined;
  } catch {
    return undefined;
  }
}
