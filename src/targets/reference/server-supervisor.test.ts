import { describe, expect, it } from 'vitest';
import type { ProcessExit } from '../../proc/process-exit.js';
import type { ServerProcess } from './server-process.js';
import { AdminError } from './admin-client.js';
import { ServerSupervisor } from './server-supervisor.js';

/** A server process whose death the test decides: its exit event comes when the test says, as Node's does later. */
class FakeServer {
  restarts = 0;
  private resolveExit!: (exit: ProcessExit) => void;
  exited!: Promise<ProcessExit>;
  constructor() {
    this.arm();
  }
  /** The exit event of the current process arrives. */
  exitEventArrives(): void {
    this.resolveExit({ code: null, signal: 'SIGKILL' });
  }
  async restart(): Promise<void> {
    this.restarts += 1;
    this.arm();
  }
  async kill(): Promise<ProcessExit> {
    this.exitEventArrives();
    return this.exited;
  }
  async stop(): Promise<ProcessExit> {
    return this.kill();
  }
  private arm(): void {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }
}

const refused = () => new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

function supervised(deathNoticeMs = 5_000) {
  const server = new FakeServer();
  const events: string[] = [];
  const supervisor = new ServerSupervisor(server as unknown as ServerProcess, async () => void events.push('rearmed'), deathNoticeMs);
  supervisor.record = (event) => events.push(`${event.fault} ${event.phase}`);
  return { server, supervisor, events };
}

describe('ServerSupervisor.call', () => {
  it('a call refused by a server that died a moment ago (its exit not seen yet) waits for the restart and runs again', async () => {
    const { server, supervisor, events } = supervised();
    // whenUp() still says up: the exit event has not arrived.
    await supervisor.whenUp();
    let attempts = 0;
    const answer = await supervisor.call(async () => {
      attempts += 1;
      if (attempts === 1) {
        queueMicrotask(() => server.exitEventArrives());
        throw refused();
      }
      return 'answered by the restarted server';
    });
    expect(answer).toBe('answered by the restarted server');
    expect(attempts).toBe(2);
    expect(server.restarts).toBe(1);
    expect(events).toEqual(['server.crash start', 'rearmed', 'server.crash heal']);
    await supervisor.stop();
  });

  it('a server that refuses connections but does not die: the call fails with its own error', async () => {
    const { supervisor } = supervised(50);
    await expect(supervisor.call(() => Promise.reject(refused()))).rejects.toThrow('fetch failed');
    await supervisor.stop();
  });

  it('an answer from the server (an HTTP error) is not retried', async () => {
    const { supervisor, server } = supervised();
    let attempts = 0;
    const refusedByServer = supervisor.call(() => {
      attempts += 1;
      return Promise.reject(new AdminError(404, 'UNKNOWN_FAULT_POINT', 'no such point'));
    });
    await expect(refusedByServer).rejects.toBeInstanceOf(AdminError);
    expect([attempts, server.restarts]).toEqual([1, 0]);
    await supervisor.stop();
  });
});
