import { freePort } from '../net/free-port.js';
import { ManagedProcess } from '../proc/managed-process.js';
import { TempDir } from '../proc/temp-dir.js';
import type { KillableDatabase } from './database.js';
import { serverVersion, waitUntilPingable } from './server-version.js';

const READY_DEADLINE_MS = 20_000;

/**
 * A FerretDB (SQLite handler) process in a temp dir on a free loopback port. Process and dir are registered with
 * the clean-up registry, so they are gone when stopped, and at the latest when ackproof exits.
 */
export class FerretDbProcess implements KillableDatabase {
  readonly kind = 'ferretdb' as const;
  readonly uri: string;
  version = 'FerretDB (unknown version)';
  readonly description: string;
  private process: ManagedProcess<void> | undefined;

  private constructor(
    private readonly binary: string,
    private readonly port: number,
    private readonly dataDir: TempDir,
  ) {
    this.uri = `mongodb://127.0.0.1:${port}/`;
    this.description = `ferretdb at ${binary} (SQLite in ${dataDir.path})`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  static async start(binary: string): Promise<FerretDbProcess> {
    const db = new FerretDbProcess(binary, await freePort(), TempDir.create('ackproof-ferretdb-'));
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
    this.process = await ManagedProcess.start({
      name: 'ferretdb',
      command: this.binary,
      args: [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dataDir.path}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        '--state-dir=-',
        '--telemetry=disable',
        // Without this every instance binds 127.0.0.1:8088 and a second one exits.
        '--debug-addr=-',
        '--log-level=warn',
      ],
      stdout: 'ignore',
      ready: { probe: (signal) => waitUntilPingable(this.uri, READY_DEADLINE_MS, () => (signal.aborted ? new Error('ferretdb gone') : undefined)) },
      readyTimeoutMs: READY_DEADLINE_MS + 1_000,
    });
  }

  async kill(): Promise<void> {
    await this.process?.kill();
  }

  async restart(): Promise<void> {
    await this.process?.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    this.dataDir.remove();
  }
}
