import type { FaultEvent } from '../../history/event.js';
import type { ServerProcess } from './server-process.js';

/**
 * How long a server whose connection was just refused or dropped may take to be seen dead: its sockets close the
 * moment it dies, but Node delivers the child's exit event a little later (milliseconds; more on a loaded machine).
 */
const DEATH_NOTICE_MS = 5_000;

/**
 * Keeps the reference server up across process faults: when it dies (a `crash.afterSave` fault point, or a
 * `server.crash` kill), the supervisor records the crash, restarts it on the same ports and records the heal.
 *
 * "Up" is what the supervisor last saw. A server that died a moment ago still reads as up until its exit event
 * arrives, so the harness's own calls go through `call`: one that fails to connect waits for that exit and the
 * restart, and runs once more.
 */
export class ServerSupervisor {
  private up: Promise<void> = Promise.resolve();
  private stopping = false;
  /** Counts the deaths seen, so `call` can tell a restart that happened during its call. */
  private deaths = 0;
  /** Where fault records go; the runner points it at the current run's history. */
  record: (event: Omit<FaultEvent, 'time'>) => void = () => undefined;

  constructor(
    readonly server: ServerProcess,
    private readonly onRestart: () => Promise<void>,
    private readonly deathNoticeMs = DEATH_NOTICE_MS,
  ) {
    this.watch();
  }

  /** Resolves once the server is running as far as the supervisor knows (at once, unless a restart is under way). */
  whenUp(): Promise<void> {
    return this.up;
  }

  /**
   * Runs one of the harness's own calls to the server (admin endpoint), once it is up. If the call cannot connect
   * because the server is dying, waits for its restart and runs the call again (the admin calls are idempotent); a
   * server that refuses connections but keeps running is the call's error.
   */
  async call<T>(op: () => Promise<T>): Promise<T> {
    await this.whenUp();
    const deaths = this.deaths;
    try {
      return await op();
    } catch (error) {
      if (this.stopping || !isConnectionFailure(error)) throw error;
      if (this.deaths === deaths && !(await this.diesWithin(this.deathNoticeMs))) throw error;
      await this.whenUp();
      return op();
    }
  }

  /** SIGKILL now; the watcher restarts it. Resolves when it is back. */
  async crash(): Promise<void> {
    // The watcher reacts to this exit before kill() returns, so `up` is already the restart.
    await this.server.kill();
    await this.up;
  }

  /** Stops the server for good (no restart): SIGTERM, SIGKILL after `graceMs` (default: ServerProcess's); safe to call again. */
  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    await this.up.catch(() => undefined);
    await this.server.stop(graceMs);
  }

  private watch(): void {
    void this.server.exited.then((exit) => {
      if (this.stopping) return;
      this.deaths += 1;
      this.record({ type: 'fault', fault: 'server.crash', phase: 'start', target: 'server', params: { ...exit } });
      this.up = this.server.restart().then(async () => {
        await this.onRestart();
        this.record({ type: 'fault', fault: 'server.crash', phase: 'heal', target: 'server' });
        this.watch();
      });
      // A restart that fails is reported to whoever waits for `up` next; it must not go unhandled meanwhile.
      this.up.catch(() => undefined);
    });
  }

  private async diesWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.server.exited.then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A refused, reset or dropped connection (fetch wraps the errno in `cause`, sometimes twice). */
function isConnectionFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_FAILURES.has(code)) return true;
    for (const inner of (e as { errors?: unknown[] }).errors ?? []) if (isConnectionFailure(inner)) return true;
  }
  return false;
}

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
