import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FaultEvent } from '../../history/event.js';
import { EnvironmentError } from '../../proc/environment-error.js';
import { ManagedProcess } from '../../proc/managed-process.js';
import { ProcessStartError } from '../../proc/process-start-error.js';
import type { SocketioAppConfig } from './socketio-app-main.js';

interface ReadyLine {
  event: 'ready';
  port: number;
  pid: number;
}

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const START_EXIT_ENVIRONMENT = 3;

/**
 * One app node as a supervised child process: started on a free loopback port, and whenever it dies without being
 * stopped (a `server.crash` SIGKILL) restarted on the same port, its crash and heal recorded through `record`.
 * `onRestart` runs before the node counts as up again (the target registers the rooms it forgot).
 */
export class SocketioNode {
  private process!: ManagedProcess<ReadyLine>;
  private up: Promise<void> = Promise.resolve();
  private stopping = false;
  record: (event: Omit<FaultEvent, 'time'>) => void = () => undefined;

  private constructor(
    private readonly config: SocketioAppConfig,
    private readonly onRestart: (node: SocketioNode) => Promise<void>,
  ) {}

  static async start(config: SocketioAppConfig, onRestart: (node: SocketioNode) => Promise<void>): Promise<SocketioNode> {
    const node = new SocketioNode(config, onRestart);
    await node.launch();
    node.watch();
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

  /** Resolves once the node serves (at once, unless a restart is under way; rejects if that restart failed). */
  whenUp(): Promise<void> {
    return this.up;
  }

  /** SIGKILL, as a crash; resolves once it has been restarted. */
  async crash(): Promise<void> {
    await this.process.kill();
    // The exit watcher has set `up` to the restart by the time kill() resolves.
    await this.up;
  }

  /** For good: no restart. `graceMs` 0 kills at once. Safe to call twice. */
  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    await this.up.catch(() => undefined);
    await this.process.stop(graceMs === 0 ? 'SIGKILL' : 'SIGTERM', graceMs);
  }

  private watch(): void {
    void this.process.exited.then((exit) => {
      if (this.stopping) return;
      this.record({ type: 'fault', fault: 'server.crash', phase: 'start', target: this.id, params: { ...exit } });
      this.up = this.launch().then(async () => {
        await this.onRestart(this);
        this.record({ type: 'fault', fault: 'server.crash', phase: 'heal', target: this.id });
        this.watch();
      });
      // Whoever waits for `up` next sees a failed restart; it must not go unhandled meanwhile.
      this.up.catch(() => undefined);
    });
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
