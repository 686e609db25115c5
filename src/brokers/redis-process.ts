import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { freePort } from '../net/free-port.js';

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
 * Ready when it logs "Ready to accept connections"; `kill` and `restart` keep the port.
 */
export class RedisProcess {
  private child: ChildProcess | undefined;
  private readonly output: string[] = [];

  private constructor(
    private readonly binary: string,
    readonly port: number,
    private readonly dir: string,
    private readonly persistent: boolean,
  ) {}

  static async start(options: { binary?: string; persistent?: boolean } = {}): Promise<RedisProcess> {
    const binary = options.binary ?? findRedisServer();
    if (!binary) throw new Error('redis-server is not installed: run `bash .ci/install-redis` (Debian redis-server)');
    const redis = new RedisProcess(binary, await freePort(), mkdtempSync(join(tmpdir(), 'ackproof-redis-')), options.persistent ?? false);
    leftovers.add(redis);
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
    await this.terminate('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.terminate('SIGKILL');
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.terminate('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
    leftovers.delete(this);
  }

  private launch(): Promise<void> {
    const persistence = this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--save', '', '--appendonly', 'no'];
    const child = spawn(
      this.binary,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--protected-mode', 'yes', ...persistence],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.output.length = 0;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`redis-server not ready after ${READY_DEADLINE_MS} ms`)), READY_DEADLINE_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(new Error(`${error.message}:\n${this.output.join('\n')}`));
      };
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.output.push(line);
        if (this.output.length > 30) this.output.shift();
        if (line.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString().trim()));
      child.once('error', fail);
      child.once('exit', (code, signal) => fail(new Error(`redis-server exited (code ${code}, signal ${signal})`)));
    });
  }

  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Synchronous last-resort cleanup for process exit. */
  killNow(): void {
    this.child?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// A CLI or test worker that exits must not leave redis-servers or temp dirs behind.
const leftovers = new Set<RedisProcess>();
process.once('exit', () => {
  for (const redis of leftovers) redis.killNow();
});
