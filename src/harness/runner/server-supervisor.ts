import type { FaultEvent } from '../history/event.js';
import type { ServerProcess } from '../target/server-process.js';

/**
 * Keeps the reference server up across process faults: when it dies (a `crash.afterSave` fault point, or a
 * `server.crash` kill), the supervisor records the crash, restarts it on the same ports and records the heal.
 */
export class ServerSupervisor {
  private up: Promise<void> = Promise.resolve();
  private stopping = false;
  /** Where fault records go; the runner points it at the current run's history. */
  record: (event: Omit<FaultEvent, 'time'>) => void = () => undefined;

  constructor(
    readonly server: ServerProcess,
    private readonly onRestart: () => Promise<void>,
  ) {
    this.watch();
  }

  /** Resolves once the server is running (at once, unless a restart is under way). */
  whenUp(): Promise<void> {
    return this.up;
  }

  /** SIGKILL now; the watcher restarts it. Resolves when it is back. */
  async crash(): Promise<void> {
    // The watcher reacts to this exit before kill() returns, so `up` is already the restart.
    await this.server.kill();
    await this.up;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.up.catch(() => undefined);
    await this.server.stop();
  }

  private watch(): void {
    void this.server.exited.then((exit) => {
      if (this.stopping) return;
      this.record({ type: 'fault', fault: 'server.crash', phase: 'start', target: 'server', params: { ...exit } });
      this.up = this.server.restart().then(async () => {
        await this.onRestart();
        this.record({ type: 'fault', fault: 'server.crash', phase: 'heal', target: 'server' });
        this.watch();
      });
    });
  }
}
