import type { FaultEvent } from '../history/event.js';
import type { ProcessExit } from './process-exit.js';

/** A child process that can be started again in place: `exited` settles when the current incarnation dies. */
export interface RestartableProcess {
  readonly exited: Promise<ProcessExit>;
  /** SIGKILL; resolves once it exited. */
  kill(): Promise<unknown>;
  /** Starts it again on the same ports; resolves once it serves. */
  restart(): Promise<void>;
  /** For good; `graceMs` as the process's own stop takes it. */
  stop(graceMs?: number): Promise<unknown>;
}

export interface SupervisorOptions {
  /** The `target` of the crash records: `server`, or a node's id. */
  target: string;
  /** Runs after a restart, before the process counts as up (re-arm fault points, register rooms again). */
  onRestart?: () => Promise<void>;
}

/**
 * Keeps a system's process up across process faults. `crash()` is the `server.crash` fault: SIGKILL, then a restart
 * in place; the runner records that fault itself. A death the supervisor did not cause (a `crash.afterSave` fault
 * point, a process that fell over) is recorded here as a `server.crash` with its exit, and its restart as the heal.
 */
export class Supervisor<P extends RestartableProcess = RestartableProcess> {
  /** Where crash records go; the runner points it at the current run's history. */
  record: (event: Omit<FaultEvent, 'time'>) => void = () => undefined;
  private up: Promise<void> = Promise.resolve();
  protected stopping = false;
  private crashing = false;
  private deathCount = 0;

  constructor(
    readonly process: P,
    private readonly options: SupervisorOptions,
  ) {
    this.watch();
  }

  /** Deaths seen so far, so a caller can tell that one happened during its call. */
  get deaths(): number {
    return this.deathCount;
  }

  /** Resolves once the process serves as far as the supervisor knows (after a death: once restarted); rejects if that restart failed. */
  whenUp(): Promise<void> {
    return this.up;
  }

  /** SIGKILL now and restart; resolves once it serves again. */
  async crash(): Promise<void> {
    await this.up;
    this.crashing = true;
    try {
      // The watcher reacts to this exit before kill() returns, so `up` is already the restart.
      await this.process.kill();
      await this.up;
    } finally {
      this.crashing = false;
    }
  }

  /** Stops it for good (no restart); safe to call again. */
  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    await this.up.catch(() => undefined);
    await this.process.stop(graceMs);
  }

  /** True if the current incarnation exits within `ms`. */
  async diesWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.process.exited.then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private watch(): void {
    void this.process.exited.then((exit) => {
      if (this.stopping) return;
      this.deathCount += 1;
      const unexpected = !this.crashing;
      const { target } = this.options;
      if (unexpected) this.record({ type: 'fault', fault: 'server.crash', phase: 'start', target, params: { ...exit } });
      this.up = this.process.restart().then(async () => {
        await this.options.onRestart?.();
        if (unexpected) this.record({ type: 'fault', fault: 'server.crash', phase: 'heal', target });
        this.watch();
      });
      // A restart that fails is reported to whoever waits for `up` next; it must not go unhandled meanwhile.
      this.up.catch(() => undefined);
    });
  }
}
