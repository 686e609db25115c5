import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

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

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
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
const STDERR_LINES = 50;

/**
 * The reference server as a black box in a child process (DESIGN.md §1: the harness reaches it only over the
 * wire and by signals). Run from source (vitest, tsx) it starts `src/cli/entry.ts` through tsx; run built it
 * starts `bin/ackproof.js`, which needs `npm run build` first. `restart()` reuses the same ports, so clients and
 * fault proxies reconnect to the same address.
 */
export class ServerProcess {
  private child!: ChildProcess;
  private readyLine!: ReadyLine;
  private exit!: Promise<ProcessExit>;
  private readonly stderr: string[] = [];

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
    return this.exit;
  }

  /** The last lines the server wrote to stderr (its log), for diagnostics. */
  stderrTail(): string[] {
    return [...this.stderr];
  }

  /** SIGKILL (a crash); resolves once the process has exited. */
  kill(): Promise<ProcessExit> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM (graceful: drains the bus, closes sockets); resolves once the process has exited. */
  stop(): Promise<ProcessExit> {
    return this.signal('SIGTERM');
  }

  /** Kills the process if it still runs, then starts it again on the same HTTP and admin ports. */
  async restart(): Promise<void> {
    await this.kill();
    const port = Number(new URL(this.readyLine.http).port);
    const admin = this.readyLine.admin === null ? undefined : Number(new URL(this.readyLine.admin).port);
    await this.launch(port, admin);
  }

  private async signal(signal: NodeJS.Signals): Promise<ProcessExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit;
  }

  private async launch(port: number, adminPort: number | undefined): Promise<void> {
    // A port just freed by a killed server is normally free at once; retry briefly in case it is not.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.launchOnce(port, adminPort);
      } catch (error) {
        if (attempt >= 3 || port === 0 || !/EADDRINUSE|cannot listen/.test(String((error as Error).message))) throw error;
      }
    }
  }

  private launchOnce(port: number, adminPort: number | undefined): Promise<void> {
    const o = this.options;
    const args = ['serve', '--json', '--pattern', o.pattern, '--port', String(port), '--mongo-uri', o.mongoUri, '--db-name', o.dbName];
    if (adminPort !== undefined) args.push('--admin-port', String(adminPort));
    if (o.worldFile) args.push('--world', o.worldFile);
    if (o.heartbeatMs !== undefined) args.push('--heartbeat-ms', String(o.heartbeatMs));
    args.push(...(o.extraArgs ?? []));
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), ...entryArgs(), ...args], {
      cwd: REPO,
      env: o.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.stderr.length = 0;
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > STDERR_LINES) this.stderr.shift();
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`ackproof serve not ready after ${o.readyTimeoutMs ?? 60_000} ms:\n${this.stderr.join('\n')}`));
      }, o.readyTimeoutMs ?? 60_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const ready = parseReady(line);
        if (!ready) return;
        clearTimeout(timer);
        this.readyLine = ready;
        resolve();
      });
      void this.exit.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`ackproof serve exited (${signal ?? `code ${code}`}) before ready:\n${this.stderr.join('\n')}`));
      });
    });
  }
}

function adminPortOf(adminPort: boolean | number | undefined): number | undefined {
  if (adminPort === true) return 0;
  return typeof adminPort === 'number' ? adminPort : undefined;
}

/** From source (this file is .ts) through tsx; built, through the bin. */
function entryArgs(): string[] {
  if (import.meta.url.endsWith('.ts')) return ['--import', 'tsx', `${REPO}src/cli/entry.ts`];
  const bin = `${REPO}bin/ackproof.js`;
  if (!existsSync(`${REPO}dist/cli/main.js`)) throw new Error('ackproof is not built: run `npm run build` first');
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
