import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { freePort } from '../net/free-port.js';
import { EnvironmentError } from '../proc/environment-error.js';
import { ManagedProcess } from '../proc/managed-process.js';
import { TempDir } from '../proc/temp-dir.js';

const READY_DEADLINE_MS = 10_000;

/** Debian's redis-server on PATH (`.ci/install-redis`), or undefined. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'redis-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A redis-server of ackproof's own on a free loopback port, with its working dir in a temp dir and no persistence
 * (no RDB snapshots, no AOF) unless asked: a restart then starts empty, as a broker that lost its memory does.
 * Ready when it logs "Ready to accept connections"; `kill` and `restart` keep the port. Process and dir are
 * registered with the clean-up registry (src/proc), so they are gone at the latest when ackproof exits.
 */
export class RedisProcess {
  private process: ManagedProcess<true> | undefined;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    private readonly dir: TempDir,
    private readonly persistent: boolean,
  ) {}

  static async start(options: { binary?: string; persistent?: boolean } = {}): Promise<RedisProcess> {
    const binary = options.binary ?? findRedisServer();
    if (!binary) throw new EnvironmentError('REDIS_MISSING', 'redis-server is not installed: run `bash .ci/install-redis` (Debian redis-server)');
    const redis = new RedisProcess(binary, await freePort(), TempDir.create('ackproof-redis-'), options.persistent ?? false);
    try {
      await redis.launch();
    } catch (error) {
      await redis.stop();
      throw error;
    }
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** SIGKILL, as a crash. */
  async kill(): Promise<void> {
    await this.process?.kill();
  }

  async restart(): Promise<void> {
    await this.process?.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    this.dir.remove();
  }

  private async launch(): Promise<void> {
    const persistence = this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--save', '', '--appendonly', 'no'];
    this.process = await ManagedProcess.start({
      name: 'redis-server',
      command: this.binary,
      args: ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir.path, '--protected-mode', 'yes', ...persistence],
      ready: { line: (line) => (line.includes('Ready to accept connections') ? true : undefined) },
      readyTimeoutMs: READY_DEADLINE_MS,
    });
  }
}
