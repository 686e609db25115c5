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
import { ConflictError, StoreContendedError, StoreOutcomeUnknownError } from '../chat/chat-error.js';
import { ensureChangeLogIndexes } from './change-log/change-log-indexes.js';
import { CHANGES_COLLECTION, messageIdOf, recordId, toMessage, type ChangeRecord } from './change-log/change-record.js';
import { contentionPause } from './change-log/contention-pause.js';
import { RoomPositions, type RoomNumbers } from './change-log/room-positions.js';
import { DatabaseCircuit } from './database-circuit.js';
import { readErrorOutcome, writeErrorOutcome } from './driver-error-outcome.js';
import { KeyedBatches, type BatchEntry } from './keyed-batches.js';
import { KeyedMutex } from './keyed-mutex.js';
import { GroupCommit } from './change-log/group-commit.js';
import { orderedInsert, type InsertOutcome } from './change-log/ordered-insert.js';
import { outboxEntryFor, outboxEntryId, type ChangeLogDocument, type OutboxEntry } from './change-log/outbox-entry.js';
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
 * updates are read-modify-write without isolation (`ackproof probe-db`). Nothing is ever updated (the outbox's pending
 * broadcasts are entries that relays delete, OutboxEntry), so no write can overwrite another's change.
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
  private readonly commit = new GroupCommit<ChangeLogDocument>((documents) => orderedInsert(this.log, documents));
  private readonly sends = new KeyedBatches<SendRequest, CreateResult>(this.roomLock, (roomId, batch) => this.writeSends(roomId, batch), MAX_BATCH);
  private readonly positions = new RoomPositions((roomId) => this.latestNumbers(roomId));
  /** message id -> the highest rev seen: where the walk to a message's current state starts. */
  private readonly heads = new LRUCache<string, number>({ max: CACHE_ENTRIES });

  private constructor(
    private readonly client: MongoClient,
    private readonly log: Collection<ChangeLogDocument>,
    readonly writeConcern: WriteConcernSetting,
  ) {}

  /** The log's changes (the outbox entries in it have sentinel rooms, so no room's query matches them). */
  private get changes(): Collection<ChangeRecord> {
    return this.log as unknown as Collection<ChangeRecord>;
  }

  /** The log's outbox entries. */
  private get entries(): Collection<OutboxEntry> {
    return this.log as unknown as Collection<OutboxEntry>;
  }

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
      const log = db.collection<ChangeLogDocument>(CHANGES_COLLECTION, { writeConcern: wc });
      await ensureChangeLogIndexes(log);
      // Every command of the store fails at once while the driver knows the database is down.
      return new MongoMessageStore(client, circuit.guard(log), writeConcern);
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
      }));
      const outcomes = await this.insertChanges(
        records.map((record, i) => ({ record, entry: outboxEntryFor(record, todo[i]!.item.options) })),
        'send',
      );
      const again: typeof todo = [];
      let contended = false;
      for (const [i, outcome] of outcomes.entries()) {
        const entry = todo[i]!;
        const record = records[i]!;
        if (outcome.kind === 'inserted') {
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
    const entries = await this.read('pending broadcasts', () =>
      this.entries.find({ pendingBroadcast: true }).sort({ 'change.roomId': 1, 'change.version': 1 }).limit(limit).toArray(),
    );
    return entries.map(({ change, origin }) => {
      const changedAt = Math.max(...[change.createdAt, change.editedAt, change.deletedAt].map((at) => at?.getTime() ?? 0));
      return { event: messageEvent(change.event, toMessage(change)), origin: origin ?? null, changedAt };
    });
  }

  /**
   * One delete for the page: the entries of the broadcasts made. (Deleting an entry twice, or one already gone,
   * deletes nothing; a change is never touched.)
   */
  async markBroadcast(marks: readonly BroadcastMark[]): Promise<number> {
    if (marks.length === 0) return 0;
    try {
      const result = await this.entries.deleteMany({ _id: { $in: marks.map(({ id, version }) => outboxEntryId(id, version)) } });
      return result.deletedCount;
    } catch (error) {
      throw writeErrorOutcome(error, 'marking broadcasts');
    }
  }

  countPendingBroadcasts(): Promise<number> {
    return this.read('counting pending broadcasts', () => this.entries.countDocuments({ pendingBroadcast: true }));
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
        const record: ChangeRecord = {
          ...head,
          ...fields(new Date()),
          _id: recordId(id, head.rev + 1),
          rev: head.rev + 1,
          version,
          event,
        };
        if (await this.insert(record, outboxEntryFor(record, options), what)) {
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
  private async insert(record: ChangeRecord, entry: OutboxEntry | undefined, what: string): Promise<boolean> {
    for (;;) {
      const [outcome] = await this.insertChanges([{ record, entry }], what);
      switch (outcome?.kind) {
        case 'inserted':
          return true;
        case 'refused':
          return false;
        case 'failed':
          throw writeErrorOutcome(outcome.error, what);
        // Another writer's refusal earlier in the shared round trip stopped it before this record: try again.
      }
    }
  }

  /**
   * Changes in one ordered round trip (shared with other rooms' writes), each followed by its outbox entry if it
   * has one; the outcome of each change. A change inserted without its entry (the database failed between the
   * two) gets it in another round trip before anyone is answered.
   */
  private async insertChanges(changes: readonly { record: ChangeRecord; entry: OutboxEntry | undefined }[], what: string): Promise<InsertOutcome[]> {
    const documents: ChangeLogDocument[] = [];
    const at: number[] = [];
    for (const { record, entry } of changes) {
      at.push(documents.length);
      documents.push(record);
      if (entry) documents.push(entry);
    }
    const outcomes = await this.submit(documents, what);
    const result: InsertOutcome[] = [];
    for (const [i, { record, entry }] of changes.entries()) {
      const outcome = outcomes[at[i]!]!;
      if (outcome.kind === 'inserted') {
        this.inserted(record);
        if (entry && outcomes[at[i]! + 1]?.kind !== 'inserted') await this.insertEntryAgain(entry, what);
      }
      result.push(outcome);
    }
    return result;
  }

  /** An outbox entry whose change is written: until it is in the log too (or found there). */
  private async insertEntryAgain(entry: OutboxEntry, what: string): Promise<void> {
    for (;;) {
      const [outcome] = await this.submit([entry], what).catch((error: unknown) => {
        throw new StoreOutcomeUnknownError(`${what}: written, but its pending broadcast may not be (${(error as Error).message})`, { cause: error });
      });
      if (outcome?.kind === 'inserted' || outcome?.kind === 'refused') return;
      if (outcome?.kind === 'failed') {
        throw new StoreOutcomeUnknownError(`${what}: written, but its pending broadcast was refused`, { cause: outcome.error });
      }
    }
  }

  private submit(documents: readonly ChangeLogDocument[], what: string): Promise<InsertOutcome[]> {
    return this.commit.submit(documents).catch((error: unknown) => {
      throw writeErrorOutcome(error, what);
    });
  }

  /** A record of this process is in the log: the room's next numbers go on after it. */
  private inserted(record: ChangeRecord): void {
    this.positions.used(record.roomId, record.version, record.rev === 0 ? record.seq : undefined);
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
