import { LRUCache } from 'lru-cache';
import { MongoClient, type Collection, type Db } from 'mongodb';
import type { Message, MessageEventType, RoomCursor } from '../chat/message.js';
import { messageEvent } from '../chat/message-event.js';
import type {
  BroadcastMark,
  ChangeResult,
  ChangesPage,
  PendingChange,
  CreateResult,
  MessageStore,
  NewMessage,
  WriteOptions,
} from '../chat/message-store.port.js';
import { ConflictError, StoreContendedError } from '../chat/chat-error.js';
import { ensureChangeLogIndexes } from './change-log/change-log-indexes.js';
import { CHANGES_COLLECTION, messageIdOf, recordId, toMessage, type ChangeRecord } from './change-log/change-record.js';
import { contentionPause } from './change-log/contention-pause.js';
import { RoomPositions, type RoomNumbers } from './change-log/room-positions.js';
import { DatabaseCircuit } from './database-circuit.js';
import { readErrorOutcome, writeErrorOutcome } from './driver-error-outcome.js';
import { KeyedBatches, type BatchEntry } from './keyed-batches.js';
import { KeyedMutex } from './keyed-mutex.js';
import { GroupCommit } from './change-log/group-commit.js';
import { orderedInsert } from './change-log/ordered-insert.js';
import { DEFAULT_WRITE_CONCERN, type WriteConcernSetting } from './write-concern.js';

export interface MongoMessageStoreOptions {
  uri: string;
  dbName: string;
  writeConcern?: WriteConcernSetting;
  /** Fail fast when no server answers: such a write is certainly not applied. */
  serverSelectionTimeoutMS?: number;
  /** A reply that never comes ends as an error of unknown outcome instead of hanging the request. */
  socketTimeoutMS?: number;
  /** How often the driver checks the server (and so how soon it sees it come back after an outage). */
  heartbeatFrequencyMS?: number;
  /** Connect timeout, and the time a heartbeat may take before the server is declared down. */
  connectTimeoutMS?: number;
}

/**
 * Tries of one write whose numbers another writer process took meanwhile (with a growing random pause between them,
 * about a second in all), or whose message another process changed meanwhile.
 */
const MAX_ATTEMPTS = 12;
/** Heads and record ids remembered per process: a miss costs a few `_id` lookups, never correctness. */
const CACHE_ENTRIES = 100_000;
/** A room's sends written in one round trip at most. */
const MAX_BATCH = 256;

/** A send waiting for its room's next batch. */
interface SendRequest {
  input: NewMessage;
  options: WriteOptions;
  messageId: string;
}

/**
 * The MessageStore on the official driver, as an append-only change log (one insert per send, edit and delete;
 * see ChangeRecord for its unique keys). Every concurrent write, from this process or another, is decided by an
 * insert that a unique index accepts or refuses — the one write that is atomic on MongoDB *and* on FerretDB, whose
 * updates are read-modify-write without isolation (`ackproof probe-db`). Nothing is ever updated but the outbox's
 * pending flag, which only relays clear, so no write can overwrite another's change.
 *
 * A room's writes run one at a time in this process (KeyedMutex) so they do not race each other for the same
 * version; the sends that wait meanwhile go as one batch, and batches of different rooms share one ordered insert
 * (group commit: one round trip, and on FerretDB one transaction, for many sends, each still decided by its own
 * keys). Writes from other processes are refused by the indexes and retried with fresh numbers. Versions commit
 * in order and without holes (RoomPositions), so `changesAfter` never lets a reader skip a late commit.
 */
export class MongoMessageStore implements MessageStore {
  private readonly roomLock = new KeyedMutex();
  /** Every insert of this process goes through it: concurrent writes (of different rooms) share a round trip. */
  private readonly commit = new GroupCommit<ChangeRecord>((records) => orderedInsert(this.changes, records));
  private readonly sends = new KeyedBatches<SendRequest, CreateResult>(this.roomLock, (roomId, batch) => this.writeSends(roomId, batch), MAX_BATCH);
  private readonly positions = new RoomPositions((roomId) => this.latestNumbers(roomId));
  /** message id -> the highest rev seen: where the walk to a message's current state starts. */
  private readonly heads = new LRUCache<string, number>({ max: CACHE_ENTRIES });
  /** `<message id>@<version>` -> the change's record id, so the outbox's marks name records by `_id`. */
  private readonly recordIds = new LRUCache<string, string>({ max: CACHE_ENTRIES });

  private constructor(
    private readonly client: MongoClient,
    private readonly changes: Collection<ChangeRecord>,
    readonly writeConcern: WriteConcernSetting,
  ) {}

  static async open(options: MongoMessageStoreOptions): Promise<MongoMessageStore> {
    const writeConcern = options.writeConcern ?? DEFAULT_WRITE_CONCERN;
    // How long a request can wait on a database outage: see DatabaseCircuit and the README ("Database outages").
    const client = new MongoClient(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 2_000,
      socketTimeoutMS: options.socketTimeoutMS ?? 10_000,
      heartbeatFrequencyMS: options.heartbeatFrequencyMS ?? 1_000,
      connectTimeoutMS: options.connectTimeoutMS ?? 2_000,
      // Retries would hide the ambiguous outcomes the harness exists to observe (and need a replica set anyway).
      retryWrites: false,
    });
    const circuit = new DatabaseCircuit(client);
    try {
      await client.connect();
      const db: Db = client.db(options.dbName);
      const wc = { w: writeConcern.w, journal: writeConcern.j, wtimeoutMS: writeConcern.wtimeoutMS };
      const changes = db.collection<ChangeRecord>(CHANGES_COLLECTION, { writeConcern: wc });
      await ensureChangeLogIndexes(changes);
      // Every command of the store fails at once while the driver knows the database is down.
      return new MongoMessageStore(client, circuit.guard(changes), writeConcern);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * A send: the record at rev 0 of the message its key names. A retry finds that record (`created: false`, the
   * message as it is now); the same key with another text is refused: a key names one message. Sends to a room
   * that arrive while its previous write is in flight are written together (KeyedBatches, GroupCommit).
   */
  create(input: NewMessage, options: WriteOptions = {}): Promise<CreateResult> {
    return this.sends.add(input.roomId, { input, options, messageId: messageIdOf(input.roomId, input.senderId, input.clientMsgId) });
  }

  /**
   * A room's waiting sends, numbered in arrival order and inserted in one ordered round trip. Each is answered by
   * its own record's outcome: inserted (acknowledged: the round trip's write concern covers it), refused by its
   * `_id` (a retry: the original), or refused by the room's numbers (another writer process took them: numbers
   * read again after a pause); those after a refusal were not attempted and go again with the next numbers.
   */
  private async writeSends(roomId: string, batch: BatchEntry<SendRequest, CreateResult>[]): Promise<void> {
    let todo = batch;
    for (let attempt = 1; todo.length > 0; ) {
      const { seq, version } = await this.numbers(roomId);
      const now = new Date();
      const records = todo.map(({ item: { input, options, messageId } }, i): ChangeRecord => ({
        _id: recordId(messageId, 0),
        messageId,
        rev: 0,
        event: 'message.created',
        ...input,
        seq: seq + i,
        version: version + i,
        createdAt: now,
        editedAt: null,
        deletedAt: null,
        ...pending(options),
      }));
      const outcomes = await this.commit.submit(records).catch((error: unknown) => {
        throw writeErrorOutcome(error, 'send');
      });
      const again: typeof todo = [];
      let contended = false;
      for (const [i, outcome] of outcomes.entries()) {
        const entry = todo[i]!;
        const record = records[i]!;
        if (outcome.kind === 'inserted') {
          this.inserted(record);
          entry.resolve({ message: toMessage(record), created: true });
        } else if (outcome.kind === 'failed') {
          entry.reject(writeErrorOutcome(outcome.error, 'send'));
        } else if (outcome.kind === 'unattempted') {
          again.push(entry);
        } else {
          const original = await this.byId(record._id, 'send');
          if (original) this.answerRetry(entry, original);
          else {
            contended = true;
            again.push(entry);
          }
        }
      }
      if (contended) await this.contended(roomId, attempt++, 'send');
      todo = again;
    }
  }

  /** A send whose key was stored already: the message as it is now, unless the key came with another text. */
  private answerRetry(entry: BatchEntry<SendRequest, CreateResult>, original: ChangeRecord): void {
    const { input, messageId } = entry.item;
    if (original.text !== input.text) {
      entry.reject(
        new ConflictError(
          'IDEMPOTENCY_KEY_REUSED',
          `clientMsgId "${input.clientMsgId}" already names another message of yours in this room (with another text); nothing was written`,
        ),
      );
      return;
    }
    this.head(messageId, 'send').then(
      (current) => entry.resolve({ message: toMessage(current ?? original), created: false }),
      entry.reject,
    );
  }

  edit(roomId: string, id: string, text: string, options: WriteOptions = {}): Promise<ChangeResult | null> {
    return this.change(roomId, id, 'edit', 'message.edited', options, (now) => ({ text, editedAt: now }));
  }

  softDelete(roomId: string, id: string, options: WriteOptions = {}): Promise<ChangeResult | null> {
    return this.change(roomId, id, 'delete', 'message.deleted', options, (now) => ({ text: '', deletedAt: now }));
  }

  async find(roomId: string, id: string): Promise<Message | null> {
    const head = await this.head(id, 'find');
    return head?.roomId === roomId ? toMessage(head) : null;
  }

  /**
   * Every change with a version above `afterVersion`, ascending, each as the message was at that change (a message
   * changed twice appears twice; the last is its current state). latestVersion is the room's latest version read
   * *before* the page, raised to the last change returned: versions commit in order, so when `hasMore` is false
   * every change up to it has been returned and a reader may continue after it.
   */
  async changesAfter(roomId: string, afterVersion: number, limit: number): Promise<ChangesPage> {
    const before = await this.latest(roomId, 'version');
    const records = await this.read('changes', () =>
      this.changes.find({ roomId, version: { $gt: afterVersion } }).sort({ version: 1 }).limit(limit + 1).toArray(),
    );
    const hasMore = records.length > limit;
    const changes = records.slice(0, limit).map(toMessage);
    const last = changes.at(-1)?.version ?? 0;
    return { changes, latestVersion: Math.max(before, last), hasMore };
  }

  async cursor(roomId: string): Promise<RoomCursor> {
    const { seq, version } = await this.latestNumbers(roomId);
    return { roomId, latestSeq: seq, latestVersion: version };
  }

  async pendingBroadcasts(limit: number): Promise<PendingChange[]> {
    const records = await this.read('pending broadcasts', () =>
      this.changes.find({ pendingBroadcast: true }).sort({ roomId: 1, version: 1 }).limit(limit).toArray(),
    );
    return records.map((record) => {
      this.recordIds.set(markKey(record.messageId, record.version), record._id);
      const changedAt = Math.max(...[record.createdAt, record.editedAt, record.deletedAt].map((at) => at?.getTime() ?? 0));
      return { event: messageEvent(record.event, toMessage(record)), origin: record.origin ?? null, changedAt };
    });
  }

  /**
   * One update for the page. Records never change otherwise, so this read-modify-write (on FerretDB) cannot undo
   * anyone's change; two relays clearing one flag write the same thing.
   */
  async markBroadcast(marks: readonly BroadcastMark[]): Promise<number> {
    if (marks.length === 0) return 0;
    const known: string[] = [];
    const unknown: { messageId: string; version: number }[] = [];
    for (const { id, version } of marks) {
      const recordId = this.recordIds.get(markKey(id, version));
      if (recordId === undefined) unknown.push({ messageId: id, version });
      else known.push(recordId);
    }
    const byId = { _id: { $in: known } };
    const filter = unknown.length === 0 ? byId : { $or: [byId, ...unknown] };
    try {
      const result = await this.changes.updateMany({ pendingBroadcast: true, ...filter }, { $set: { pendingBroadcast: false } });
      for (const { id, version } of marks) this.recordIds.delete(markKey(id, version));
      return result.modifiedCount;
    } catch (error) {
      throw writeErrorOutcome(error, 'marking broadcasts');
    }
  }

  countPendingBroadcasts(): Promise<number> {
    return this.read('counting pending broadcasts', () => this.changes.countDocuments({ pendingBroadcast: true }));
  }

  /** Insert round trips this store made, and the records they wrote: how much group commit shared. */
  insertStats(): { roundTrips: number; records: number } {
    return { ...this.commit.stats };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * An edit or delete: the record after the message's current one. If another writer appended that record first,
   * its change is read and this one is made on top of it; a tombstone is never changed again.
   */
  private change(
    roomId: string,
    id: string,
    what: string,
    event: MessageEventType,
    options: WriteOptions,
    fields: (now: Date) => Pick<ChangeRecord, 'text'> & Partial<Pick<ChangeRecord, 'editedAt' | 'deletedAt'>>,
  ): Promise<ChangeResult | null> {
    return this.roomLock.run(roomId, async () => {
      for (let attempt = 1; ; attempt++) {
        const head = await this.head(id, what);
        if (!head || head.roomId !== roomId) return null;
        if (head.deletedAt !== null) return { message: toMessage(head), changed: false };
        const { version } = await this.numbers(roomId);
        const { pendingBroadcast: _pending, origin: _origin, ...state } = head;
        const record: ChangeRecord = {
          ...state,
          ...fields(new Date()),
          _id: recordId(id, head.rev + 1),
          rev: head.rev + 1,
          version,
          event,
          ...pending(options),
        };
        if (await this.insert(record, what)) {
          this.heads.set(id, record.rev);
          return { message: toMessage(record), changed: true };
        }
        // Another process changed the message first: make this change on top of that one.
        if (await this.byId(record._id, what)) {
          this.heads.delete(id);
          if (attempt >= MAX_ATTEMPTS) throw new ConflictError('CONCURRENT_CHANGE', `${what}: the message kept changing under other writers; nothing was written`);
        } else {
          await this.contended(roomId, attempt, what);
        }
      }
    });
  }

  /**
   * Another writer process took the room's next seq or version. Read the log's latest again after a random pause:
   * the process that won goes on writing at once, so an immediate retry would keep losing while it has work queued.
   */
  private async contended(roomId: string, attempt: number, what: string): Promise<void> {
    this.positions.forget(roomId);
    if (attempt >= MAX_ATTEMPTS) {
      throw new StoreContendedError(`${what}: other server processes kept taking room "${roomId}"'s next numbers; nothing was written, retry`);
    }
    await contentionPause(attempt);
  }

  /** True when inserted; false when a unique index refused it (nothing written). Other failures are ChatErrors. */
  private async insert(record: ChangeRecord, what: string): Promise<boolean> {
    for (;;) {
      const [outcome] = await this.commit.submit([record]).catch((error: unknown) => {
        throw writeErrorOutcome(error, what);
      });
      switch (outcome?.kind) {
        case 'inserted':
          this.inserted(record);
          return true;
        case 'refused':
          return false;
        case 'failed':
          throw writeErrorOutcome(outcome.error, what);
        // Another writer's refusal earlier in the shared round trip stopped it before this record: try again.
      }
    }
  }

  /** A record of this process is in the log: the room's next numbers go on after it. */
  private inserted(record: ChangeRecord): void {
    this.positions.used(record.roomId, record.version, record.rev === 0 ? record.seq : undefined);
    this.recordIds.set(markKey(record.messageId, record.version), record._id);
  }

  /** A message's current state: its records followed by `_id` (the one lookup FerretDB serves from an index). */
  private async head(messageId: string, what: string): Promise<ChangeRecord | null> {
    let head = await this.byId(recordId(messageId, this.heads.get(messageId) ?? 0), what);
    if (!head) return null;
    for (;;) {
      const next = await this.byId(recordId(messageId, head.rev + 1), what);
      if (!next) break;
      head = next;
    }
    this.heads.set(messageId, head.rev);
    return head;
  }

  private byId(id: string, what: string): Promise<ChangeRecord | null> {
    return this.read(what, () => this.changes.findOne({ _id: id }));
  }

  /** The numbers to try for the room's next write (a failed read of them leaves the write unmade: not_applied). */
  private numbers(roomId: string): Promise<RoomNumbers> {
    return this.positions.next(roomId);
  }

  private async latestNumbers(roomId: string): Promise<RoomNumbers> {
    const [seq, version] = await Promise.all([this.latest(roomId, 'seq'), this.latest(roomId, 'version')]);
    return { seq, version };
  }

  private async latest(roomId: string, field: 'seq' | 'version'): Promise<number> {
    const records = await this.read('cursor', () =>
      this.changes.find({ roomId }).sort({ [field]: -1 }).limit(1).project<RoomNumbers>({ [field]: 1 }).toArray(),
    );
    return records[0]?.[field] ?? 0;
  }

  private async read<T>(what: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw readErrorOutcome(error, what);
    }
  }
}

function pending(options: WriteOptions): Pick<ChangeRecord, 'pendingBroadcast' | 'origin'> {
  if (options.pendingBroadcast !== true) return {};
  return options.origin === undefined ? { pendingBroadcast: true } : { pendingBroadcast: true, origin: options.origin };
}

function markKey(messageId: string, version: number): string {
  return `${messageId}@${version}`;
}
