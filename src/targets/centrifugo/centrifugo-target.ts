import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Message } from '../../chat/message.js';
import { findRedisServer, RedisProcess } from '../../brokers/redis-process.js';
import { TcpProxy } from '../../faults/tcp-proxy.js';
import type { FaultInstance } from '../../harness/generator/run-world.js';
import type {
  ClientRoute,
  Target,
  TargetClient,
  TargetClientSpec,
  TargetDescription,
  TargetEnv,
  TargetFaults,
} from '../../harness/sut/target.js';
import { freePort } from '../../net/free-port.js';
import { Supervisor } from '../../proc/supervisor.js';
import { CentrifugoClient } from './centrifugo-client.js';
import { roomChannel, type CentrifugoEngine } from './centrifugo-config.js';
import { CentrifugoProcess } from './centrifugo-process.js';
import { connectionToken } from './connection-token.js';
import { publicationMessage } from './publication-message.js';

export interface CentrifugoTargetOptions {
  engine: CentrifugoEngine;
  /** Per room channel. Default 1000: a run's room never outgrows it unless a scenario makes it small on purpose. */
  historySize?: number;
  /** Default 600 s: longer than a case. */
  historyTtlSeconds?: number;
  /** Server ping interval; default 1 s so a blackholed client link is noticed within a run. */
  pingIntervalMs?: number;
  /** Positioning's check interval; default 1 s so a publication lost between Redis and the node is noticed within a run. */
  positionCheckMs?: number;
  /** Per server API call (publish, history, info). Default 5 s. */
  apiTimeoutMs?: number;
}

const SNAPSHOT_ATTEMPTS = 5;
const SNAPSHOT_BACKOFF_MS = 200;

/**
 * Centrifugo v6 as a system under test: one node on a free loopback port with its memory engine, or with its Redis
 * engine on a redis-server of ackproof's own (no persistence) behind a TCP fault proxy (`links.broker`). Clients go
 * through the harness's client-link proxy; sends are server API publishes; the final state is each room's history
 * read through the server API, which is Centrifugo's own record of what it accepted.
 */
export class CentrifugoTarget implements Target {
  readonly links: Target['links'];
  readonly faults: TargetFaults;
  private readonly members = new Map<string, Set<string>>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: Required<CentrifugoTargetOptions>,
    private readonly parts: {
      supervisor: Supervisor<CentrifugoProcess>;
      apiKey: string;
      hmacSecret: string;
      redis?: { process: RedisProcess; proxy: TcpProxy; version: string };
    },
  ) {
    this.links = parts.redis ? { broker: parts.redis.proxy } : {};
    this.faults = new CentrifugoFaults(parts.supervisor, parts.redis?.process);
  }

  static async start(options: CentrifugoTargetOptions, env: TargetEnv): Promise<CentrifugoTarget> {
    const resolved: Required<CentrifugoTargetOptions> = {
      historySize: 1_000,
      historyTtlSeconds: 600,
      pingIntervalMs: 1_000,
      positionCheckMs: 1_000,
      apiTimeoutMs: 5_000,
      ...options,
    };
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      let redis: { process: RedisProcess; proxy: TcpProxy; version: string } | undefined;
      if (resolved.engine === 'redis') {
        const process = await RedisProcess.start();
        cleanups.push(() => process.stop());
        const proxy = await TcpProxy.start({ name: 'broker', upstream: { host: '127.0.0.1', port: process.port } });
        cleanups.push(() => proxy.close());
        redis = { process, proxy, version: redisVersion() };
      }
      const apiKey = randomBytes(16).toString('hex');
      const hmacSecret = randomBytes(32).toString('hex');
      const node = await CentrifugoProcess.start(env.dir, {
        port: await freePort(),
        apiKey,
        hmacSecret,
        engine: resolved.engine,
        ...(redis ? { redisUrl: `redis://127.0.0.1:${redis.proxy.listenPort}` } : {}),
        historySize: resolved.historySize,
        historyTtlSeconds: resolved.historyTtlSeconds,
        pingIntervalMs: resolved.pingIntervalMs,
        positionCheckMs: resolved.positionCheckMs,
      });
      cleanups.push(() => node.stop());
      const supervisor = new Supervisor(node, { target: 'server' });
      supervisor.record = env.emit;
      return new CentrifugoTarget(resolved, { supervisor, apiKey, hmacSecret, ...(redis ? { redis } : {}) });
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  get clientEndpoints(): readonly { host: string; port: number }[] {
    return [{ host: '127.0.0.1', port: this.node.config.port }];
  }

  describe(): TargetDescription {
    const { engine, historySize, historyTtlSeconds } = this.options;
    const history = `history_size ${historySize}, history_ttl ${historyTtlSeconds}s`;
    return {
      name: `Centrifugo (${engine} engine)`,
      version: this.node.version,
      database:
        engine === 'redis'
          ? { kind: 'redis (Centrifugo history)', version: this.parts.redis?.version ?? 'unknown', writeConcern: `no persistence; ${history}` }
          : { kind: 'memory (Centrifugo history)', version: this.node.version, writeConcern: `process memory; ${history}` },
    };
  }

  /** Channels exist on first use; the rooms' members are kept so a client subscribes only to rooms it is in. */
  async addRooms(rooms: readonly { id: string; members: readonly string[] }[]): Promise<void> {
    for (const room of rooms) this.members.set(room.id, new Set(room.members));
  }

  client(spec: TargetClientSpec, via: ClientRoute): TargetClient {
    // The application backend's job in Centrifugo's model (it would issue subscription tokens only to members).
    const rooms = spec.rooms.filter((roomId) => this.members.get(roomId)?.has(spec.userId) ?? true);
    return new CentrifugoClient({
      spec: { ...spec, rooms },
      route: via,
      token: connectionToken(spec.userId, this.parts.hmacSecret),
      api: this.node.api(this.options.apiTimeoutMs),
    });
  }

  whenUp(): Promise<void> {
    return this.parts.supervisor.whenUp();
  }

  /** A publish is in the history when its answer comes: nothing asynchronous to wait for once the node serves. */
  async quiesce(): Promise<void> {
    await this.whenUp();
  }

  /** Every room's history through the server API (retried briefly: the node may be restarting). */
  async snapshot(roomIds: readonly string[]): Promise<Message[]> {
    await this.whenUp();
    const api = this.node.api(this.options.apiTimeoutMs);
    const rooms = await Promise.all(
      roomIds.map(async (roomId) => {
        for (let attempt = 1; ; attempt += 1) {
          const history = await api.history(roomChannel(roomId));
          if (history.status === 'ok') return history.value.publications.map((p) => publicationMessage(roomId, p.offset, p.data));
          if (attempt >= SNAPSHOT_ATTEMPTS) throw new Error(`Centrifugo history of room ${roomId} could not be read: ${history.error.message}`);
          await delay(SNAPSHOT_BACKOFF_MS * attempt);
        }
      }),
    );
    return rooms.flat();
  }

  close(options: { now?: boolean } = {}): Promise<void> {
    this.closing ??= (async () => {
      await this.parts.supervisor.stop(options.now ? 0 : undefined).catch(() => undefined);
      const redis = this.parts.redis;
      if (redis) await Promise.allSettled([redis.proxy.close(), redis.process.stop()]);
    })();
    return this.closing;
  }

  private get node(): CentrifugoProcess {
    return this.parts.supervisor.process;
  }
}

/**
 * `server.crash`: SIGKILL the node and restart it (its memory engine then starts with an empty history).
 * `broker.restart` (Redis engine): SIGKILL redis-server, and on heal start it again empty (no persistence): the
 * history streams and their epochs are gone, which Centrifugo must report as `recovered: false`.
 */
class CentrifugoFaults implements TargetFaults {
  constructor(
    private readonly supervisor: Supervisor<CentrifugoProcess>,
    private readonly redis: RedisProcess | undefined,
  ) {}

  handles(name: string): boolean {
    return name === 'server.crash' || (name === 'broker.restart' && this.redis !== undefined);
  }

  async start(fault: FaultInstance): Promise<void> {
    if (fault.name === 'server.crash') await this.supervisor.crash();
    else if (fault.name === 'broker.restart') await this.redis!.kill();
  }

  async heal(fault: FaultInstance): Promise<void> {
    if (fault.name === 'broker.restart') await this.redis!.restart();
    await this.supervisor.whenUp();
  }
}

function redisVersion(): string {
  const binary = findRedisServer();
  if (!binary) return 'unknown';
  try {
    const line = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 5_000 });
    return /v=(\S+)/.exec(line)?.[1] ?? line.trim();
  } catch {
    return 'unknown';
  }
}
