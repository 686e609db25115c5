import type { Broadcaster } from '../chat/broadcaster.port.js';
import type { MessageEvent } from '../chat/message-event.js';
import type { BroadcastMark, MessageStore, PendingChange } from '../chat/message-store.port.js';

/** How often and how much the relay reads, and how it backs off after a failed pass. */
export interface OutboxRelayTiming {
  /** A pass at least this often, whatever was notified (it also finds what another process left pending). */
  pollMs?: number;
  /** Pending messages read per page. */
  pageSize?: number;
  /**
   * Save notifications kept for the fast path; beyond them the next pass reads the database. Generous, because a
   * database pass is the slow path (on FerretDB a scan per page, and a mark per page).
   */
  maxHints?: number;
  /**
   * Marks of broadcasts made from notifications are written at most this long after the broadcast: one delete of
   * their pending entries for many (on FerretDB every such write scans the collection).
   */
  markDelayMs?: number;
  /** First pause after a failed pass; doubles per consecutive failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Several nodes: a change written by another node is left to that node's relay for this long after it was
   * made; past it, any node's relay publishes it (its node died, or cannot reach the broker).
   */
  handoverMs?: number;
}

export interface OutboxRelayOptions extends OutboxRelayTiming {
  store: Pick<MessageStore, 'pendingBroadcasts' | 'markBroadcast' | 'countPendingBroadcasts'>;
  broadcaster: Broadcaster;
  /** This node (the `origin` its writes carry); absent with one node: every pending change is this relay's. */
  node?: string;
  log?: (line: string) => void;
}

/** What the relay has done; `pending` is read from the database (null when it cannot be read). */
export interface OutboxCounters {
  pending: number | null;
  /** Broadcasts whose pending mark this relay cleared. */
  delivered: number;
  /** Of those, changes another node wrote and had not published within handoverMs. */
  handedOver: number;
  /** Passes that failed (a broadcast or the database) and were retried after a backoff. */
  retries: number;
}

/** Marks the fast path lets wait at most, whatever markDelayMs says (each is an id and a version). */
const MAX_UNMARKED = 1_000;

export const DEFAULT_OUTBOX_TIMING: Required<OutboxRelayTiming> = {
  pollMs: 1_000,
  pageSize: 100,
  maxHints: 1_000,
  markDelayMs: 250,
  backoffMs: 50,
  maxBackoffMs: 1_000,
  handoverMs: 2_000,
};

/**
 * Delivers what the outbox holds: reads the changes still marked pending (a page at a time, by room and
 * version), broadcasts each, then clears the marks of the changes it broadcast. At least once: a broadcast is
 * marked only after it was made, so a crash, a failed mark or a failed broadcast means it is made again later
 * (clients drop repeats by id). A pass runs at start, on `notify()` after a save (the fast path), and every
 * `pollMs`; passes never overlap, and notifications during one coalesce into one more. A failed pass stops at the
 * failure (so a room's broadcasts stay in version order) and the next one waits out a doubling backoff.
 *
 * The fast path broadcasts the saved events it was handed, without reading the database (on FerretDB a read of
 * the pending messages is a collection scan); it keeps at most `maxHints` of them, and any overflow, failure,
 * start or poll makes the next pass read the database instead, which covers every save notified before it. Its
 * marks are written together, `markDelayMs` later or once MAX_UNMARKED wait, and always before the database is
 * read and on close: until then a crash only means those broadcasts are made again. (On FerretDB each mark scans
 * the collection: one per pass cut the outbox's send rate by four.)
 */
export class OutboxRelay {
  readonly #options: OutboxRelayOptions & Required<OutboxRelayTiming>;
  readonly #counts = { delivered: 0, handedOver: 0, retries: 0 };
  /** Saved events handed over by `notify`, bounded by maxHints. */
  readonly #hints: MessageEvent[] = [];
  /** The next pass reads the database (not only the hints). */
  #readStore = true;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #poll: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #failures = 0;
  /** Broadcasts made by the fast path whose marks are not written yet. */
  #unmarked: BroadcastMark[] = [];
  #markTimer: NodeJS.Timeout | undefined;
  #marksDue = false;

  constructor(options: OutboxRelayOptions) {
    this.#options = { ...DEFAULT_OUTBOX_TIMING, ...withoutUndefined(options) };
    for (const name of ['pollMs', 'pageSize', 'maxHints', 'markDelayMs', 'backoffMs', 'maxBackoffMs', 'handoverMs'] as const) {
      const value = this.#options[name];
      if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`outbox relay: ${name} must be an integer >= 1, got ${value}`);
    }
  }

  /** The start-up pass (what a crashed process left pending) and the periodic ones. */
  start(): void {
    if (this.#closed || this.#poll) return;
    this.#poll = setInterval(() => this.#readAll(), this.#options.pollMs);
    this.#poll.unref();
    this.#readAll();
  }

  /**
   * Something was saved (`event`, if given, is its saved state): run a pass now, or right after the running
   * one (not during a backoff).
   */
  notify(event?: MessageEvent): void {
    if (event && !this.#readStore && this.#hints.length < this.#options.maxHints) this.#hints.push(event);
    else this.#readStore = true;
    this.#kick();
  }

  async counters(): Promise<OutboxCounters> {
    const pending = await this.#options.store.countPendingBroadcasts().catch(() => null);
    return { pending, ...this.#counts };
  }

  /** Resolves once no pass is running (a retry may still be scheduled). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stops the timers, waits for the running pass and writes the marks due; pending marks stay in the database. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    clearTimeout(this.#retry);
    clearTimeout(this.#markTimer);
    await this.idle();
    await this.#writeMarks().catch((error: unknown) => this.#options.log?.(`outbox relay: marks not written at close: ${describe(error)}`));
  }

  #readAll(): void {
    this.#readStore = true;
    this.#kick();
  }

  #kick(): void {
    if (this.#closed || this.#retry) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      if (!(await this.#pass())) return this.#backOff();
      this.#failures = 0;
    } while (this.#again && !this.#closed);
  }

  /** Delivers the hints, or pages through what the database holds pending; false when it stopped at a failure. */
  async #pass(): Promise<boolean> {
    const { store, pageSize, log } = this.#options;
    const hints = this.#hints.splice(0);
    try {
      if (!this.#readStore) {
        const made = await this.#broadcast(hints);
        this.#unmarked.push(...made.made);
        if (this.#marksDue || this.#unmarked.length >= MAX_UNMARKED) await this.#writeMarks();
        else this.#scheduleMarks();
        if (made.failure === undefined) return true;
        this.#failed(made.failure);
        return false;
      }
      this.#readStore = false;
      await this.#writeMarks();
      for (;;) {
        const page = await store.pendingBroadcasts(pageSize);
        const cleared = await this.#deliver(this.#ours(page));
        if (cleared === 'failed') return false;
        // A short page was the end; a page with no cleared mark made no progress (the next notify/poll goes on).
        if (page.length < pageSize || cleared === 0 || this.#closed) return true;
      }
    } catch (error) {
      log?.(`outbox relay: pass failed, left pending: ${describe(error)}`);
      return false;
    }
  }

  /**
   * The changes of a page this relay publishes now: its own, and other nodes' that waited past handoverMs. A room
   * stops at the first change still another node's, so each room's broadcasts stay in version order.
   */
  #ours(page: readonly PendingChange[]): MessageEvent[] {
    const { node, handoverMs } = this.#options;
    const now = Date.now();
    const held = new Set<string>();
    const ours: MessageEvent[] = [];
    for (const { event, origin, changedAt } of page) {
      const room = event.message.roomId;
      if (held.has(room)) continue;
      const foreign = node !== undefined && origin !== null && origin !== node;
      if (foreign && now - changedAt < handoverMs) {
        held.add(room);
        continue;
      }
      if (foreign) this.#counts.handedOver++;
      ours.push(event);
    }
    return ours;
  }

  /** Broadcasts in order until one fails, then marks those made; how many marks were cleared. */
  async #deliver(events: readonly MessageEvent[]): Promise<number | 'failed'> {
    const { made, failure } = await this.#broadcast(events);
    const cleared = await this.#mark(made);
    return failure === undefined ? cleared : this.#failed(failure);
  }

  /** Broadcasts in order until one fails: those made, and the failure. */
  async #broadcast(events: readonly MessageEvent[]): Promise<{ made: BroadcastMark[]; failure?: unknown }> {
    const made: BroadcastMark[] = [];
    for (const event of events) {
      if (this.#closed) break;
      try {
        await this.#options.broadcaster.broadcast(event);
        made.push({ id: event.message.id, version: event.message.version });
      } catch (failure) {
        return { made, failure };
      }
    }
    return { made };
  }

  async #mark(made: readonly BroadcastMark[]): Promise<number> {
    const cleared = await this.#options.store.markBroadcast(made);
    this.#counts.delivered += cleared;
    return cleared;
  }

  /** Writes the fast path's marks that wait (put back if the write fails, for the next try). */
  async #writeMarks(): Promise<void> {
    clearTimeout(this.#markTimer);
    this.#markTimer = undefined;
    this.#marksDue = false;
    // A page at a time: FerretDB tests every mark against every document it scans, so one huge update costs more
    // than several page-sized ones.
    while (this.#unmarked.length > 0) {
      const marks = this.#unmarked.splice(0, this.#options.pageSize);
      try {
        await this.#mark(marks);
      } catch (error) {
        this.#unmarked.unshift(...marks);
        throw error;
      }
    }
  }

  #scheduleMarks(): void {
    if (this.#markTimer || this.#unmarked.length === 0) return;
    this.#markTimer = setTimeout(() => {
      this.#markTimer = undefined;
      this.#marksDue = true;
      this.#kick();
    }, this.#options.markDelayMs);
    this.#markTimer.unref();
  }

  #failed(failure: unknown): 'failed' {
    this.#options.log?.(`outbox relay: broadcast failed, left pending: ${describe(failure)}`);
    return 'failed';
  }

  #backOff(): void {
    this.#counts.retries++;
    // The hints of the failed pass are gone; the database still has them.
    this.#readStore = true;
    if (this.#closed) return;
    const { backoffMs, maxBackoffMs } = this.#options;
    const wait = Math.min(maxBackoffMs, backoffMs * 2 ** this.#failures);
    this.#failures++;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#kick();
    }, wait);
    this.#retry.unref();
  }
}

function describe(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
