import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { registerLeftover } from './cleanup-registry.js';
import { describeExit, type ProcessExit } from './process-exit.js';
import { ProcessStartError } from './process-start-error.js';

/** How to know the child is ready: a line it prints (the matcher returns what the line announces), or a probe. */
export type ReadyCheck<R> =
  | { line: (line: string) => R | undefined; stream?: 'stdout' | 'stderr' }
  | { probe: (signal: AbortSignal) => Promise<R> };

export interface ManagedProcessOptions<R> {
  /** For messages: "ferretdb", "ackproof serve". */
  name: string;
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** 'pipe' (default): read (for `ready.line`) and otherwise discarded; stderr's last lines are kept. */
  stdout?: 'pipe' | 'inherit' | 'ignore';
  stderr?: 'pipe' | 'inherit' | 'ignore';
  /** An IPC channel (`child.send`, `child.on('message')`), for a Node.js child. */
  ipc?: boolean;
  /** Without one the child is ready once spawned. */
  ready?: ReadyCheck<R>;
  /** Default 30 s. */
  readyTimeoutMs?: number;
  /** How long `stop()` waits after its signal before SIGKILL. Default 5 s. */
  stopGraceMs?: number;
  /** How many stderr lines to keep for diagnostics. Default 50. */
  stderrLines?: number;
}

const DEFAULT_READY_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_GRACE_MS = 5_000;

/**
 * A child process ackproof owns: started with a ready check and a deadline, its stderr's tail kept for messages,
 * stopped with a signal that escalates to SIGKILL after a grace period, and registered so that it is killed when
 * ackproof exits however it exits (see cleanup-registry). Every process ackproof starts goes through here.
 */
export class ManagedProcess<R = undefined> {
  readonly exited: Promise<ProcessExit>;
  private readonly stderr: string[] = [];
  private readyValue!: R;
  private spawnError: (Error & { code?: string }) | undefined;
  private exit: ProcessExit | undefined;
  private stopping: Promise<ProcessExit> | undefined;

  private constructor(
    private readonly options: ManagedProcessOptions<R>,
    readonly child: ChildProcess,
  ) {
    const unregister = registerLeftover({
      description: `${options.name} (pid ${child.pid ?? '?'})`,
      dispose: async () => void (await this.stop()),
      disposeNow: () => this.signal('SIGKILL'),
    });
    this.exited = new Promise((resolve) => {
      const done = (exit: ProcessExit) => {
        this.exit ??= exit;
        unregister();
        resolve(this.exit);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
      child.once('error', (error) => {
        // A spawn that failed has no process; for any other error the exit event still follows.
        if (child.pid === undefined) {
          this.spawnError = error;
          done({ code: null, signal: null });
        }
      });
    });
    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) => {
        this.stderr.push(line);
        if (this.stderr.length > (options.stderrLines ?? 50)) this.stderr.shift();
      });
    }
    // Always drained, so a chatty child never blocks on a full pipe.
    const readyReadsStdout = options.ready !== undefined && 'line' in options.ready && options.ready.stream !== 'stderr';
    if (child.stdout && !readyReadsStdout) child.stdout.resume();
  }

  /** Spawns the child and resolves once it is ready (with what the ready check returned); on failure it is killed. */
  static async start<R = undefined>(options: ManagedProcessOptions<R>): Promise<ManagedProcess<R>> {
    const child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', options.stdout ?? 'pipe', options.stderr ?? 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
    });
    const managed = new ManagedProcess(options, child);
    try {
      managed.readyValue = await managed.waitReady();
    } catch (error) {
      await managed.stop('SIGKILL');
      throw error;
    }
    return managed;
  }

  get name(): string {
    return this.options.name;
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  /** What the ready check returned. */
  get ready(): R {
    return this.readyValue;
  }
  /** False once the exit event arrived (a process that just died still reads as running until then). */
  get running(): boolean {
    return this.exit === undefined;
  }
  /** The last lines the child wrote to stderr. */
  stderrTail(): string[] {
    return [...this.stderr];
  }

  /**
   * Sends `signal` (default SIGTERM: let it shut down in order), then SIGKILL if it has not exited after `graceMs`.
   * Resolves with how it exited; calling it again (or after it exited) returns the same.
   */
  stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    if (signal === 'SIGKILL') {
      this.signal('SIGKILL');
      return this.exited;
    }
    this.stopping ??= (async () => {
      this.signal(signal);
      const escalate = setTimeout(() => this.signal('SIGKILL'), graceMs);
      try {
        return await this.exited;
      } finally {
        clearTimeout(escalate);
      }
    })();
    return this.stopping;
  }

  /** SIGKILL: a crash, or the end of patience. */
  kill(): Promise<ProcessExit> {
    return this.stop('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.running && this.child.pid !== undefined) this.child.kill(signal);
  }

  private waitReady(): Promise<R> {
    const { name, ready, readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS } = this.options;
    const failure = (code: ProcessStartError['code'], what: string, extra: { exit?: ProcessExit; errno?: string } = {}, cause?: unknown) => {
      const tail = this.stderrTail();
      const message = `${name} ${what}${tail.length ? `; its last words:\n${tail.join('\n')}` : ''}`;
      return new ProcessStartError(code, message, { process: name, stderrTail: tail, ...extra }, { cause });
    };
    const abort = new AbortController();
    return new Promise<R>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        if (abort.signal.aborted) return;
        abort.abort();
        clearTimeout(timer);
        outcome();
      };
      const timer = setTimeout(() => settle(() => reject(failure('NOT_READY', `was not ready within ${readyTimeoutMs} ms`))), readyTimeoutMs);
      void this.exited.then((exit) =>
        settle(() => {
          if (this.spawnError) {
            const errno = this.spawnError.code;
            reject(failure('SPAWN_FAILED', `could not be started (${this.options.command}: ${this.spawnError.message})`, errno ? { errno } : {}, this.spawnError));
          } else {
            reject(failure('EXITED_BEFORE_READY', `exited (${describeExit(exit)}) before it was ready`, { exit }));
          }
        }),
      );
      if (!ready) {
        this.child.once('spawn', () => settle(() => resolve(undefined as R)));
      } else if ('line' in ready) {
        const stream = ready.stream === 'stderr' ? this.child.stderr : this.child.stdout;
        if (!stream) throw new Error(`${name}: a ready line needs ${ready.stream ?? 'stdout'} piped`);
        const lines = createInterface({ input: stream });
        lines.on('line', (line) => {
          if (abort.signal.aborted) return;
          const value = ready.line(line);
          if (value !== undefined) settle(() => resolve(value));
        });
      } else {
        ready.probe(abort.signal).then(
          (value) => settle(() => resolve(value)),
          (error: unknown) => settle(() => reject(failure('NOT_READY', `did not get ready: ${(error as Error)?.message ?? String(error)}`, {}, error))),
        );
      }
    });
  }
}
