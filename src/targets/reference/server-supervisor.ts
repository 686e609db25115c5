import { Supervisor } from '../../proc/supervisor.js';
import type { ServerProcess } from './server-process.js';

/**
 * How long a server whose connection was just refused or dropped may take to be seen dead: its sockets close the
 * moment it dies, but Node delivers the child's exit event a little later (milliseconds; more on a loaded machine).
 */
const DEATH_NOTICE_MS = 5_000;

/**
 * The reference server's supervisor (restart in place, crashes recorded: see Supervisor), plus `call` for the
 * harness's own admin calls. "Up" is what the supervisor last saw: a server that died a moment ago still reads as up
 * until its exit event arrives, so a call that fails to connect waits for that exit and the restart, and runs once more.
 */
export class ServerSupervisor extends Supervisor<ServerProcess> {
  constructor(
    server: ServerProcess,
    onRestart: () => Promise<void>,
    private readonly deathNoticeMs = DEATH_NOTICE_MS,
  ) {
    super(server, { target: 'server', onRestart });
  }

  get server(): ServerProcess {
    return this.process;
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
