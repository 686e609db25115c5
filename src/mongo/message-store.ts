import { createHash } from 'node:crypto';
import { MongoClient, type Collection, type Db, type IndexDescription } from 'mongodb';
import type { Message, MessageEventType, RoomCursor } from '../chat/message.js';
import { messageEvent, type MessageEvent } from '../chat/message-event.js';
import type {
  BroadcastMark,
  ChangesPage,
  CreateResult,
  MessageStore,
  NewMessage,
  WriteOptions,
} from '../chat/message-store.port.js';
import { ChatError, ConflictError } from '../chat/chat-error.js';
import { readErrorOutcome, writeErrorOutcome } from './driver-error-outcome.js';
import { isDuplicateKey } from './duplicate-key.js';
import { KeyedMutex } from './keyed-mutex.js';
import { RoomCounters, type CounterDocument, type RoomNumbers } from './room-counters.js';
import { DEFAULT_WRITE_CONCERN, type WriteConcernSetting } from './write-concern.js';

/** One document per message (DESIGN.md §2): the Message, keyed by `_id`, with real dates. */
interface MessageDocument extends Omit<Message, 'id' | 'createdAt' | 'editedAt' | 'deletedAt'> {
  _id: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  /**
   * The outbox: true while the latest change (`broadcastEvent`) still has to be broadcast. Written by the same
   * single-document insert or update that makes the change, so a crash can never separate the two. Absent on
   * documents written by the other patterns.
   */
  pendingBroadcast?: boolean;
  broadcastEvent?: MessageEventType;
}

export interface MongoMessageStoreOptions {
  uri: string;
  dbName: string;
  writeConcern?: WriteConcernSetting;
  /** Fail fast when no server answers: such a write is certainly not applied. */
  serverSelectionTimeoutMS?: number;
  /** A reply that never comes ends as an error of unknown outcome instead of hanging the request. */
  socketTimeoutMS?: number;
}

/** Tries of one write whose seq/version turned out to be taken already. */
const MAX_ALLOCATION_ATTEMPTS = 5;

/**
 * The MessageStore on the official driver. A send is one insert: its `_id` is derived from the idempotency key (a
 * retry collides and gets the original), and its seq and version come from a block this process reserved in the
 * room's `counters` document (RoomCounters; no transactions, which FerretDB lacks). A room's writes run one at a
 * time in this process (KeyedMutex), so versions commit in allocation order and a changes reader never skips a late
 * commit. Limits, stated honestly: a second server process writing the same room, or a write whose outcome was
 * unknown and that commits later, can still commit out of order; a write that fails after its allocation, or a
 * crash with numbers still reserved, leaves a gap in seq/version (clients must tolerate gaps, and they never block
 * on one).
 */
export class MongoMessageStore implements MessageStore {
  private readonly roomLock = new KeyedMutex();
  private readonly counters: RoomCounters;

  private constructor(
    private readonly client: MongoClient,
    private readonly messages: Collection<MessageDocument>,
    counters: Collection<CounterDocument>,
    readonly writeConcern: WriteConcernSetting,
  ) {
    this.counters = new RoomCounters(counters);
  }

  static async open(options: MongoMessageStoreOptions): Promise<MongoMessageStore> {
    const writeConcern = options.writeConcern ?? DEFAULT_WRITE_CONCERN;
    const client = new MongoClient(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 3_000,
      socketTimeoutMS: options.socketTimeoutMS ?? 10_000,
      // Retries would hide the ambiguous outcomes the harness exists to observe (and need a replica set anyway).
      retryWrites: false,
    });
    try {
      await client.connect();
      const db: Db = client.db(options.dbName);
      const wc = { w: writeConcern.w, journal: writeConcern.j, wtimeoutMS: writeConcern.wtimeoutMS };
      const messages = db.collection<MessageDocument>('messages', { writeConcern: wc });
      const counters = db.collection<CounterDocument>('counters', { writeConcern: wc });
      await ensureIndexes(messages);
      return new MongoMessageStore(client, messages, counters, writeConcern);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  create(input: NewMessage, options: WriteOptions = {}): Promise<CreateResult> {
    const id = messageId(input.roomId, input.clientMsgId);
    return this.roomLock.run(input.roomId, () =>
      this.allocating<CreateResult>(input.roomId, true, 'send', 0, async ({ seq, version }) => {
        const doc: MessageDocument = {
          _id: id,
          ...input,
          seq,
          version,
          createdAt: new Date(),
          editedAt: null,
          deletedAt: null,
          ...outboxFields('message.created', options),
        };
        try {
          await this.messages.insertOne(doc);
          return { result: { message: toMessage(doc), created: true }, used: true };
        } catch (error) {
          // A retry (or a twin sent to another server) finds the original: nothing is taken, no gap is left.
          if (isDuplicateKey(error)) {
            const original = await this.read('send', () => this.messages.findOne({ _id: id }));
            if (original) return { result: { message: toMessage(original), created: false }, used: false };
          }
          throw error;
        }
      }),
    );
  }

  edit(roomId: string, id: string, text: string, options: WriteOptions = {}): Promise<Message | null> {
    return this.change(roomId, id, 'edit', (now) => ({ text, editedAt: now, ...outboxFields('message.edited', options) }));
  }

  softDelete(roomId: string, id: string, options: WriteOptions = {}): Promise<Message | null> {
    return this.change(roomId, id, 'delete', (now) => ({ text: '', deletedAt: now, ...outboxFields('message.deleted', options) }));
  }

  async find(roomId: string, id: string): Promise<Message | null> {
    const doc = await this.byId(id, roomId, 'find');
    return doc ? toMessage(doc) : null;
  }

  /**
   * latestVersion is the room's latest version read *before* the page, raised to the last change returned: when
   * `hasMore` is false every change up to it has been returned, so a reader may continue after it safely.
   */
  async changesAfter(roomId: string, afterVersion: number, limit: number): Promise<ChangesPage> {
    const before = await this.latest(roomId, 'version');
    const docs = await this.read('changes', () =>
      this.messages.find({ roomId, version: { $gt: afterVersion } }).sort({ version: 1 }).limit(limit + 1).toArray(),
    );
    const hasMore = docs.length > limit;
    const changes = docs.slice(0, limit).map(toMessage);
    const last = changes.at(-1)?.version ?? 0;
    return { changes, latestVersion: Math.max(before, last), hasMore };
  }

  async cursor(roomId: string): Promise<RoomCursor> {
    const [latestSeq, latestVersion] = await Promise.all([this.latest(roomId, 'seq'), this.latest(roomId, 'version')]);
    return { roomId, latestSeq, latestVersion };
  }

  async pendingBroadcasts(limit: number): Promise<MessageEvent[]> {
    const docs = await this.read('pending broadcasts', () =>
      this.messages.find({ pendingBroadcast: true }).sort({ roomId: 1, version: 1 }).limit(limit).toArray(),
    );
    return docs.map((doc) => messageEvent(doc.broadcastEvent ?? 'message.created', toMessage(doc)));
  }

  async markBroadcast(marks: readonly BroadcastMark[]): Promise<number> {
    if (marks.length === 0) return 0;
    try {
      // One update for the page (on FerretDB several times cheaper than a bulk of single updates); each mark
      // matches only the version that was broadcast. The `_id $in`, implied by the `$or`, makes FerretDB about six
      // times faster: it scans either way, but tests the `$in` before the branches.
      const result = await this.messages.updateMany(
        { _id: { $in: marks.map(({ id }) => id) }, pendingBroadcast: true, $or: marks.map(({ id, version }) => ({ _id: id, version })) },
        { $set: { pendingBroadcast: false } },
      );
      return result.modifiedCount;
    } catch (error) {
      throw writeErrorOutcome(error, 'marking broadcasts');
    }
  }

  countPendingBroadcasts(): Promise<number> {
    return this.read('counting pending broadcasts', () => this.messages.countDocuments({ pendingBroadcast: true }));
  }

  async all(roomId: string): Promise<Message[]> {
    const docs = await this.read('all', () => this.messages.find({ roomId }).sort({ seq: 1 }).toArray());
    return docs.map(toMessage);
  }

  async close(): Promise<void> {
    // Unused reserved numbers go back, so a restart continues without a gap.
    await Promise.all(this.counters.roomIds().map((roomId) => this.roomLock.run(roomId, () => this.counters.release(roomId))));
    await this.client.close();
  }

  /**
   * An edit or delete: the message's next version must be above its current one, also when another writer process
   * changed it meanwhile, so the update matches only the version it read, and reads again if that moved.
   */
  private change(
    roomId: string,
    id: string,
    what: string,
    fields: (now: Date) => Partial<MessageDocument>,
  ): Promise<Message | null> {
    return this.roomLock.run(roomId, async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await this.byId(id, roomId, what);
        if (!current) return null;
        if (current.deletedAt !== null) return toMessage(current);
        const updated = await this.allocating(roomId, false, what, current.version, async ({ version }) => {
          const doc = await this.messages.findOneAndUpdate(
            { _id: id, version: current.version, deletedAt: null },
            { $set: { ...fields(new Date()), version } },
            { returnDocument: 'after' },
          );
          return { result: doc, used: doc !== null };
        });
        if (updated) return toMessage(updated);
        if (attempt >= MAX_ALLOCATION_ATTEMPTS) {
          throw new ConflictError('CONCURRENT_CHANGE', `${what}: the message kept changing under another writer; nothing was written`);
        }
      }
    });
  }

  /**
   * Runs a write with the room's next seq/version, above `versionFloor`. A write that certainly did not happen (a
   * retry that found the original, an edit of a vanished message) leaves its numbers for the next one; any other
   * outcome, a failure included (its outcome can be unknown), uses them up. A duplicate key on the numbers means
   * the counters lag the messages (a reset counter): drop this process's blocks and reserve again, a few times.
   */
  private async allocating<T>(
    roomId: string,
    withSeq: boolean,
    what: string,
    versionFloor: number,
    write: (numbers: RoomNumbers) => Promise<{ result: T; used: boolean }>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let numbers: RoomNumbers;
      try {
        numbers = await this.counters.peek(roomId, withSeq, this.roomLock.load(roomId));
      } catch (error) {
        // Its failure leaves the message unwritten: not_applied.
        throw readErrorOutcome(error, 'allocating seq/version');
      }
      if (numbers.version <= versionFloor) {
        // Another writer process reserved (and used) numbers above this process's block: reserve past them.
        this.counters.forget(roomId);
        if (attempt < MAX_ALLOCATION_ATTEMPTS) continue;
        throw new ConflictError('CONCURRENT_CHANGE', `${what}: other writers kept taking the room's versions; nothing was written`);
      }
      try {
        const { result, used } = await write(numbers);
        if (used) this.counters.take(roomId, numbers);
        return result;
      } catch (error) {
        if (isDuplicateKey(error)) {
          this.counters.forget(roomId);
          if (attempt < MAX_ALLOCATION_ATTEMPTS) continue;
        } else {
          this.counters.take(roomId, numbers);
        }
        throw error instanceof ChatError ? error : writeErrorOutcome(error, what);
      }
    }
  }

  private async latest(roomId: string, field: 'seq' | 'version'): Promise<number> {
    const doc = await this.read('cursor', () =>
      this.messages.find({ roomId }).sort({ [field]: -1 }).limit(1).project<{ seq: number; version: number }>({ [field]: 1 }).toArray(),
    );
    return doc[0]?.[field] ?? 0;
  }

  /**
   * A message of a room by id. The filter is `{_id}` alone, the one FerretDB on SQLite answers from an index (any
   * other filter scans the collection); the room is checked here.
   */
  private async byId(id: string, roomId: string, what: string): Promise<MessageDocument | null> {
    const doc = await this.read(what, () => this.messages.findOne({ _id: id }));
    return doc?.roomId === roomId ? doc : null;
  }

  private async read<T>(what: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw readErrorOutcome(error, what);
    }
  }
}

const INDEXES: (IndexDescription & { name: string })[] = [
  { key: { roomId: 1, clientMsgId: 1 }, name: 'room_clientMsgId', unique: true },
  { key: { roomId: 1, seq: 1 }, name: 'room_seq', unique: true },
  { key: { roomId: 1, version: 1 }, name: 'room_version' },
  // The outbox relay's query (FerretDB has no partial indexes, so a plain one on the flag).
  { key: { pendingBroadcast: 1, roomId: 1, version: 1 }, name: 'pending_broadcast' },
];

/**
 * Creates the missing indexes only: FerretDB v1.24.2 panics (and drops the connection) on a createIndexes that
 * names indexes which already exist, as a restarted server's would. Servers started together on a fresh database
 * race: both see the indexes missing, one creates them and the other's connection is dropped. So a failed attempt
 * looks again; it is only an error when the indexes are still missing after a few tries.
 */
async function ensureIndexes(messages: Collection<MessageDocument>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const existing = new Set(
      (await messages.listIndexes().toArray().catch(() => [] as { name?: string }[])).map((index) => index.name),
    );
    const missing = INDEXES.filter((index) => !existing.has(index.name));
    if (missing.length === 0) return;
    try {
      await messages.createIndexes(missing);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/**
 * A message's id, derived from its idempotency key: a send and its retries look the message up by `_id` (an index
 * lookup even on FerretDB) instead of by `(roomId, clientMsgId)` (a collection scan there, slower with every message).
 */
function messageId(roomId: string, clientMsgId: string): string {
  const hex = createHash('sha256').update(roomId).update('\u0000').update(clientMsgId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The outbox fields of a write that records its pending broadcast; none otherwise. */
function outboxFields(type: MessageEventType, options: WriteOptions): Pick<MessageDocument, 'pendingBroadcast' | 'broadcastEvent'> {
  return options.pendingBroadcast === true ? { pendingBroadcast: true, broadcastEvent: type } : {};
}

function toMessage(doc: MessageDocument): Message {
  return {
    id: doc._id,
    roomId: doc.roomId,
    senderId: doc.senderId,
    clientMsgId: doc.clientMsgId,
    text: doc.text,
    seq: doc.seq,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    editedAt: doc.editedAt?.toISOString() ?? null,
    deletedAt: doc.deletedAt?.toISOString() ?? null,
  };
}
