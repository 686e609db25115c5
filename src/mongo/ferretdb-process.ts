import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port.js';
import type { KillableDatabase } from './database.js';
import { serverVersion, waitUntilPingable } from './server-version.js';

const READY_DEADLINE_MS = 20_000;

/** A FerretDB (SQLite handler) process in a temp dir on a free loopback port, removed when stopped or at exit. */
export class FerretDbProcess implements KillableDatabase {
  readonly kind = 'ferretdb' as const;
  readonly uri: string;
  version = 'FerretDB (unknown version)';
  readonly description: string;
  private child: ChildProcess | undefined;
  private exitError: Error | undefined;
  private stderrTail = '';

  private constructor(
    private readonly binary: string,
    private readonly port: number,
    private readonly dataDir: string,
  ) {
    this.uri = `mongodb://127.0.0.1:${port}/`;
    this.description = `ferretdb at ${binary} (SQLite in ${dataDir})`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  static async start(binary: string): Promise<FerretDbProcess> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'ackproof-ferretdb-'));
    const db = new FerretDbProcess(binary, port, dataDir);
    leftovers.add(db);
    try {
      await db.launch();
      db.version = await serverVersion(db.uri);
    } catch (error) {
      await db.stop();
      throw error;
    }
    return db;
  }

  private async launch(): Promise<void> {
    this.exitError = undefined;
    this.stderrTail = '';
    const child = spawn(
      this.binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dataDir}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        '--state-dir=-',
        '--telemetry=disable',
        // Without this every instance binds 127.0.0.1:8088 and a second one exits.
        '--debug-addr=-',
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2_000);
    });
    child.once('error', (error) => (this.exitError = error));
    child.once('exit', (code, signal) => {
      this.exitError ??= new Error(`ferretdb exited (code ${code}, signal ${signal}): ${this.stderrTail.trim()}`);
    });
    await waitUntilPingable(this.uri, READY_DEADLINE_MS, () => this.exitError);
  }

  async kill(): Promise<void> {
    await this.terminate('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.terminate('SIGKILL');
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.terminate('SIGTERM');
    rmSync(this.dataDir, { recursive: true, force: true });
    leftovers.delete(this);
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
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// A CLI that exits (or a test worker that dies) must not leave database processes or temp dirs behind.
const leftovers = new Set<FerretDbProcess>();
process.once('exit', () => {
  for (const db of leftovers) db.killNow();
});
