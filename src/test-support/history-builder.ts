import type { Message, MessageEventType } from '../chat/message.js';
import type { CompletionStatus, HistoryEvent, MetaEvent } from '../history/event.js';

/** Tests only: builds hand-made histories against a tiny model server, so a test states just what it breaks. */

export type Topology = MetaEvent['topology'];

/** Two rooms: `general` (alice, bob) and `secret` (alice only); clients c1 (alice) and c2 (bob). */
export const DEFAULT_TOPOLOGY: Topology = {
  rooms: [
    { id: 'general', members: ['alice', 'bob'] },
    { id: 'secret', members: ['alice'] },
  ],
  clients: [
    { id: 'c1', userId: 'alice' },
    { id: 'c2', userId: 'bob' },
  ],
};

export interface OpOptions {
  status?: CompletionStatus;
  /** Whether the model server applied it; by default everything but a `fail`. */
  applied?: boolean;
  httpStatus?: number;
  /** Milliseconds between invoke and complete (default 1). */
  latency?: number;
  /** Leave the op without a completion. */
  open?: boolean;
}

export class HistoryBuilder {
  /** The model server's documents, by id: what `snapshot()` and the default views and catch-ups show. */
  readonly db = new Map<string, Message>();
  private readonly events: HistoryEvent[];
  private readonly rooms = new Map<string, { seq: number; version: number }>();
  private time = 0;
  private nextOp = 0;
  private nextId = 0;

  constructor(readonly topology: Topology = DEFAULT_TOPOLOGY) {
    this.events = [
      {
        type: 'meta',
        formatVersion: 1,
        scenario: 'hand-made',
        pattern: 'decoupled',
        seed: 1,
        startedAt: '2026-01-01T00:00:00.000Z',
        database: { kind: 'test', version: '0', writeConcern: 'majority' },
        topology,
      },
    ];
  }

  /** Moves the clock (records are stamped with it; it only moves forward). */
  at(time: number): this {
    this.time = Math.max(this.time, time);
    return this;
  }

  send(process: string, roomId: string, text: string, options: OpOptions & { clientMsgId?: string } = {}): Message {
    const op = this.nextOp++;
    const clientMsgId = options.clientMsgId ?? `${process}-${op}`;
    this.push({ type: 'invoke', time: this.time, process, op, kind: 'send', roomId, clientMsgId, text });
    const applied = options.applied ?? options.status !== 'fail';
    const existing = [...this.db.values()].find(
      (m) => m.roomId === roomId && m.senderId === this.userOf(process) && m.clientMsgId === clientMsgId,
    );
    let message: Message;
    if (existing) message = existing;
    else {
      const counter = this.rooms.get(roomId) ?? { seq: 0, version: 0 };
      message = {
        id: `m${++this.nextId}`,
        roomId,
        senderId: this.userOf(process),
        clientMsgId,
        text,
        seq: counter.seq + 1,
        version: counter.version + 1,
        createdAt: '2026-01-01T00:00:01.000Z',
        editedAt: null,
        deletedAt: null,
      };
      if (applied) {
        this.rooms.set(roomId, { seq: message.seq, version: message.version });
        this.db.set(message.id, message);
      }
    }
    this.completeOp(process, op, message, { httpStatus: existing ? 200 : 201, ...options });
    return { ...message };
  }

  edit(process: string, target: Message, text: string, options: OpOptions = {}): Message {
    return this.change(process, 'edit', target, options, (m) => ({ ...m, text, editedAt: '2026-01-01T00:00:02.000Z' }), text);
  }

  remove(process: string, target: Message, options: OpOptions = {}): Message {
    return this.change(process, 'delete', target, options, (m) => ({ ...m, text: '', deletedAt: '2026-01-01T00:00:03.000Z' }));
  }

  broadcast(process: string, message: Message, event: MessageEventType = eventOf(message)): this {
    return this.push({ type: 'broadcast', time: this.time, process, event, message: { ...message } });
  }

  /** A catch-up page; by default the model's changes of the room after `after`, in version order. */
  catchup(process: string, roomId: string, reason: 'reconnect' | 'gap' | 'final', changes?: Message[], after = 0): this {
    const page = changes ?? this.roomMessages(roomId).filter((m) => m.version > after).sort((a, b) => a.version - b.version);
    const latestVersion = this.rooms.get(roomId)?.version ?? 0;
    return this.push({ type: 'catchup', time: this.time, process, roomId, after, reason, changes: page, latestVersion, hasMore: false });
  }

  /** A client's final view; by default the model's messages of every room its user is in, in seq order. */
  view(process: string, rooms?: Record<string, Message[]>): this {
    const userId = this.userOf(process);
    const shown =
      rooms ??
      Object.fromEntries(
        this.topology.rooms.filter((room) => room.members.includes(userId)).map((room) => [room.id, this.roomMessages(room.id)]),
      );
    const entries = Object.entries(shown).map(([roomId, messages]) => ({ roomId, messages: messages.map((m) => ({ ...m })) }));
    return this.push({ type: 'client-view', time: this.time, process, rooms: entries });
  }

  /** The database read; by default the model's documents. */
  snapshot(messages: Message[] = [...this.db.values()]): this {
    return this.push({ type: 'db-snapshot', time: this.time, messages: messages.map((m) => ({ ...m })) });
  }

  /** The usual end of a run: every client's default view, then the database read. */
  finish(): HistoryEvent[] {
    for (const client of this.topology.clients) this.view(client.id);
    return this.snapshot().build();
  }

  build(): HistoryEvent[] {
    return [...this.events];
  }

  roomMessages(roomId: string): Message[] {
    return [...this.db.values()].filter((m) => m.roomId === roomId).sort((a, b) => a.seq - b.seq);
  }

  private change(
    process: string,
    kind: 'edit' | 'delete',
    target: Message,
    options: OpOptions,
    apply: (message: Message) => Message,
    text?: string,
  ): Message {
    const op = this.nextOp++;
    this.push({ type: 'invoke', time: this.time, process, op, kind, roomId: target.roomId, messageId: target.id, ...(text === undefined ? {} : { text }) });
    const current = this.db.get(target.id) ?? target;
    const counter = this.rooms.get(target.roomId) ?? { seq: 0, version: 0 };
    const changed = { ...apply(current), version: counter.version + 1 };
    if (options.applied ?? options.status !== 'fail') {
      this.rooms.set(target.roomId, { ...counter, version: changed.version });
      this.db.set(changed.id, changed);
    }
    this.completeOp(process, op, changed, { httpStatus: 200, ...options });
    return { ...changed };
  }

  private completeOp(process: string, op: number, message: Message, options: OpOptions): void {
    if (options.open) return;
    const status = options.status ?? 'ok';
    this.time += options.latency ?? 1;
    const outcome =
      status === 'ok'
        ? { httpStatus: options.httpStatus ?? 200, message: { ...message } }
        : status === 'fail'
          ? { httpStatus: 500, error: { code: 'BROADCAST_FAILED', message: 'broadcast failed', outcome: 'not_applied' as const } }
          : { error: { code: 'TIMEOUT', message: 'no response in time', outcome: 'unknown' as const } };
    this.push({ type: 'complete', time: this.time, process, op, status, ...outcome });
  }

  private push(event: HistoryEvent): this {
    this.events.push(event);
    return this;
  }

  private userOf(process: string): string {
    return this.topology.clients.find((client) => client.id === process)?.userId ?? process;
  }
}

function eventOf(message: Message): MessageEventType {
  if (message.deletedAt !== null) return 'message.deleted';
  return message.editedAt !== null ? 'message.edited' : 'message.created';
}
