import { afterEach, describe, expect, it } from 'vitest';
import type { FaultEvent } from '../history/event.js';
import { ManagedProcess } from './managed-process.js';
import { Supervisor, type RestartableProcess } from './supervisor.js';

/** A real child that only waits: restarted in place as a new process, as a server would be. */
class Sleeper implements RestartableProcess {
  starts = 0;
  private child!: ManagedProcess<true>;

  static async start(): Promise<Sleeper> {
    const sleeper = new Sleeper();
    await sleeper.restart();
    return sleeper;
  }
  get exited() {
    return this.child.exited;
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  kill() {
    return this.child.stop('SIGKILL');
  }
  stop(graceMs?: number) {
    return this.child.stop('SIGTERM', graceMs);
  }
  async restart(): Promise<void> {
    this.child = await ManagedProcess.start({
      name: 'sleeper',
      command: process.execPath,
      args: ['-e', 'console.log("ready"); setInterval(() => {}, 1000);'],
      ready: { line: (line) => (line === 'ready' ? true : undefined) },
    });
    this.starts += 1;
  }
}

const running: Supervisor[] = [];
afterEach(async () => {
  for (const supervisor of running.splice(0)) await supervisor.stop(0);
});

async function supervised() {
  const sleeper = await Sleeper.start();
  const events: string[] = [];
  const supervisor = new Supervisor(sleeper, { target: 'node-1', onRestart: async () => void events.push('onRestart') });
  supervisor.record = (event: Omit<FaultEvent, 'time'>) => events.push(`${event.fault} ${event.phase} ${event.target}`);
  running.push(supervisor);
  return { sleeper, supervisor, events };
}

describe('Supervisor', () => {
  it('a death it did not cause is recorded as server.crash with its exit, restarted in place, and the restart as the heal', async () => {
    const { sleeper, supervisor, events } = await supervised();
    const died = sleeper.exited;
    process.kill(sleeper.pid!, 'SIGKILL');
    await died;
    await supervisor.whenUp();
    expect(events).toEqual(['server.crash start node-1', 'onRestart', 'server.crash heal node-1']);
    expect([sleeper.starts, supervisor.deaths]).toEqual([2, 1]);
  });

  it("crash() (the runner's server.crash, which the runner records) restarts without a record of its own", async () => {
    const { sleeper, supervisor, events } = await supervised();
    const before = sleeper.pid;
    await supervisor.crash();
    expect(sleeper.pid).not.toBe(before);
    expect(events).toEqual(['onRestart']);
    // A later death it did not cause is recorded again.
    const died = sleeper.exited;
    process.kill(sleeper.pid!, 'SIGKILL');
    await died;
    await supervisor.whenUp();
    expect(events).toEqual(['onRestart', 'server.crash start node-1', 'onRestart', 'server.crash heal node-1']);
  });

  it('after stop() a death is final: no restart, no record', async () => {
    const { sleeper, supervisor, events } = await supervised();
    await supervisor.stop();
    expect(sleeper.starts).toBe(1);
    expect(events).toEqual([]);
    expect(await supervisor.diesWithin(0)).toBe(true);
  });
});
