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
import { AdminClient } from './admin-client.js';
import { DbSnapshotReader } from './db-snapshot-reader.js';
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
      supervisor: ServerSupervisor;
      admin: AdminClient;
      faultPoints: ServerFaultPoints;
      world: WorldFile;
      snapshots: DbSnapshotReader;
    },
  ) {
    this.links = { database: parts.dbProxy };
    this.faults = new ReferenceFaults(parts.supervisor, parts.faultPoints, options.database);
  }

  static async start(options: ReferenceTargetOptions, env: TargetEnv): Promise<ReferenceTarget> {
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const dbAddress = new URL(env.database.uri);
      const dbProxy = await TcpProxy.start({
        name: 'db',
        upstream: { host: dbAddress.hostname, port: Number(dbAddress.port || 27017) },
      });
      cleanups.push(() => dbProxy.close());
      const world = new WorldFile(join(env.dir, 'world.json'), scenarioClients(env.scenario).map((c) => c.userId));
      const server = await ServerProcess.start({
        pattern: options.pattern,
        mongoUri: `mongodb://127.0.0.1:${dbProxy.listenPort}/?directConnection=true`,
        dbName: env.dbName,
        adminPort: true,
        worldFile: world.path,
        heartbeatMs: options.heartbeatMs ?? REFERENCE_HEARTBEAT_MS,
      });
      cleanups.push(() => server.stop());
      const admin = new AdminClient(server.adminUrl!);
      const faultPoints: ServerFaultPoints = new ServerFaultPoints(admin, (op) => supervisor.call(op));
      const supervisor: ServerSupervisor = new ServerSupervisor(server, () => faultPoints.rearmAfterRestart());
      supervisor.record = env.emit;
      cleanups.push(() => supervisor.stop());
      const snapshots = await DbSnapshotReader.open(env.database.uri, env.dbName);
      cleanups.push(() => snapshots.close());
      return new ReferenceTarget({ ...options, database: env.database }, { dbProxy, supervisor, admin, faultPoints, world, snapshots });
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  get clientEndpoints(): readonly { host: string; port: number }[] {
    return [{ host: '127.0.0.1', port: Number(new URL(this.parts.supervisor.server.httpUrl).port) }];
  }

  describe(): TargetDescription {
    const ready = this.parts.supervisor.server.ready;
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
    await this.parts.supervisor.call(() => this.parts.admin.addWorld({ rooms: spec }));
  }

  client(spec: TargetClientSpec, via: ClientRoute): TargetClient {
    return new ChatClient({
      ...spec,
      token: this.parts.world.token(spec.userId),
      httpUrl: this.parts.supervisor.server.httpUrl,
      wsUrl: `ws://${via.host}:${via.port}/ws?client=${encodeURIComponent(via.label)}`,
    });
  }

  whenUp(): Promise<void> {
    return this.parts.supervisor.whenUp();
  }

  async quiesce(deadlineMs: number, signal?: AbortSignal): Promise<void> {
    await this.whenUp();
    await waitUntilQuiet(this.parts.supervisor.server.httpUrl, deadlineMs, signal);
  }

  snapshot(roomIds: readonly string[]): Promise<Message[]> {
    return this.parts.snapshots.messages([...roomIds]);
  }

  close(options: { now?: boolean } = {}): Promise<void> {
    this.closing ??= (async () => {
      const { supervisor, dbProxy, snapshots } = this.parts;
      // Stopped mid-run (SIGINT), the server may hold a request that waits on a faulted database link; its graceful
      // shutdown would wait for it, and nothing it finishes would be checked any more: kill it at once.
      await supervisor.stop(options.now ? 0 : undefined).catch(() => undefined);
      await Promise.allSettled([dbProxy.close(), snapshots.close()]);
    })();
    return this.closing;
  }
}

/** The reference server's own faults: fault points through the admin endpoint, a SIGKILL, a killed database. */
class ReferenceFaults implements TargetFaults {
  constructor(
    private readonly supervisor: ServerSupervisor,
    private readonly faultPoints: ServerFaultPoints,
    private readonly database: Database,
  ) {}

  handles(name: string): boolean {
    return isServerFaultPoint(name) || name === 'server.crash' || name === 'db.kill';
  }

  async start(fault: FaultInstance): Promise<void> {
    if (isServerFaultPoint(fault.name)) await this.faultPoints.arm(fault);
    else if (fault.name === 'server.crash') await this.supervisor.crash();
    else if (fault.name === 'db.kill') await this.killable().kill();
  }

  async heal(fault: FaultInstance): Promise<void> {
    // A server that a fault point crashed is being restarted; heal once it is back.
    await this.supervisor.whenUp();
    if (isServerFaultPoint(fault.name)) await this.faultPoints.disarm(fault);
    else if (fault.name === 'db.kill') await this.killable().restart();
  }

  private killable() {
    if (!isKillable(this.database)) {
      throw new NotSupportedError('db.kill needs a database that ackproof started (not --mongo-uri / MONGODB_URI)');
    }
    return this.database;
  }
}
