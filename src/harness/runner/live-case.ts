import { Nemesis } from '../../faults/nemesis.js';
import { TcpProxy } from '../../faults/tcp-proxy.js';
import { WsFrameProxy } from '../../faults/ws-frame-proxy.js';
import type { Database } from '../../mongo/database.js';
import { TempDir } from '../../proc/temp-dir.js';
import { scenarioClients } from '../generator/scenario-commands.js';
import { HISTORY_FORMAT_VERSION, type MetaEvent } from '../../history/event.js';
import { HistoryRecorder, monotonicClock } from '../../history/history-recorder.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { ClientRoute, Target, TargetFactory } from '../sut/target.js';
import type { CaseTarget, LiveRun } from './case-target.js';
import { LiveRunWorld } from './live-run-world.js';

/** Above the reference server's heartbeat (500 ms) times four: a silently dead link is noticed within a run. */
const IDLE_TIMEOUT_MS = 2_000;

export interface CaseStart {
  scenario: Scenario;
  target: TargetFactory;
  database: Database;
  /** A database name of the case's own (^[a-zA-Z0-9_-]{1,63}$). */
  dbName: string;
}

/** The harness's proxies in front of one node's client endpoint: a TCP proxy (link faults), then a frame relay. */
interface NodeLink {
  tcp: TcpProxy;
  frames: WsFrameProxy;
}

/**
 * One case's live system, whatever the target: the target itself (started by its factory), before each of its
 * nodes a TCP fault proxy and a WebSocket frame relay (clients are told apart by the `?client=` label), the nemesis
 * over those and the target's own links (database, broker). Each run gets fresh rooms on the same target.
 */
export class LiveCase implements CaseTarget {
  private runs = 0;
  private current: HistoryRecorder | undefined;
  private closing: Promise<void> | undefined;
  /** The stop signal of the runs (the suite's). */
  private stoppedBy: AbortSignal | undefined;

  private constructor(
    private readonly start: CaseStart,
    private readonly dir: TempDir,
    private readonly target: Target,
    private readonly nodes: NodeLink[],
    private readonly nemesis: Nemesis,
  ) {}

  static async start(start: CaseStart): Promise<LiveCase> {
    const dir = TempDir.create('ackproof-case-');
    const cleanups: (() => Promise<unknown>)[] = [async () => dir.remove()];
    let live: LiveCase | undefined;
    try {
      const target = await start.target.start({
        scenario: start.scenario,
        database: start.database,
        dbName: start.dbName,
        dir: dir.path,
        emit: (event) => live?.current?.record(event),
      });
      cleanups.push(() => target.close());
      const nodes: NodeLink[] = [];
      for (const [i, endpoint] of target.clientEndpoints.entries()) {
        const frames = await WsFrameProxy.start({ name: `frames-${i}`, upstream: endpoint });
        cleanups.push(() => frames.close());
        const tcp = await TcpProxy.start({
          name: `ws-${i}`,
          upstream: { host: '127.0.0.1', port: frames.listenPort },
          labelFromQueryParam: 'client',
        });
        cleanups.push(() => tcp.close());
        nodes.push({ tcp, frames });
      }
      const nemesis = new Nemesis(
        {
          ws: nodes.map((n) => n.tcp),
          wsFrames: nodes.map((n) => n.frames),
          ...(target.links.database ? { db: target.links.database } : {}),
          ...(target.links.broker ? { broker: target.links.broker } : {}),
        },
        () => live?.current?.now() ?? 0,
      );
      live = new LiveCase(start, dir, target, nodes, nemesis);
      return live;
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  async beginRun(runIndex: number, meta: { seed: number; path?: string; signal?: AbortSignal }): Promise<LiveRun> {
    const { scenario, target: factory } = this.start;
    const { target } = this;
    this.stoppedBy = meta.signal;
    meta.signal?.throwIfAborted();
    await target.whenUp();
    const tag = `r${this.runs++}`;
    const roomIds = new Map(scenario.topology.rooms.map((r) => [r.id, `${r.id}-${tag}`]));
    const rooms = scenario.topology.rooms.map((r) => ({ id: roomIds.get(r.id)!, members: r.members }));
    await target.addRooms(rooms);
    const clients = scenarioClients(scenario);
    const description = target.describe();
    const metaEvent: MetaEvent = {
      type: 'meta',
      formatVersion: HISTORY_FORMAT_VERSION,
      scenario: scenario.name,
      pattern: factory.id.slice(factory.id.indexOf(':') + 1),
      target: factory.id,
      seed: meta.seed,
      ...(meta.path ? { path: meta.path } : {}),
      startedAt: new Date().toISOString(),
      database: description.database ?? { kind: 'none', version: 'n/a', writeConcern: 'n/a' },
      topology: {
        rooms,
        clients: clients.map((c, i) => ({
          id: c.id,
          userId: c.userId,
          ...(this.nodes.length > 1 ? { node: this.route(c.id, i).node } : {}),
        })),
      },
    };
    const recorder = new HistoryRecorder(metaEvent, monotonicClock());
    this.current = recorder;
    return LiveRunWorld.begin({
      runIndex,
      scenario,
      recorder,
      roomIds,
      capabilities: factory.capabilities,
      clients: clients.map((c, i) => {
        const rooms = c.rooms.map((r) => roomIds.get(r)!);
        return {
          id: c.id,
          rooms,
          client: target.client(
            {
              id: c.id,
              userId: c.userId,
              rooms,
              emit: (event) => recorder.append(event),
              now: () => recorder.now(),
              nextOp: () => recorder.nextOpId(),
              requestTimeoutMs: scenario.client.requestTimeoutMs,
              retries: scenario.client.retries,
              retryBackoffMs: scenario.client.retryBackoffMs,
              gapFill: scenario.client.gapFill,
              idleTimeoutMs: IDLE_TIMEOUT_MS,
            },
            this.route(c.id, i),
          ),
        };
      }),
      target,
      nemesis: this.nemesis,
      ...(meta.signal ? { signal: meta.signal } : {}),
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled(this.nodes.flatMap((n) => [n.tcp.close(), n.frames.close()]));
      await this.target.close({ now: this.stoppedBy?.aborted ?? false }).catch(() => undefined);
      this.dir.remove();
    })();
    return this.closing;
  }

  /** Clients are spread over the nodes round-robin, in the topology's order. */
  private route(label: string, index: number): ClientRoute {
    const node = index % this.nodes.length;
    return { host: '127.0.0.1', port: this.nodes[node]!.tcp.listenPort, node, label };
  }
}
