import { TcpProxy } from '../faults/tcp-proxy.js';
import type { HistoryEvent } from '../history/event.js';
import type { ClientRoute, Target, TargetClient, TargetEnv, TargetFactory } from '../harness/sut/target.js';
import { scenarioSchema } from '../harness/scenario/scenario-schema.js';
import { TempDir } from '../proc/temp-dir.js';
import { mongoUri, uniqueDatabaseName } from './test-database.js';

/**
 * Tests only: a target started the way the runner starts one (a TargetEnv on the test run's database, a database
 * and a temp dir of its own), and clients sharing one history, clock and op counter. Clients connect straight to a
 * node's endpoint (no harness proxy) unless a route is given. `close()` in an afterEach/afterAll.
 */
export class TargetUnderTest {
  private readonly clients: TargetClient[] = [];
  private readonly proxies: TcpProxy[] = [];
  private op = 0;

  private constructor(
    readonly target: Target,
    private readonly dir: TempDir,
    /** Everything the clients and the target recorded, in order. */
    readonly history: HistoryEvent[],
    private readonly startedAt: number,
  ) {}

  static async start(label: string, start: TargetFactory['start'], rooms: { id: string; members: string[] }[]): Promise<TargetUnderTest> {
    const dir = TempDir.create('ackproof-target-test-');
    const startedAt = Date.now();
    const history: HistoryEvent[] = [];
    const env: TargetEnv = {
      scenario: scenarioSchema.parse({
        name: 'target-test',
        description: `${label} (test)`,
        topology: { rooms },
        workload: { ops: 2, mix: { send: 1, edit: 0, delete: 0, fault: 0 } },
        faults: [],
        runs: 1,
      }),
      database: { kind: 'uri', uri: mongoUri(), version: 'test run database', description: 'the test run database', stop: async () => undefined },
      dbName: uniqueDatabaseName(label),
      dir: dir.path,
      // Server-side events (a node's crash and restart) share the clients' history.
      emit: (event) => history.push({ ...event, time: Date.now() - startedAt }),
    };
    let target: Target;
    try {
      target = await start(env);
      await target.addRooms(rooms);
    } catch (error) {
      dir.remove();
      throw error;
    }
    return new TargetUnderTest(target, dir, history, startedAt);
  }

  /** A client as `user` in `rooms`, its live connection to `node` (or through `via`). */
  client(user: string, rooms: string[], options: { node?: number; via?: ClientRoute; requestTimeoutMs?: number; retries?: number } = {}): TargetClient {
    const id = `${user}-${this.clients.length}`;
    const endpoint = this.target.clientEndpoints[options.node ?? 0];
    if (!endpoint) throw new Error(`the target has no node ${options.node}`);
    const via = options.via ?? { ...endpoint, node: options.node ?? 0, label: id };
    const client = this.target.client(
      {
        id,
        userId: user,
        rooms,
        emit: (event) => this.history.push(event),
        now: () => Date.now() - this.startedAt,
        nextOp: () => ++this.op,
        requestTimeoutMs: options.requestTimeoutMs ?? 3_000,
        retries: options.retries ?? 0,
        retryBackoffMs: 50,
        gapFill: false,
        idleTimeoutMs: 0,
      },
      via,
    );
    this.clients.push(client);
    return client;
  }

  /**
   * A client whose live connection goes through a client-link proxy of its own before `node`, as the harness puts
   * one (labelled by `?client=`), for cutting its link: see `cutLink`.
   */
  async proxiedClient(user: string, rooms: string[], node = 0): Promise<{ id: string; client: TargetClient; link: TcpProxy }> {
    const endpoint = this.target.clientEndpoints[node];
    if (!endpoint) throw new Error(`the target has no node ${node}`);
    const link = await TcpProxy.start({ name: `ws-${user}`, upstream: endpoint, labelFromQueryParam: 'client' });
    this.proxies.push(link);
    const id = `${user}-${this.clients.length}`;
    return { id, client: this.client(user, rooms, { via: { ...link.address, node, label: id } }), link };
  }

  /** Resets the client's link and refuses new connections until `link.setEnabled(true)`; resolves once the client saw it close. */
  async cutLink(id: string, client: TargetClient, link: TcpProxy, timeoutMs: number): Promise<void> {
    const closedBefore = this.eventsOf(id, 'connection').filter((e) => e.state === 'closed').length;
    await link.setEnabled(false);
    await client.waitFor(() => this.eventsOf(id, 'connection').filter((e) => e.state === 'closed').length > closedBefore, timeoutMs);
  }

  /** Ids of the messages this client received by live broadcast, in order. */
  broadcastIds(process: string): string[] {
    return this.eventsOf(process, 'broadcast').map((e) => e.message.id);
  }

  /** This client's recorded events of one type. */
  eventsOf<T extends HistoryEvent['type']>(process: string, type: T): Extract<HistoryEvent, { type: T }>[] {
    return this.history.filter((e): e is Extract<HistoryEvent, { type: T }> => e.type === type && 'process' in e && e.process === process);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.clients.splice(0).map((c) => c.close()));
    await Promise.allSettled(this.proxies.splice(0).map((p) => p.close()));
    await this.target.close();
    this.dir.remove();
  }
}
