import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../proc/environment-error.js';
import { ManagedProcess } from '../../proc/managed-process.js';
import { ProcessStartError } from '../../proc/process-start-error.js';
import { Supervisor } from '../../proc/supervisor.js';
import type { SocketioAppConfig } from './socketio-app-main.js';

interface ReadyLine {
  event: 'ready';
  port: number;
  pid: number;
}

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const START_EXIT_ENVIRONMENT = 3;

/**
 * One app node as a child process on a free loopback port, kept up by a Supervisor: a death (a `server.crash`
 * SIGKILL) is followed by a restart on the same port, and `onRestart` runs before the node counts as up again (the
 * target registers the rooms it forgot).
 */
export class SocketioNode {
  private process!: ManagedProcess<ReadyLine>;
  private supervisor!: Supervisor;

  private constructor(private readonly config: SocketioAppConfig) {}

  static async start(config: SocketioAppConfig, onRestart: (node: SocketioNode) => Promise<void>): Promise<SocketioNode> {
    const node = new SocketioNode(config);
    await node.launch();
    node.supervisor = new Supervisor(
      {
        get exited() {
          return node.process.exited;
        },
        kill: () => node.process.stop('SIGKILL'),
        restart: () => node.launch(),
        stop: (graceMs) => node.process.stop(graceMs === 0 ? 'SIGKILL' : 'SIGTERM', graceMs),
      },
      { target: config.nodeId, onRestart: () => onRestart(node) },
    );
    return node;
  }

  get id(): string {
    return this.config.nodeId;
  }
  get port(): number {
    return this.config.port;
  }
  get url(): string {
    return `http://${this.config.host}:${this.config.port}`;
  }
  /** Where a death the node did not owe to `crash()` is recorded. */
  set record(record: Supervisor['record']) {
    this.supervisor.record = record;
  }

  /** Resolves once the node serves (at once, unless a restart is under way; rejects if that restart failed). */
  whenUp(): Promise<void> {
    return this.supervisor.whenUp();
  }

  /** SIGKILL, as a crash; resolves once it has been restarted. */
  crash(): Promise<void> {
    return this.supervisor.crash();
  }

  /** For good: no restart. `graceMs` 0 kills at once. Safe to call twice. */
  stop(graceMs?: number): Promise<void> {
    return this.supervisor.stop(graceMs);
  }

  private async launch(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        this.process = await ManagedProcess.start<ReadyLine>({
          name: `socketio app ${this.config.nodeId}`,
          command: process.execPath,
          args: [...entryArgs(), JSON.stringify(this.config)],
          cwd: REPO,
          ready: { line: parseReady },
          readyTimeoutMs: 40_000,
        });
        // The first start picked a free port; restarts keep it, so proxies in front of the node need no change.
        this.config.port = this.process.ready.port;
        return;
      } catch (error) {
        // A port a killed node just freed is normally free at once; retry briefly in case it is not.
        const portInUse = /EADDRINUSE/.test(String((error as Error).message));
        if (attempt < 3 && this.config.port !== 0 && portInUse) continue;
        throw asEnvironmentError(error);
      }
    }
  }
}

/** From source (vitest, tsx) through tsx; built, the compiled entry (`npm run build`). */
function entryArgs(): string[] {
  if (import.meta.url.endsWith('.ts')) return ['--import', 'tsx', fileURLToPath(new URL('./socketio-app-main.ts', import.meta.url))];
  const entry = fileURLToPath(new URL('./socketio-app-main.js', import.meta.url));
  if (!existsSync(entry)) throw new EnvironmentError('NOT_BUILT', 'the Socket.IO app is not built: run `npm run build` first');
  return [entry];
}

function parseReady(line: string): ReadyLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as Partial<ReadyLine>;
    return value.event === 'ready' && typeof value.port === 'number' ? (value as ReadyLine) : undefined;
  } catch {
    return undefined;
  }
}

function asEnvironmentError(error: unknown): unknown {
  if (error instanceof ProcessStartError && error.details.exit?.code === START_EXIT_ENVIRONMENT) {
    return new EnvironmentError('SOCKETIO_APP_CANNOT_START', error.message, { cause: error });
  }
  return error;
}
