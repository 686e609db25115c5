import { join } from 'node:path';
import type { Message } from '../../chat/message.js';
import { ChatClient } from '../../client/chat-client.js';
import { TcpProxy } from '../../faults/tcp-proxy.js';
import type { FaultInstance } from '../../harness/generator/run-world.js';
import { NotSupportedError } from '../../harness/runner/not-supported-error.js';
import { scenarioClients } from '../../harness/generator/scenario-commands.js';
import type {
  ClientRoute,
  Target,
  TargetClient,
  TargetClientSpec,
  TargetDescription,
  TargetEnv,
  TargetFaults,
} from '../../harness/sut/target.js';
import { isKillable, type Database } from '../../mongo/database.js';
import { RedisProcess } from '../../brokers/redis-process.js';
import type { FanoutMode } from '../../server/fanout/fanout.js';
import { AdminClient } from './admin-client.js';
import { ChangeLogPruner } from './change-log-pruner.js';
import { DbSnapshotReader } from './db-snapshot-reader.js';
import { DirectDatabase } from '../../mongo/direct-database.js';
import { isServerFaultPoint, ServerFaultPoints } from './server-fault-points.js';
import { ServerProcess } from './server-process.js';
import { ServerSupervisor } from './server-supervisor.js';
import { waitUntilQuiet } from './wait-until-quiet.js';
import { WorldFile } from './world-file.js';

/** Frequent heartbeats let clients see gaps and dead links within a run of a few seconds. */
export const REFERENCE_HEARTBEAT_MS = 500;

export interface ReferenceTargetOptions {
  pattern: string;
  heartbeatMs?: number;
  /** Server processes on one database (default 1); more than one needs a fan-out between them. */
  nodes?: number;
  /** How a save reaches members on other nodes (`serve --fanout`); default none. */
  fanout?: FanoutMode;
}

/** One `ackproof serve` process of the target, kept up by its supervisor. */
interface Node {
  supervisor: ServerSupervisor;
  admin: AdminClient;
  faultPoints: ServerFaultPoints;
}

/**
 * ackproof's own reference server in one pattern, as a black box in a child process: a TCP fault proxy before its
 * database, its admin endpoint for fault points and rooms, a supervisor that restarts it after a crash, and the
 * final state read from the database directly (not through the proxy or the server's own store).
 */
export class ReferenceTarget implements Target {
  readonly links: Target['links'];
  readonly faults: TargetFaults;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: ReferenceTargetOptions & { database: Database },
    private readonly parts: {
      dbProxy: TcpProxy;
      broker: { redis: RedisProcess; proxy: TcpProxy } | undefined;
      nodes: Node[];
      world: WorldFile;
      direct: DirectDatabase;
      snapshots: DbSnapshotReader;
      pruner: ChangeLogPruner;
    },
  ) {
    this.links = { database: parts.dbProxy, ...(parts.broker ? { broker: parts.broker.proxy } : {}) };
    this.faults = new ReferenceFaults(parts.nodes, parts.broker?.redis, options.database);
  }

  static async start(options: ReferenceTargetOptions, env: TargetEnv): Promise<ReferenceTarget> {
    const count = options.nodes ?? 1;
    const fanout = options.fanout ?? 'none';
    if (count > 1 && fanout === 'none') throw new RangeError('several reference nodes need a fan-out (redis-pubsub or redis-streams)');
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const dbAddress = new URL(env.database.uri);
      const dbProxy = await TcpProxy.start({
        name: 'db',
        upstream: { host: dbAddress.hostname, port: Number(dbAddress.port || 27017) },
      });
      cleanups.push(() => dbProxy.close());
      let broker: { redis: RedisProcess; proxy: TcpProxy } | undefined;
      if (fanout !== 'none') {
        // Debian's redis-server on a free port, without persistence: a restart is a broker that lost its memory.
        const redis = await RedisProcess.start();
        cleanups.push(() => redis.stop());
        const proxy = await TcpProxy.start({ name: 'broker', upstream: { host: '127.0.0.1', port: redis.port } });
        cleanups.push(() => proxy.close());
        broker = { redis, proxy };
      }
      const world = new WorldFile(join(env.dir, 'world.json'), scenarioClients(env.scenario).map((c) => c.userId));
      const nodes = await Promise.all(
        Array.from({ length: count }, async (_, i): Promise<Node> => {
          const server = await ServerProcess.start({
            pattern: options.pattern,
            mongoUri: `mongodb://127.0.0.1:${dbProxy.listenPort}/?directConnection=true`,
            dbName: env.dbName,
            adminPort: true,
            worldFile: world.path,
            heartbeatMs: options.heartbeatMs ?? REFERENCE_HEARTBEAT_MS,
            ...(broker
              ? { extraArgs: ['--node-id', `n${i}`, '--fanout', fanout, '--redis-url', `redis://127.0.0.1:${broker.proxy.listenPort}`] }
              : {}),
          });
          cleanups.push(() => server.stop());
          const admin = new AdminClient(server.adminUrl!);
          const faultPoints: ServerFaultPoints = new ServerFaultPoints(admin, (op) => supervisor.call(op));
          const supervisor: ServerSupervisor = new ServerSupervisor(server, () => faultPoints.rearmAfterRestart());
          const name = count > 1 ? `n${i}` : 'server';
          supervisor.record = (event) => env.emit({ ...event, target: name });
          cleanups.push(() => supervisor.stop());
          return { supervisor, admin, faultPoints };
        }),
      );
      // One connection of ackproof's own serves the final reads and the clean-up between runs.
      const direct = await DirectDatabase.open(env.database.uri, env.dbName);
      cleanups.push(() => direct.close());
      const snapshots = new DbSnapshotReader(direct.db);
      const pruner = new ChangeLogPruner(direct.db);
      return new ReferenceTarget({ ...options, database: env.database }, { dbProxy, broker, nodes, world, direct, snapshots, pruner });
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  get clientEndpoints(): readonly { host: string; port: number }[] {
    return this.parts.nodes.map((node) => ({ host: '127.0.0.1', port: Number(new URL(node.supervisor.server.httpUrl).port) }));
  }

  describe(): TargetDescription {
    const ready = this.parts.nodes[0]!.supervisor.server.ready;
    const { database } = this.options;
    return {
      name: `ackproof reference server (${this.options.pattern})`,
      version: 'this build',
      database: { kind: database.kind, version: ready.database.version ?? database.version, writeConcern: ready.writeConcern },
    };
  }

  async addRooms(rooms: readonly { id: string; members: readonly string[] }[]): Promise<void> {
    const spec = rooms.map((r) => ({ id: r.id, members: [...r.members] }));
    this.parts.world.addRooms(spec);
    await Promise.all(this.parts.nodes.map((node) => node.supervisor.call(() => node.admin.addWorld({ rooms: spec }))));
  }

  client(spec: TargetClientSpec, via: ClientRoute): TargetClient {
    return new ChatClient({
      ...spec,
      token: this.parts.world.token(spec.userId),
      // Requests go straight to the client's own node; its live connection goes through the harness's proxies.
      httpUrl: this.parts.nodes[via.node]!.supervisor.server.httpUrl,
      wsUrl: `ws://${via.host}:${via.port}/ws?client=${encodeURIComponent(via.label)}`,
    });
  }

  async whenUp(): Promise<void> {
    await Promise.all(this.parts.nodes.map((node) => node.supervisor.whenUp()));
  }

  async quiesce(deadlineMs: number, signal?: AbortSignal): Promise<void> {
    await this.whenUp();
    await Promise.all(this.parts.nodes.map((node) => waitUntilQuiet(node.supervisor.server.httpUrl, deadlineMs, signal)));
  }

  snapshot(roomIds: readonly string[]): Promise<Message[]> {
    return this.parts.snapshots.messages([...roomIds]);
  }

  /** The run's change records go (ChangeLogPruner): the store's reads scan them on FerretDB. */
  async retireRooms(roomIds: readonly string[]): Promise<void> {
    await this.parts.pruner.prune(roomIds);
  }

  close(options: { now?: boolean } = {}): Promise<void> {
    this.closing ??= (async () => {
      const { nodes, dbProxy, broker, direct } = this.parts;
      // Stopped mid-run (SIGINT), the server may hold a request that waits on a faulted database link; its graceful
      // shutdown would wait for it, and nothing it finishes would be checked any more: kill it at once.
      await Promise.allSettled(nodes.map((node) => node.supervisor.stop(options.now ? 0 : undefined)));
      await Promise.allSettled([dbProxy.close(), direct.close(), broker?.proxy.close(), broker?.redis.stop()]);
    })();
    return this.closing;
  }
}

/**
 * The reference server's own faults: fault points through every node's admin endpoint, a SIGKILL of one node
 * (`params.node`, default 0), a killed database, a restarted broker (it comes back empty).
 */
class ReferenceFaults implements TargetFaults {
  constructor(
    private readonly nodes: Node[],
    private readonly redis: RedisProcess | undefined,
    private readonly database: Database,
  ) {}

  handles(name: string): boolean {
    return isServerFaultPoint(name) || name === 'server.crash' || name === 'db.kill' || (name === 'broker.restart' && this.redis !== undefined);
  }

  async start(fault: FaultInstance): Promise<void> {
    if (isServerFaultPoint(fault.name)) await Promise.all(this.nodes.map((node) => node.faultPoints.arm(fault)));
    else if (fault.name === 'server.crash') await this.node(fault).supervisor.crash();
    else if (fault.name === 'db.kill') await this.killable().kill();
    else if (fault.name === 'broker.restart') await this.redis!.kill();
  }

  async heal(fault: FaultInstance): Promise<void> {
    // A server that a fault point crashed is being restarted; heal once it is back.
    await Promise.all(this.nodes.map((node) => node.supervisor.whenUp()));
    if (isServerFaultPoint(fault.name)) await Promise.all(this.nodes.map((node) => node.faultPoints.disarm(fault)));
    else if (fault.name === 'db.kill') await this.killable().restart();
    else if (fault.name === 'broker.restart') await this.redis!.restart();
  }

  private node(fault: FaultInstance): Node {
    const index = Number(fault.params['node'] ?? 0);
    return this.nodes[(Number.isInteger(index) && index >= 0 ? index : 0) % this.nodes.length]!;
  }

  private killable() {
    if (!isKillable(this.database)) {
      throw new NotSupportedError('db.kill needs a database that ackproof started (not --mongo-uri / MONGODB_URI)');
    }
    return this.database;
  }
}
