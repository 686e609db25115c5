import { join } from 'node:path';
import { isKillable, type Database } from '../../mongo/database.js';
import { Nemesis } from '../../faults/nemesis.js';
import { TempDir } from '../../proc/temp-dir.js';
import { TcpProxy } from '../../faults/tcp-proxy.js';
import { WsFrameProxy } from '../../faults/ws-frame-proxy.js';
import { scenarioClients } from '../generator/scenario-commands.js';
import { HISTORY_FORMAT_VERSION, type MetaEvent } from '../../history/event.js';
import { HistoryRecorder, monotonicClock } from '../../history/history-recorder.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { AdminClient } from '../target/admin-client.js';
import { ServerProcess } from '../target/server-process.js';
import { DbSnapshotReader } from '../../targets/reference/db-snapshot-reader.js';
import type { CaseTarget, LiveRun } from './case-target.js';
import { LiveRunWorld } from './live-run-world.js';
import { ServerFaultPoints } from './server-fault-points.js';
import { ServerSupervisor } from './server-supervisor.js';
import { WorldFile } from './world-file.js';

/** Frequent heartbeats let clients see gaps and dead links within a run of a few seconds. */
const DEFAULT_HEARTBEAT_MS = 500;

export interface LiveTargetOptions {
  scenario: Scenario;
  pattern: string;
  database: Database;
  /** A database name of the case's own (^[a-zA-Z0-9_-]{1,63}$). */
  dbName: string;
  heartbeatMs?: number;
}

/**
 * One case's live system: the reference server in a child process (black box), a TCP fault proxy before its
 * database, and before its WebSocket port a TCP fault proxy and a frame relay (clients are told apart by the
 * `?client=` label). Each run gets fresh rooms on the same server.
 */
export class LiveCaseTarget implements CaseTarget {
  private runs = 0;
  private current: HistoryRecorder | undefined;
  private closing: Promise<void> | undefined;
  /** The stop signal of the runs (the suite's). */
  private stoppedBy: AbortSignal | undefined;

  private constructor(
    private readonly options: LiveTargetOptions,
    private readonly dir: TempDir,
    private readonly parts: {
      dbProxy: TcpProxy;
      wsProxy: TcpProxy;
      frames: WsFrameProxy;
      supervisor: ServerSupervisor;
      admin: AdminClient;
      faultPoints: ServerFaultPoints;
      world: WorldFile;
      snapshots: DbSnapshotReader;
      nemesis: Nemesis;
    },
  ) {
    parts.supervisor.record = (event) => this.current?.record(event);
  }

  static async start(options: LiveTargetOptions): Promise<LiveCaseTarget> {
    const dir = TempDir.create('ackproof-case-');
    const cleanups: (() => Promise<unknown>)[] = [async () => dir.remove()];
    try {
      const dbAddress = new URL(options.database.uri);
      const dbProxy = await TcpProxy.start({
        name: 'db',
        upstream: { host: dbAddress.hostname, port: Number(dbAddress.port || 27017) },
      });
      cleanups.push(() => dbProxy.close());
      const world = new WorldFile(join(dir.path, 'world.json'), scenarioClients(options.scenario).map((c) => c.userId));
      const server = await ServerProcess.start({
        pattern: options.pattern,
        mongoUri: `mongodb://127.0.0.1:${dbProxy.listenPort}/?directConnection=true`,
        dbName: options.dbName,
        adminPort: true,
        worldFile: world.path,
        heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      });
      cleanups.push(() => server.stop());
      const admin = new AdminClient(server.adminUrl!);
      const faultPoints: ServerFaultPoints = new ServerFaultPoints(admin, (op) => supervisor.call(op));
      const supervisor: ServerSupervisor = new ServerSupervisor(server, () => faultPoints.rearmAfterRestart());
      cleanups.push(() => supervisor.stop());
      const serverPort = Number(new URL(server.httpUrl).port);
      const frames = await WsFrameProxy.start({ name: 'frames', upstream: { host: '127.0.0.1', port: serverPort } });
      cleanups.push(() => frames.close());
      const wsProxy = await TcpProxy.start({
        name: 'ws',
        upstream: { host: '127.0.0.1', port: frames.listenPort },
        labelFromQueryParam: 'client',
      });
      cleanups.push(() => wsProxy.close());
      // The snapshot is read from the database directly, not through the proxy or the server.
      const snapshots = await DbSnapshotReader.open(options.database.uri, options.dbName);
      cleanups.push(() => snapshots.close());
      let target: LiveCaseTarget | undefined;
      const nemesis = new Nemesis({ ws: wsProxy, wsFrames: frames, db: dbProxy }, () => target?.current?.now() ?? 0);
      target = new LiveCaseTarget(options, dir, {
        dbProxy,
        wsProxy,
        frames,
        supervisor,
        admin,
        faultPoints,
        world,
        snapshots,
        nemesis,
      });
      return target;
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  async beginRun(runIndex: number, meta: { seed: number; path?: string; signal?: AbortSignal }): Promise<LiveRun> {
    const { scenario, pattern, database } = this.options;
    const { supervisor, world, admin, wsProxy } = this.parts;
    this.stoppedBy = meta.signal;
    meta.signal?.throwIfAborted();
    await supervisor.whenUp();
    const tag = `r${this.runs++}`;
    const roomIds = new Map(scenario.topology.rooms.map((r) => [r.id, `${r.id}-${tag}`]));
    const rooms = scenario.topology.rooms.map((r) => ({ id: roomIds.get(r.id)!, members: r.members }));
    world.addRooms(rooms);
    await supervisor.call(() => admin.addWorld({ rooms }));
    const clients = scenarioClients(scenario);
    const ready = supervisor.server.ready;
    const metaEvent: MetaEvent = {
      type: 'meta',
      formatVersion: HISTORY_FORMAT_VERSION,
      scenario: scenario.name,
      pattern,
      seed: meta.seed,
      ...(meta.path ? { path: meta.path } : {}),
      startedAt: new Date().toISOString(),
      database: { kind: database.kind, version: ready.database.version ?? database.version, writeConcern: ready.writeConcern },
      topology: { rooms, clients: clients.map((c) => ({ id: c.id, userId: c.userId })) },
    };
    const recorder = new HistoryRecorder(metaEvent, monotonicClock());
    this.current = recorder;
    return LiveRunWorld.begin({
      runIndex,
      scenario,
      recorder,
      roomIds,
      clients: clients.map((c) => ({
        id: c.id,
        userId: c.userId,
        token: world.token(c.userId),
        rooms: c.rooms.map((r) => roomIds.get(r)!),
      })),
      httpUrl: supervisor.server.httpUrl,
      heartbeatMs: this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      wsUrl: (clientId) => `ws://127.0.0.1:${wsProxy.listenPort}/ws?client=${encodeURIComponent(clientId)}`,
      parts: { ...this.parts, killableDatabase: isKillable(database) ? database : undefined },
      ...(meta.signal ? { signal: meta.signal } : {}),
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const { supervisor, frames, wsProxy, dbProxy, snapshots } = this.parts;
      await Promise.allSettled([wsProxy.close(), frames.close()]);
      // Stopped mid-run (SIGINT), the server may hold a request that waits on a faulted database link; its graceful
      // shutdown would wait for it, and nothing it finishes would be checked any more: kill it at once.
      await supervisor.stop(this.stoppedBy?.aborted ? 0 : undefined).catch(() => undefined);
      await Promise.allSettled([dbProxy.close(), snapshots.close()]);
      this.dir.remove();
    })();
    return this.closing;
  }
}
