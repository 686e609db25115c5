import type { Message } from '../../chat/message.js';
import type { FaultEvent, HistoryEvent } from '../../history/event.js';
import type { InvariantId } from '../checker/verdict.js';
import type { FaultInstance } from '../generator/run-world.js';
import type { Scenario, ScenarioInputs } from '../scenario/scenario-schema.js';
import type { Database } from '../../mongo/database.js';
import type { TcpProxy } from '../../faults/tcp-proxy.js';
import type { CompletionStatus } from '../../history/event.js';

/**
 * The seam between the harness and a system under test (DESIGN.md §8). The harness (generator, nemesis, history,
 * checker) knows only these interfaces; the reference server in each pattern is one implementation
 * (`src/targets/reference/`), a third-party server another. The harness never imports `src/targets/`: the CLI hands
 * it factories, so a team's own target module plugs in the same way.
 */

/** What a target can do. A scenario that needs what a target lacks is skipped for it, with the reason. */
export interface TargetCapabilities {
  /** The system has an edit and a delete of a stored message. */
  edit: boolean;
  delete: boolean;
  /** The harness can SIGKILL the server and have it restarted (`server.crash`). */
  crash: boolean;
  /** In-server fault points the target can arm by name (`broadcast.throw`, `crash.after-save`, …). */
  faultPoints: readonly string[];
  /** The database can be killed and restarted (`db.kill`); true only where ackproof started it. */
  dbKill: boolean;
  /**
   * Where the harness's fault proxies sit: `client` (TCP proxy clients ↔ server: `ws.*` link faults), `frames` (the
   * WebSocket frame relay: `ws.drop-frames`, `ws.delay-frames`), `database` (server ↔ database: `db.*`), `broker`
   * (server ↔ broker: `broker.*`).
   */
  links: { client: boolean; frames: boolean; database: boolean; broker: boolean };
  /**
   * A substring that every live broadcast frame of this system carries and no other frame does, for the frame
   * faults (`ws.drop-frame`, …) when a scenario names no match of its own. Absent: the reference contract's frames
   * (a JSON object whose `type` is `message.created`, …). A system whose frames match neither should turn
   * `links.frames` off rather than pass frame scenarios that dropped nothing.
   */
  broadcastFrame?: { contains: string };
  /**
   * Invariants the system does not promise, each with the reason: they are reported as "not promised by <target>:
   * <reason>", never silently passed, never a FAIL.
   */
  notPromised: Partial<Record<InvariantId, string>>;
  /**
   * Invariants the system promises only outside some conditions, each with the reason: not promised in a scenario
   * that sets a `recoveryWindow` (its history made small on purpose, so that it is crossed), that allows one of the
   * `faults` named (e.g. a restart that clears an in-memory history), or that draws one of the idempotency-key
   * `keys` inputs named (e.g. `retryOtherText`: a key reused with another text). Elsewhere they are held to as usual.
   */
  notPromisedUnder?: {
    recoveryWindow?: Partial<Record<InvariantId, string>>;
    faults?: Partial<Record<string, Partial<Record<InvariantId, string>>>>;
    keys?: Partial<Record<keyof ScenarioInputs['keys'], Partial<Record<InvariantId, string>>>>;
  };
}

/** What one case asks a factory for. */
export interface TargetEnv {
  scenario: Scenario;
  /** The database ackproof started or was given (`MONGODB_URI`), for targets that use one. */
  database: Database;
  /** A database name of the case's own (^[a-zA-Z0-9_-]{1,63}$). */
  dbName: string;
  /** A directory of the case's own, removed with it. */
  dir: string;
  /** Server-side events the target observes (its own crash and restart): the runner records them. */
  emit: (event: Omit<FaultEvent, 'time'>) => void;
}

/** Makes a target for one case: `reference:outbox`, `centrifugo:redis`, or a team's module. */
export interface TargetFactory {
  /** `<kind>:<variant>`, e.g. `reference:outbox`; what reports and `--target` call it. */
  id: string;
  /** One line for `ackproof targets` and reports. */
  description: string;
  capabilities: TargetCapabilities;
  /** Starts the system (and its dependencies) on free loopback ports; resolves once it serves. */
  start(env: TargetEnv): Promise<Target>;
}

/** A running system under test, for one case (many property runs, each on fresh rooms). */
export interface Target {
  /**
   * Where clients' live connections go, one per node (a single-node system has one); the harness puts a client-link
   * proxy and frame relay in front of each and spreads clients over them.
   */
  readonly clientEndpoints: readonly { host: string; port: number }[];
  /** Proxies the target put between itself and its dependencies, for the nemesis (`db.*`, `broker.*`). */
  readonly links: { database?: TcpProxy; broker?: TcpProxy };
  /** For the history's meta line: the system's name and version, and its database when it has one. */
  describe(): TargetDescription;
  /** Makes these rooms (with their members) exist before a run uses them. */
  addRooms(rooms: readonly { id: string; members: readonly string[] }[]): Promise<void>;
  /** A client of the system acting as one user. `via` is where its live connection must go (the proxied endpoint). */
  client(spec: TargetClientSpec, via: ClientRoute): TargetClient;
  /** Resolves once the system serves (after a crash: once it was restarted). */
  whenUp(): Promise<void>;
  /** Resolves once the system's own asynchronous work (broadcasts, relays) has settled, or the deadline passed. */
  quiesce(deadlineMs: number, signal?: AbortSignal): Promise<void>;
  /** Every message of these rooms as the system's source of truth holds it, read after all faults healed. */
  snapshot(roomIds: readonly string[]): Promise<Message[]>;
  /**
   * Optional: the run that used these rooms is over and recorded, and no run uses them again; the target may drop
   * what it holds of them, so a case's later runs do not pay for its earlier ones (a store that scans its whole
   * collection, like FerretDB, gets slower with every run otherwise). Called after the run's clients closed.
   */
  retireRooms?(roomIds: readonly string[]): Promise<void>;
  /** Faults the target executes itself (server fault points, crash, database kill, broker restart). */
  readonly faults: TargetFaults;
  /** Stops everything it started; safe to call twice. `now`: kill at once (the suite was interrupted). */
  close(options?: { now?: boolean }): Promise<void>;
}

export interface TargetDescription {
  name: string;
  version: string;
  database?: { kind: string; version: string; writeConcern: string };
}

/** Target-executed faults; the harness's own proxies handle `ws.*`, `db.unreachable`-style link faults. */
export interface TargetFaults {
  handles(name: string): boolean;
  start(fault: FaultInstance): Promise<void>;
  heal(fault: FaultInstance): Promise<void>;
}

/** How a client reaches the system's live endpoint through the harness (label it so link faults can pick it). */
export interface ClientRoute {
  host: string;
  port: number;
  /** Index into `clientEndpoints` of the node this route leads to. */
  node: number;
  /** Put `?client=<label>` on the connection URL: the harness's proxy tells clients apart by it. */
  label: string;
}

export interface TargetClientSpec {
  /** The client's id in the history (`process`). */
  id: string;
  userId: string;
  rooms: readonly string[];
  /** Every event the client sees or causes; the runner records them. */
  emit: (event: HistoryEvent) => void;
  /** The run's clock and op-id allocator. */
  now: () => number;
  nextOp: () => number;
  requestTimeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  gapFill: boolean;
  /** Close a connection silent for this long (heartbeats count); 0 = never. */
  idleTimeoutMs: number;
  /** List each room twice when subscribing (a real client's sloppiness the server must take). */
  duplicateSubscriptions?: boolean;
}

/** The outcome of one client operation (the invoke/complete pair the client emitted). */
export interface TargetOpResult {
  status: CompletionStatus;
  message?: Message;
}

/**
 * One user's client. Operations emit `invoke` then `complete`; live deliveries `broadcast`; recovery `catchup`
 * (with `recovered` where the system claims it); connections `connection`; `finalSync` ends with `client-view`.
 */
export interface TargetClient {
  readonly connected: boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Resolves once `condition` holds (checked on every event), rejects after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs: number): Promise<unknown>;
  /**
   * Sends with this idempotency key (a retry of an unknown outcome reuses it), or a fresh one when none is given;
   * the result says which key was used.
   */
  send(roomId: string, text: string, options?: { clientMsgId?: string }): Promise<TargetOpResult & { clientMsgId: string }>;
  edit(roomId: string, messageId: string, text: string): Promise<TargetOpResult>;
  delete(roomId: string, messageId: string): Promise<TargetOpResult>;
  /** Reconnect if needed, recover everything missed, emit the client's final `client-view`. */
  finalSync(): Promise<unknown>;
  close(): Promise<void>;
}
