import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CHAT_LIMITS, type ChatLimits } from '../chat/chat-limits.js';
import { ChatService } from '../chat/chat-service.js';
import type { MessageEvent } from '../chat/message-event.js';
import type { MessageStore } from '../chat/message-store.port.js';
import type { World } from '../chat/world.js';
import type { DatabaseProbeSummary } from '../mongo/probe/probe-summary.js';
import { registerAdminRoutes } from './admin-api.js';
import { edgeErrorOptions } from './edge-errors.js';
import { installErrorReplies } from './error-replies.js';
import { acceptOnlyJsonBodies } from './json-only-bodies.js';
import { DEFAULT_SHEDDING, LoadShedder, type SheddingOptions } from './load-shedder.js';
import { EventBus, type EventBusOptions } from './event-bus.js';
import { CrashAfterSave } from './faults/crash-after-save.js';
import { crashProcess } from './faults/crash-process.js';
import { FaultPoints } from './faults/fault-points.js';
import { FaultyBroadcaster } from './faults/faulty-broadcaster.js';
import { registerChatRoutes } from './http-api.js';
import type { OutboxRelayTiming } from './outbox-relay.js';
import { createFanout, type FanoutOptions } from './fanout/create-fanout.js';
import { DeliveredOnce } from './fanout/delivered-once.js';
import { PATTERNS, type PatternName } from './patterns/pattern-registry.js';
import { WsGateway } from './ws-gateway.js';

export interface ServerOptions {
  pattern: PatternName;
  store: MessageStore;
  world: World;
  /** What /healthz (`db`) and the ready line say about the database, with what `probe-db` measured on it. */
  database: { kind: string; version: string; probe?: DatabaseProbeSummary };
  writeConcern: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The loopback-only admin listener (fault points, world); none when undefined. */
  adminPort?: number | undefined;
  heartbeatMs?: number;
  bodyLimitBytes?: number;
  limits?: Partial<ChatLimits>;
  bus?: Omit<EventBusOptions, 'rejectWhen' | 'log'>;
  /** The outbox relay's poll interval, page size and backoff (pattern `outbox`). */
  outbox?: OutboxRelayTiming;
  maxWsPayloadBytes?: number;
  maxWsBufferedBytes?: number;
  /** Distinct rooms one WebSocket may subscribe to (default 1,000); see WsGatewayOptions. */
  maxRoomsPerSocket?: number;
  /** Pings one WebSocket may send per second before it is closed with 1008 (default 20). */
  maxPingsPerSecond?: number;
  /** Load shedding bounds (503 OVERLOADED with Retry-After); each 0 turns that bound off. Defaults: DEFAULT_SHEDDING. */
  shedding?: Partial<SheddingOptions>;
  log?: (line: string) => void;
  /**
   * How saved changes reach members connected to other nodes: `none` (default; each node's own sockets only), or
   * a Redis broker every node publishes to and consumes from. `nodeId` names this node in logs and /healthz.
   */
  fanout?: Omit<FanoutOptions, 'log'>;
  /** What crash.afterSave does; a SIGKILL of this process unless a test says otherwise. */
  crash?: () => never;
}

export interface RunningServer {
  httpUrl: string;
  wsUrl: string;
  adminUrl: string | null;
  port: number;
  adminPort: number | null;
  bus: EventBus<MessageEvent>;
  faults: FaultPoints;
  health(): Promise<object>;
  /** Stops accepting, drains the bus, closes sockets with 1001; the store is the caller's to close. */
  close(): Promise<void>;
}

/** Builds the reference server from its parts for one pattern and starts listening. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const faults = new FaultPoints();
  const bus = new EventBus<MessageEvent>({ ...options.bus, rejectWhen: () => faults.busSaturated(), log });
  const gateway = new WsGateway({
    world: options.world,
    store: options.store,
    heartbeatMs: options.heartbeatMs,
    maxPayloadBytes: options.maxWsPayloadBytes,
    maxBufferedBytes: options.maxWsBufferedBytes,
    maxRoomsPerSocket: options.maxRoomsPerSocket,
    maxPingsPerSecond: options.maxPingsPerSecond,
    log,
  });
  const fanout = options.fanout ? createFanout({ ...options.fanout, log }) : undefined;
  const pattern = PATTERNS[options.pattern]({
    // With a broker, "broadcast" means publishing to every node; each node delivers to its own sockets (below).
    broadcaster: new FaultyBroadcaster(fanout ?? gateway, faults),
    bus,
    store: options.store,
    log,
    ...(options.outbox ? { outbox: options.outbox } : {}),
    ...(options.fanout ? { node: options.fanout.nodeId } : {}),
  });
  const onSaved = new CrashAfterSave(pattern, faults, options.crash ?? crashProcess);
  const limits = { ...DEFAULT_CHAT_LIMITS, ...options.limits };
  const chat = new ChatService(options.store, options.world, onSaved, limits, pattern.writes);

  const shedder = new LoadShedder({ ...DEFAULT_SHEDDING, ...options.shedding });
  const health = async () => ({
    status: 'ok',
    pattern: pattern.name,
    db: options.database,
    writeConcern: options.writeConcern,
    bus: bus.counters(),
    ws: gateway.stats(),
    shedding: shedder.counters(),
    ...(options.fanout ? { node: options.fanout.nodeId } : {}),
    ...(fanout ? { fanout: { ...fanout.health(), repeatsDropped: deliveredOnce.repeats } } : {}),
    ...(pattern.health ? { [pattern.name]: await pattern.health() } : {}),
  });

  const deliveredOnce = new DeliveredOnce();
  if (fanout) {
    await fanout.start({
      deliver: async (event) => {
        if (deliveredOnce.first(event)) await gateway.broadcast(event);
      },
      missed: (reason) => {
        log(`fanout: ${reason}; members check their cursors now`);
        gateway.heartbeatNow();
      },
    }).catch(async (error: unknown) => {
      gateway.close();
      shedder.close();
      await fanout.close();
      throw new Error(`fanout ${fanout.mode}: cannot reach Redis at ${options.fanout?.redisUrl}: ${(error as Error).message}`);
    });
  }

  const app = Fastify({ bodyLimit: options.bodyLimitBytes ?? 64 * 1024, forceCloseConnections: 'idle', ...edgeErrorOptions() });
  installErrorReplies(app, log);
  acceptOnlyJsonBodies(app);
  shedder.install(app);
  registerChatRoutes(app, chat, options.world, health);
  gateway.attach(app.server);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const port = (app.server.address() as AddressInfo).port;
  pattern.start?.();

  let admin: FastifyInstance | undefined;
  let adminPort: number | null = null;
  if (options.adminPort !== undefined) {
    admin = Fastify({ bodyLimit: 1 << 20, ...edgeErrorOptions() });
    installErrorReplies(admin, log);
    acceptOnlyJsonBodies(admin);
    registerAdminRoutes(admin, faults, options.world);
    try {
      await admin.listen({ host: '127.0.0.1', port: options.adminPort });
    } catch (error) {
      await Promise.all([app.close(), pattern.close?.()]);
      gateway.close();
      shedder.close();
      await fanout?.close();
      throw error;
    }
    adminPort = (admin.server.address() as AddressInfo).port;
  }

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    httpUrl: `http://${urlHost}:${port}`,
    wsUrl: `ws://${urlHost}:${port}/ws`,
    adminUrl: adminPort === null ? null : `http://127.0.0.1:${adminPort}`,
    port,
    adminPort,
    bus,
    faults,
    health,
    async close() {
      const closing = app.close();
      await Promise.all([bus.drain(), pattern.close?.()]);
      gateway.close();
      shedder.close();
      await Promise.all([closing, admin?.close(), fanout?.close()]);
    },
  };
}
