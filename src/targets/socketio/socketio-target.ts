import { setTimeout as delay } from 'node:timers/promises';
import { RedisProcess } from '../../brokers/redis-process.js';
import type { Message } from '../../chat/message.js';
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
import { ADMIN_PATHS } from './socketio-chat-app.js';
import { SocketioChatClient } from './socketio-chat-client.js';
import { WRITE_CONCERN } from './socketio-message-store.js';
import { SocketioNode } from './socketio-node.js';
import { SocketioSnapshotReader } from './socketio-snapshot-reader.js';
import { DirectDatabase } from '../../mongo/direct-database.js';

export interface SocketioTargetOptions {
  /** `memory`: one node, Socket.IO's in-memory adapter. `redis-streams`: `nodes` nodes sharing a Redis stream. */
  adapter: 'memory' | 'redis-streams';
  nodes: number;
  maxDisconnectionDurationMs: number;
}

const SOCKETIO_VERSION = '4.8';

/**
 * The Socket.IO chat app as a system under test: its nodes as child processes, its database behind a TCP fault
 * proxy (`links.database`), for `redis-streams` a redis-server of its own behind another (`links.broker`). Each node
 * is one client endpoint; a crashed node is restarted on its port. The final state is read from the database
 * directly, by a reader of its own.
 */
export class SocketioTarget implements Target {
  readonly links: Target['links'];
  readonly faults: TargetFaults;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: SocketioTargetOptions,
    private readonly env: TargetEnv,
    private readonly parts: {
      nodes: SocketioNode[];
      dbProxy: TcpProxy;
      broker?: { redis: RedisProcess; proxy: TcpProxy };
      direct: DirectDatabase;
      snapshots: SocketioSnapshotReader;
      /** Every room added so far with its members: what a (restarted) node is told. */
      rooms: Map<string, readonly string[]>;
    },
  ) {
    this.links = { database: parts.dbProxy, ...(parts.broker ? { broker: parts.broker.proxy } : {}) };
    this.faults = new SocketioFaults(parts.nodes, parts.broker?.redis);
  }

  static async start(options: SocketioTargetOptions, env: TargetEnv): Promise<SocketioTarget> {
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const dbAddress = new URL(env.database.uri);
      const dbProxy = await TcpProxy.start({ name: 'db', upstream: { host: dbAddress.hostname, port: Number(dbAddress.port || 27017) } });
      cleanups.push(() => dbProxy.close());
      let broker: { redis: RedisProcess; proxy: TcpProxy } | undefined;
      if (options.adapter === 'redis-streams') {
        const redis = await RedisProcess.start();
        cleanups.push(() => redis.stop());
        const proxy = await TcpProxy.start({ name: 'broker', upstream: { host: '127.0.0.1', port: redis.port } });
        cleanups.push(() => proxy.close());
        broker = { redis, proxy };
      }
      const direct = await DirectDatabase.open(env.database.uri, env.dbName);
      cleanups.push(() => direct.close());
      const snapshots = new SocketioSnapshotReader(direct.db);
      const rooms = new Map<string, readonly string[]>();
      const nodes: SocketioNode[] = [];
      // Node by node: the first one creates the indexes the others then find.
      for (let i = 0; i < options.nodes; i += 1) {
        const node = await SocketioNode.start(
          {
            nodeId: `node-${i}`,
            host: '127.0.0.1',
            port: 0,
            mongoUri: `mongodb://127.0.0.1:${dbProxy.listenPort}/?directConnection=true`,
            dbName: env.dbName,
            maxDisconnectionDurationMs: options.maxDisconnectionDurationMs,
            ...(broker ? { redisUrl: `redis://127.0.0.1:${broker.proxy.listenPort}` } : {}),
          },
          // A restarted node forgot its rooms: tell it again before it counts as up.
          (restarted) => registerRooms(restarted, rooms),
        );
        node.record = env.emit;
        cleanups.push(() => node.stop());
        nodes.push(node);
      }
      return new SocketioTarget(options, env, { nodes, dbProxy, ...(broker ? { broker } : {}), direct, snapshots, rooms });
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  get clientEndpoints(): readonly { host: string; port: number }[] {
    return this.parts.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
  }

  describe(): TargetDescription {
    const { database } = this.env;
    return {
      name: `Socket.IO ${SOCKETIO_VERSION} chat app (${this.options.adapter}, ${this.options.nodes} node${this.options.nodes === 1 ? '' : 's'}, maxDisconnectionDuration ${this.options.maxDisconnectionDurationMs} ms)`,
      version: SOCKETIO_VERSION,
      database: { kind: database.kind, version: database.version, writeConcern: `w:${WRITE_CONCERN.w},j:${WRITE_CONCERN.j}` },
    };
  }

  async addRooms(rooms: readonly { id: string; members: readonly string[] }[]): Promise<void> {
    for (const room of rooms) this.parts.rooms.set(room.id, [...room.members]);
    await Promise.all(
      this.parts.nodes.map(async (node) => {
        await node.whenUp();
        await registerRooms(node, this.parts.rooms);
      }),
    );
  }

  client(spec: TargetClientSpec, via: ClientRoute): TargetClient {
    return new SocketioChatClient(spec, via);
  }

  async whenUp(): Promise<void> {
    await Promise.all(this.parts.nodes.map((node) => node.whenUp()));
  }

  /** A node broadcasts a message right after storing it, before it answers: idle is no send in flight on any node. */
  async quiesce(deadlineMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    await this.whenUp();
    while (Date.now() < deadline && !signal?.aborted) {
      const inflight = await Promise.all(this.parts.nodes.map((node) => health(node).then((h) => h.inflight, () => 0)));
      if (inflight.every((n) => n === 0)) return;
      await delay(20);
    }
  }

  snapshot(roomIds: readonly string[]): Promise<Message[]> {
    return this.parts.snapshots.messages(roomIds);
  }

  close(options: { now?: boolean } = {}): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled(this.parts.nodes.map((node) => node.stop(options.now ? 0 : undefined)));
      const { dbProxy, broker, direct } = this.parts;
      await Promise.allSettled([dbProxy.close(), direct.close(), broker?.proxy.close(), broker?.redis.stop()]);
    })();
    return this.closing;
  }
}

/**
 * `server.crash`: SIGKILL one node (`params.node`, default 0) and wait for its restart. `broker.restart` (with a
 * broker): SIGKILL redis-server, and on heal start it again empty (no persistence), as a broker that lost its memory.
 */
class SocketioFaults implements TargetFaults {
  constructor(
    private readonly nodes: readonly SocketioNode[],
    private readonly redis: RedisProcess | undefined,
  ) {}

  handles(name: string): boolean {
    return name === 'server.crash' || (name === 'broker.restart' && this.redis !== undefined);
  }

  async start(fault: FaultInstance): Promise<void> {
    if (fault.name === 'broker.restart') return this.redis!.kill();
    const index = typeof fault.params.node === 'number' ? fault.params.node : 0;
    const node = this.nodes[index % this.nodes.length];
    await node?.crash();
  }

  async heal(fault: FaultInstance): Promise<void> {
    if (fault.name === 'broker.restart') await this.redis!.restart();
    await Promise.all(this.nodes.map((node) => node.whenUp()));
  }
}

async function registerRooms(node: SocketioNode, rooms: ReadonlyMap<string, readonly string[]>): Promise<void> {
  const body = JSON.stringify([...rooms].map(([id, members]) => ({ id, members })));
  const response = await fetch(`${node.url}${ADMIN_PATHS.rooms}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`${node.id}: registering rooms answered ${response.status}: ${await response.text()}`);
}

async function health(node: SocketioNode): Promise<{ inflight: number }> {
  const response = await fetch(`${node.url}${ADMIN_PATHS.health}`);
  return (await response.json()) as { inflight: number };
}
