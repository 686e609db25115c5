import type { Message, MessageEventType } from '../chat/message.js';

/**
 * A history is a list of these plain records, one JSON object per line (`*.jsonl`), in the order they happened.
 * Jepsen-style: every client operation is an `invoke` followed later by exactly one `complete` with the same `op`
 * id (or none, if the run ended first: then it counts as `info`). `time` is milliseconds since the run started,
 * on the harness's clock. `process` is the client id that acted or observed.
 */
export type HistoryEvent =
  | MetaEvent
  | InvokeEvent
  | CompleteEvent
  | BroadcastEvent
  | CatchupEvent
  | ConnectionEvent
  | FaultEvent
  | ClientViewEvent
  | DatabaseSnapshotEvent;

export const HISTORY_FORMAT_VERSION = 1;

/** First line of every history: what was run, against what. */
export interface MetaEvent {
  type: 'meta';
  formatVersion: typeof HISTORY_FORMAT_VERSION;
  scenario: string;
  /** The reference pattern, or the target's variant (`redis` of `centrifugo:redis`). */
  pattern: string;
  /** The system under test, `<kind>:<variant>` (absent in histories written before targets existed). */
  target?: string;
  seed: number;
  /** fast-check replay path of this run, when it came from a property run. */
  path?: string;
  startedAt: string;
  database: { kind: string; version: string; writeConcern: string };
  /** Rooms and their member user ids; clients and the user each acts as. */
  topology: {
    rooms: { id: string; members: string[] }[];
    /** `node`: which of the target's nodes the client's live connection goes to (several nodes only). */
    clients: { id: string; userId: string; node?: number }[];
  };
}

export type OpKind = 'send' | 'edit' | 'delete';

export interface InvokeEvent {
  type: 'invoke';
  time: number;
  process: string;
  /** Unique per history; the matching `complete` carries the same id. */
  op: number;
  kind: OpKind;
  roomId: string;
  /** send: the idempotency key. A retry of an `info` send is a new op with the same clientMsgId. */
  clientMsgId?: string;
  /** edit, delete: the target message. */
  messageId?: string;
  /** send, edit: the text. Generated texts are unique within a run. */
  text?: string;
}

/** ok = acknowledged (2xx); fail = the server said `not_applied`; info = unknown (timeout, lost connection, `unknown`). */
export type CompletionStatus = 'ok' | 'fail' | 'info';

export interface CompleteEvent {
  type: 'complete';
  time: number;
  process: string;
  op: number;
  status: CompletionStatus;
  /** HTTP status when there was a response (201 created now, 200 already stored / edited / deleted). */
  httpStatus?: number;
  /** The server's message on 2xx. */
  message?: Message;
  /** The server's error body, or a client-side description of a timeout or dropped connection. */
  error?: { code: string; message: string; outcome?: 'not_applied' | 'unknown' };
}

/** A live WebSocket broadcast as one client received it. */
export interface BroadcastEvent {
  type: 'broadcast';
  time: number;
  process: string;
  event: MessageEventType;
  message: Message;
}

/** One page read from `GET /rooms/:roomId/changes` by a client. */
export interface CatchupEvent {
  type: 'catchup';
  time: number;
  process: string;
  roomId: string;
  after: number;
  reason: 'reconnect' | 'gap' | 'final';
  changes: Message[];
  latestVersion: number;
  hasMore: boolean;
  /**
   * What the system claimed about this recovery, where it claims anything (Centrifugo's and Socket.IO's
   * `recovered`): true promises every missed message is in `changes` (checked by honest recovery).
   */
  recovered?: boolean;
}

/** A client's WebSocket opened or closed (for whatever reason). */
export interface ConnectionEvent {
  type: 'connection';
  time: number;
  process: string;
  state: 'open' | 'closed';
  /** WebSocket close code and reason, when closed. */
  code?: number;
  reason?: string;
}

export interface FaultEvent {
  type: 'fault';
  time: number;
  /** e.g. `ws.reset`, `db.unreachable`, `broadcast.throw`, `server.crash`. */
  fault: string;
  phase: 'start' | 'heal';
  /** A client id, `all`, `server` or `database`. */
  target?: string;
  params?: Record<string, unknown>;
}

/**
 * What a client shows at the end of the run, after all faults healed and a final reconnect and catch-up: per room,
 * its messages in display order (deleted ones included as tombstones, with their final state).
 */
export interface ClientViewEvent {
  type: 'client-view';
  time: number;
  process: string;
  rooms: { roomId: string; messages: Message[] }[];
  /**
   * Rooms whose final catch-up never got an answer (the system refused or failed every read until the client gave
   * up): the view of those rooms is what the client had, not what the system could give; checkers leave them
   * undecided.
   */
  unread?: { roomId: string; error: string }[];
}

/** Every message document of the run's rooms, read from the database after all faults healed. */
export interface DatabaseSnapshotEvent {
  type: 'db-snapshot';
  time: number;
  messages: Message[];
}
