import type { FaultEvent } from '../../history/event.js';
import type { CentrifugoProcess } from './centrifugo-process.js';

/**
 * Keeps the Centrifugo node up: `crash()` is the `server.crash` fault (SIGKILL, then a restart on the same port with
 * the same config); a death it did not cause is recorded as a `server.crash` of its own and restarted the same way.
 */
export class CentrifugoSupervisor {
  private up: Promise<void> = Promise.resolve();
  private stopping = false;
  private crashing = false;

  constructor(
    readonly node: CentrifugoProcess,
    private readonly record: (event: Omit<FaultEvent, 'time'>) => void,
  ) {
    this.watch();
  }

  /** Resolves once the node serves (after a crash: once it was restarted); rejects if the restart failed. */
  whenUp(): Promise<void> {
    return this.up;
  }

  /** SIGKILL now and restart; resolves once it serves again. The runner records the fault itself. */
  async crash(): Promise<void> {
    await this.up;
    this.crashing = true;
    try {
      await this.node.kill();
      await this.up;
    } finally {
      this.crashing = false;
    }
  }

  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    await this.up.catch(() => undefined);
    await this.node.stop(graceMs);
  }

  private watch(): void {
    void this.node.exited.then((exit) => {
      if (this.stopping) return;
      const unexpected = !this.crashing;
      if (unexpected) this.record({ type: 'fault', fault: 'server.crash', phase: 'start', target: 'server', params: { ...exit } });
      this.up = this.node.restart().then(() => {
        if (unexpected) this.record({ type: 'fault', fault: 'server.crash', phase: 'heal', target: 'server' });
        this.watch();
      });
    });
  }
}
