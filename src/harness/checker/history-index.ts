import type { Message } from '../../chat/message.js';
import type {
  CatchupEvent,
  ConnectionEvent,
  ClientViewEvent,
  CompleteEvent,
  DatabaseSnapshotEvent,
  HistoryEvent,
  InvokeEvent,
  MetaEvent,
  OpKind,
} from '../../history/event.js';

/** One client operation: its invoke and its completion (none if the run ended first, which counts as `info`). */
export interface Operation {
  op: number;
  kind: OpKind;
  process: string;
  invoke: InvokeEvent;
  complete: CompleteEvent | undefined;
  status: 'ok' | 'fail' | 'info';
}

/** A message as one client received it, live or by catch-up. */
export interface Receipt {
  process: string;
  time: number;
  message: Message;
  via: 'broadcast' | CatchupEvent['reason'];
}

/** An acknowledged (ok) send, one per message (a retried send acknowledged twice is one message). */
export interface AcknowledgedMessage {
  key: string;
  roomId: string;
  senderId: string;
  clientMsgId: string;
  /** The id the server gave in its acknowledgment, when it gave the message. */
  messageId: string | undefined;
  /** Every ok send of this message, first first. */
  ops: Operation[];
  /** Invoke time of the first acknowledged send. */
  sentTime: number;
}

/**
 * The history indexed once for all checkers and the measures: operations by id, acknowledged messages, every
 * receipt, the final database by id and by (roomId, clientMsgId), the client views, and the topology.
 * Built defensively: it reads whatever is there and leaves to each checker what is missing.
 */
export interface HistoryIndex {
  meta: MetaEvent | undefined;
  /** room id -> member user ids. */
  members: Map<string, Set<string>>;
  /** client id -> user id. */
  clientUser: Map<string, string>;
  operations: Operation[];
  acknowledged: AcknowledgedMessage[];
  receipts: Receipt[];
  catchups: CatchupEvent[];
  /** Every connection opened or closed, in history order. */
  connections: ConnectionEvent[];
  snapshot: DatabaseSnapshotEvent | undefined;
  dbById: Map<string, Message>;
  /** (roomId, senderId, clientMsgId) -> every document with that key (more than one is a duplicate). */
  dbByKey: Map<string, Message[]>;
  /** client id -> its final view (the last one recorded). */
  views: Map<string, ClientViewEvent>;
}

/** The idempotency key of a message: (roomId, senderId, clientMsgId) — a key belongs to its sender. */
export function messageKey(roomId: string, senderId: string, clientMsgId: string): string {
  return `${roomId}\u0000${senderId}\u0000${clientMsgId}`;
}

/** The user a client acts as (the topology's, else the client id itself). */
export function userOf(index: Pick<HistoryIndex, 'clientUser'>, process: string): string {
  return index.clientUser.get(process) ?? process;
}

/** The index of a history with nothing in it. */
export function emptyIndex(): HistoryIndex {
  return {
    meta: undefined,
    members: new Map(),
    clientUser: new Map(),
    operations: [],
    acknowledged: [],
    receipts: [],
    catchups: [],
    connections: [],
    snapshot: undefined,
    dbById: new Map(),
    dbByKey: new Map(),
    views: new Map(),
  };
}

export function indexHistory(history: readonly HistoryEvent[]): HistoryIndex {
  const index = emptyIndex();
  const byOp = new Map<number, Operation>();
  for (const event of history) {
    switch (event.type) {
      case 'meta':
        index.meta = event;
        for (const room of event.topology.rooms) index.members.set(room.id, new Set(room.members));
        for (const client of event.topology.clients) index.clientUser.set(client.id, client.userId);
        break;
      case 'invoke': {
        const operation: Operation = {
          op: event.op,
          kind: event.kind,
          process: event.process,
          invoke: event,
          complete: undefined,
          status: 'info',
        };
        byOp.set(event.op, operation);
        index.operations.push(operation);
        break;
      }
      case 'complete': {
        const operation = byOp.get(event.op);
        if (operation) {
          operation.complete = event;
          operation.status = event.status;
        }
        break;
      }
      case 'broadcast':
        index.receipts.push({ process: event.process, time: event.time, message: event.message, via: 'broadcast' });
        break;
      case 'connection':
        index.connections.push(event);
        break;
      case 'catchup':
        index.catchups.push(event);
        for (const message of event.changes) {
          index.receipts.push({ process: event.process, time: event.time, message, via: event.reason });
        }
        break;
      case 'client-view':
        index.views.set(event.process, event);
        break;
      case 'db-snapshot':
        index.snapshot = event;
        break;
      default:
        break;
    }
  }
  if (index.snapshot) {
    for (const message of index.snapshot.messages) {
      index.dbById.set(message.id, message);
      const key = messageKey(message.roomId, message.senderId, message.clientMsgId);
      index.dbByKey.set(key, [...(index.dbByKey.get(key) ?? []), message]);
    }
  }
  index.acknowledged = acknowledgedMessages(index);
  return index;
}

function acknowledgedMessages(index: HistoryIndex): AcknowledgedMessage[] {
  const byKey = new Map<string, AcknowledgedMessage>();
  for (const operation of index.operations) {
    const { invoke, complete } = operation;
    if (operation.kind !== 'send' || operation.status !== 'ok' || !complete) continue;
    // The key of the request, as the client sent it (an acknowledgment naming another key is the server's problem).
    const roomId = invoke.roomId;
    const senderId = userOf(index, operation.process);
    const clientMsgId = invoke.clientMsgId ?? complete.message?.clientMsgId ?? '';
    const key = messageKey(roomId, senderId, clientMsgId);
    const known = byKey.get(key);
    if (known) {
      known.ops.push(operation);
      known.messageId ??= complete.message?.id;
    } else {
      byKey.set(key, { key, roomId, senderId, clientMsgId, messageId: complete.message?.id, ops: [operation], sentTime: invoke.time });
    }
  }
  return [...byKey.values()];
}

/** The clients whose user is a member of the room (topology of the meta record). */
export function memberClients(index: HistoryIndex, roomId: string): string[] {
  const members = index.members.get(roomId);
  if (!members) return [];
  return [...index.clientUser].filter(([, userId]) => members.has(userId)).map(([client]) => client);
}

/** The database document of an acknowledged message: by the acknowledged id, else by its key. */
export function storedMessage(index: HistoryIndex, message: AcknowledgedMessage): Message | undefined {
  return (message.messageId && index.dbById.get(message.messageId)) || index.dbByKey.get(message.key)?.[0];
}

/** The messages of one room in a client's final view (empty when the view has no entry for the room). */
export function viewOfRoom(view: ClientViewEvent, roomId: string): Message[] {
  return view.rooms.filter((room) => room.roomId === roomId).flatMap((room) => room.messages);
}

/** Whether the client's final catch-up of this room never got an answer (its view of the room decides nothing). */
export function unreadRoom(index: Pick<HistoryIndex, 'views'>, client: string, roomId: string): boolean {
  return index.views.get(client)?.unread?.some((room) => room.roomId === roomId) ?? false;
}
