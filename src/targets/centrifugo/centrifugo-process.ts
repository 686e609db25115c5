import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EnvironmentError } from '../../proc/environment-error.js';
import { ManagedProcess } from '../../proc/managed-process.js';
import type { ProcessExit } from '../../proc/process-exit.js';
import { findCentrifugo } from './centrifugo-binary.js';
import { centrifugoConfig, type CentrifugoConfigOptions } from './centrifugo-config.js';
import { CentrifugoServerApi } from './server-api.js';

const READY_DEADLINE_MS = 20_000;
const PROBE_EVERY_MS = 50;

/**
 * One Centrifugo node of ackproof's own: its config written as JSON into the case's directory, listening on a fixed
 * loopback port (so a restart comes back where clients and proxies expect it), ready once its server API answers
 * `info` (with the redis engine that needs Redis reachable). `kill` is a crash (SIGKILL); `restart` starts it again
 * with the same config.
 */
export class CentrifugoProcess {
  private process!: ManagedProcess<string>;

  private constructor(
    private readonly binary: string,
    private readonly configPath: string,
    readonly config: CentrifugoConfigOptions,
  ) {}

  static async start(dir: string, config: CentrifugoConfigOptions): Promise<CentrifugoProcess> {
    const binary = findCentrifugo();
    if (!binary) {
      throw new EnvironmentError('CENTRIFUGO_MISSING', 'centrifugo is not installed: run `bash .ci/install-centrifugo` (builds v6.9.1 from the Go module proxy)');
    }
    const configPath = join(dir, `centrifugo-${config.port}.json`);
    writeFileSync(configPath, `${JSON.stringify(centrifugoConfig(config), null, 2)}\n`);
    const node = new CentrifugoProcess(binary, configPath, config);
    await node.launch();
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.config.port}`;
  }

  /** What `centrifugo version`-style the node reported in `info` (its version), read at start. */
  get version(): string {
    return this.process.ready;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get exited(): Promise<ProcessExit> {
    return this.process.exited;
  }

  get running(): boolean {
    return this.process.running;
  }

  api(timeoutMs: number): CentrifugoServerApi {
    return new CentrifugoServerApi(this.url, this.config.apiKey, timeoutMs);
  }

  async kill(): Promise<void> {
    await this.process.kill();
  }

  async restart(): Promise<void> {
    await this.process.kill();
    await this.launch();
  }

  async stop(graceMs?: number): Promise<void> {
    await this.process?.stop('SIGTERM', graceMs);
  }

  private async launch(): Promise<void> {
    const api = this.api(1_000);
    this.process = await ManagedProcess.start({
      name: `centrifugo (${this.config.engine})`,
      command: this.binary,
      args: ['--config', this.configPath],
      ready: {
        probe: async (signal) => {
          for (;;) {
            const info = await api.info();
            if (info.status === 'ok') return nodeVersion(info.value);
            if (signal.aborted) throw new Error(`its server API did not answer: ${info.error.message}`);
            await delay(PROBE_EVERY_MS, undefined, { signal }).catch(() => undefined);
          }
        },
      },
      readyTimeoutMs: READY_DEADLINE_MS,
    });
  }
}

function nodeVersion(info: Record<string, unknown>): string {
  const nodes = info['nodes'] as { version?: string }[] | undefined;
  return nodes?.[0]?.version ?? 'unknown';
}
