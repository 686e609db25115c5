import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Message } from '../chat/message.js';
import type { BroadcastEvent, ClientViewEvent, CompleteEvent, HistoryEvent, InvokeEvent } from '../history/event.js';
import { resolveClientOptions, type ChatClientOptions, type ResolvedClientOptions } from './chat-client-options.js';
import { ChatSocket } from './chat-socket.js';
import { ClientClosedError, ConnectError } from './client-errors.js';
import { ConditionWaiters } from './condition-waiters.js';
import { GapDetector, type Gap } from './gap-detector.js';
import { HttpChatApi, type ApiResult } from './http-chat-api.js';
import { LocalView } from './local-view.js';
import { retryDelayMs, worthRetrying, type CatchUpReason, type CatchUpResult, type OpResult, type SendResult } from './op-results.js';
import { RoomCursors } from './room-cursor.js';
import type { ServerFrame } from './wire-schema.js';

export type { ChatClientOptions } from './chat-client-options.js';
export { ClientClosedError, ConnectError } from './client-errors.js';
export type { CatchUpResult, OpResult, SendResult } from './op-results.js';

/**
 * The reference chat client of DESIGN.md §7, one per simulated user connection. It speaks only the wire contract
 * and records what it sees into the history: each operation as an invoke and a completion, every broadcast the
 * moment it arrives (before dedupe, so the checker sees duplicates), every catch-up page, every connection opened and
 * closed, and its final view. Writes nothing itself; the run's `record`, `now` and `nextOp` are injected.
 *
 * Catch-up reads from the room's safe cursor (see RoomCursor: it never advances over a missing version), on every
 * connect (the first one included: that is how a client loads what was said before it joined, reason `reconnect`),
 * on a detected gap (`gap`) and at the end (`final`).
 */
/** How long the final catch-up of a room keeps asking a server that refuses or fails the read. */
const FINAL_READ_DEADLINE_MS = 10_000;

export class ChatClient {
  readonly id: string;
  readonly userId: string;
  readonly rooms: readonly string[];

  readonly #options: ResolvedClientOptions;
  readonly #api: HttpChatApi;
  readonly #view = new LocalView();
  readonly #cursors = new RoomCursors();
  readonly #detector: GapDetector;
  readonly #waiters = new ConditionWaiters();
  readonly #events: HistoryEvent[] = [];
  readonly #serverErrors: { code: string; roomId?: string; message?: string }[] = [];
  readonly #invalidFrames: { raw: string; why: string }[] = [];
  readonly #gaps: Gap[] = [];
  #heartbeats = 0;

  #socket: ChatSocket | undefined;
  #generation = 0;
  #connecting: Promise<void> | undefined;
  #wantConnected = false;
  #closedForGood = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnectAttempt = 0;
  /** Settles the pending subscription of the socket being opened: true when `subscribed` came, false if it closed. */
  #subscribed: ((answered: boolean) => void) | undefined;
  /** How the last socket closed, for the error of a subscription it cut short. */
  #lastClose: { code: number; reason: string } | undefined;
  #forbidden = new Set<string>();
  #sentCount = 0;
  /** Per room and reason: the catch-up pass queued behind the running one (joins requests that arrive meanwhile). */
  readonly #queued = new Map<string, Promise<CatchUpResult>>();
  /** Per room: the tail of its catch-up chain (passes of one room never overlap). */
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Every socket close, for `disconnect()` to await its own. */
  #closeWaiters: (() => void)[] = [];

  constructor(options: ChatClientOptions) {
    this.#options = resolveClientOptions(options);
    this.id = options.id;
    this.userId = options.userId;
    this.rooms = [...options.rooms];
    this.#api = new HttpChatApi({ baseUrl: options.httpUrl, token: options.token, timeoutMs: this.#options.requestTimeoutMs });
    this.#detector = new GapDetector((roomId) => this.#cursors.of(roomId), { enabled: this.#options.gapFill });
  }

  // ---- state, for the runner and tests -------------------------------------------------------------------------

  get connected(): boolean {
    return this.#socket?.open ?? false;
  }

  /** Everything this client recorded, in order. */
  get events(): readonly HistoryEvent[] {
    return this.#events;
  }

  /** The room's messages as this client shows them, in seq order. */
  messages(roomId: string): Message[] {
    return this.#view.messages(roomId);
  }

  message(roomId: string, messageId: string): Message | undefined {
    return this.#view.get(roomId, messageId);
  }

  cursor(roomId: string): { safe: number; highest: number; holes: number[] } {
    const cursor = this.#cursors.of(roomId);
    return { safe: cursor.safe, highest: cursor.highest, holes: cursor.holes(100) };
  }

  /** `{type:"error"}` frames the server sent (e.g. FORBIDDEN for a room the user is not in). */
  get serverErrors(): readonly { code: string; roomId?: string; message?: string }[] {
    return this.#serverErrors;
  }

  /** Frames that were not the contract's; they are ignored. */
  get invalidFrames(): readonly { raw: string; why: string }[] {
    return this.#invalidFrames;
  }

  /** Heartbeat frames received so far (they are not history events; tests and the runner can wait on them). */
  get heartbeats(): number {
    return this.#heartbeats;
  }

  /** Gaps detected from live traffic (each one led to a `gap` catch-up). */
  get gaps(): readonly Gap[] {
    return this.#gaps;
  }

  // ---- waiting on events, never sleeping -------------------------------------------------------------------------

  /** Resolves with the probe's first value that is neither `undefined` nor `false`, re-checked after every change. */
  waitFor<T>(probe: () => T | undefined | false, timeoutMs: number, what?: string): Promise<T> {
    return this.#waiters.waitFor(probe, timeoutMs, what ?? `a condition on client ${this.id}`);
  }

  /** The first recorded event (from index `since` of `events`) matching the predicate. */
  waitForEvent<E extends HistoryEvent>(match: (event: HistoryEvent) => event is E, timeoutMs: number, since?: number): Promise<E>;
  waitForEvent(match: (event: HistoryEvent) => boolean, timeoutMs: number, since?: number): Promise<HistoryEvent>;
  waitForEvent(match: (event: HistoryEvent) => boolean, timeoutMs: number, since = 0): Promise<HistoryEvent> {
    let next = since;
    return this.waitFor(
      () => {
        for (; next < this.#events.length; next += 1) {
          const event = this.#events[next];
          if (event && match(event)) return event;
        }
        return undefined;
      },
      timeoutMs,
      `an event on client ${this.id}`,
    );
  }

  /** The view holds this message (and, if given, in a state the predicate accepts, e.g. `(m) => m.deletedAt !== null`). */
  waitForMessage(roomId: string, messageId: string, timeoutMs: number, accept: (message: Message) => boolean = () => true): Promise<Message> {
    return this.waitFor(
      () => {
        const held = this.#view.get(roomId, messageId);
        return held && accept(held) ? held : undefined;
      },
      timeoutMs,
      `message ${messageId} in room ${roomId} on client ${this.id}`,
    );
  }

  /** A broadcast of this message id was received (live, not by catch-up). */
  waitForBroadcast(messageId: string, timeoutMs: number, since = 0): Promise<BroadcastEvent> {
    return this.waitForEvent((e): e is BroadcastEvent => e.type === 'broadcast' && e.message.id === messageId, timeoutMs, since);
  }

  // ---- connection ------------------------------------------------------------------------------------------------

  /**
   * Open the WebSocket, subscribe to the rooms, record the connection open, then catch up every room (reason
   * `reconnect`). Resolves once subscribed and caught up (a failed catch-up read does not fail the connect: the
   * cursor stays and the next catch-up tries again). Rejects with ConnectError if the socket cannot open or the
   * server does not answer the subscription; with automatic reconnect on, a background retry is scheduled then.
   */
  connect(): Promise<void> {
    if (this.#closedForGood) return Promise.reject(new ClientClosedError(this.id));
    this.#wantConnected = true;
    if (this.connected && !this.#connecting) return Promise.resolve();
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** Close the socket on purpose (no automatic reconnect) and wait until the close is recorded. */
  async disconnect(): Promise<void> {
    this.#wantConnected = false;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    await this.#connecting?.catch(() => undefined);
    await this.#closeSocket((socket) => socket.close(1000, 'client disconnect'));
  }

  /** Drop the socket abruptly, as a network failure would; automatic reconnect (if on) follows. */
  async dropConnection(): Promise<void> {
    await this.#closeSocket((socket) => socket.terminate(1006, 'dropped by client'));
  }

  /**
   * Disconnect for good: no reconnect, pending waits rejected. Catch-up passes under way finish first (so nothing
   * of theirs is recorded after this returns); in-flight sends, edits and deletes finish and are recorded.
   */
  async close(): Promise<void> {
    await this.disconnect();
    this.#closedForGood = true;
    await Promise.all(this.#chains.values());
    this.#waiters.failAll(new ClientClosedError(this.id));
  }

  // ---- operations ------------------------------------------------------------------------------------------------

  /**
   * Send a message with an idempotency key (generated unless given). An `info` outcome, or a transient refusal that
   * certainly applied nothing (a refused connection while the server restarts, 503 STORE_UNAVAILABLE or OVERLOADED), is
   * retried up to `retries` times (after the server's Retry-After when it gave one) with the same clientMsgId, each attempt its own invoke/complete pair in the history.
   */
  async send(roomId: string, text: string, options: { clientMsgId?: string } = {}): Promise<SendResult> {
    const clientMsgId = options.clientMsgId ?? this.#newClientMsgId();
    const attempts: OpResult[] = [];
    for (let attempt = 0; attempt <= this.#options.retries; attempt += 1) {
      if (attempt > 0) await delay(retryDelayMs(this.#options.retryBackoffMs, attempt, attempts.at(-1)));
      const result = await this.#operate({ kind: 'send', roomId, clientMsgId, text }, () => this.#api.send(roomId, { clientMsgId, text }));
      attempts.push(result);
      if (!worthRetrying(result)) break;
    }
    const last = attempts[attempts.length - 1] as OpResult;
    return { ...last, clientMsgId, attempts };
  }

  /** Edit a message (sender only). One attempt: the caller decides whether an `info` edit is worth repeating. */
  edit(roomId: string, messageId: string, text: string): Promise<OpResult> {
    return this.#operate({ kind: 'edit', roomId, messageId, text }, () => this.#api.edit(roomId, messageId, text));
  }

  /** Delete a message (sender only; it becomes a tombstone). One attempt. */
  delete(roomId: string, messageId: string): Promise<OpResult> {
    return this.#operate({ kind: 'delete', roomId, messageId }, () => this.#api.delete(roomId, messageId));
  }

  /**
   * Read the room's changes from its safe cursor to the end, recording each page. Passes of one room never overlap;
   * a request made while a pass with the same reason is already queued joins that queued pass.
   */
  catchUp(roomId: string, reason: CatchUpReason): Promise<CatchUpResult> {
    const key = `${reason}\u0000${roomId}`;
    const queued = this.#queued.get(key);
    if (queued) return queued;
    const previous = this.#chains.get(roomId) ?? Promise.resolve();
    const pass = previous.then(() => {
      this.#queued.delete(key);
      return this.#pass(roomId, reason);
    });
    this.#queued.set(key, pass);
    this.#chains.set(roomId, pass.catch(() => undefined));
    return pass;
  }

  /**
   * The end of a run: make sure the socket is up (best effort: the changes API alone can still bring the view up to
   * date), catch every room up with reason `final`, repeating with backoff while a room still has unexplained
   * versions (a late commit may be landing), then record and return the client's view.
   */
  async finalSync(): Promise<ClientViewEvent> {
    if (this.#closedForGood) throw new ClientClosedError(this.id);
    await this.connect().catch(() => undefined);
    const unread: { roomId: string; error: string }[] = [];
    await Promise.all(
      this.rooms.map(async (roomId) => {
        // Rereads while a room still has unexplained versions (a late commit may be landing); longer while the
        // server refuses or fails the read itself (its database circuit may still be open just after a fault):
        // a view that could not be read is not a view of what the system holds.
        const deadline = Date.now() + FINAL_READ_DEADLINE_MS;
        let rereads = 0;
        for (let attempt = 0; ; attempt += 1) {
          const result = await this.catchUp(roomId, 'final');
          if (result.ok && (result.complete || rereads++ >= this.#options.finalRereads)) return;
          if (!result.ok && Date.now() >= deadline) {
            unread.push({ roomId, error: result.error ? `${result.error.code}: ${result.error.message}` : 'the read failed' });
            return;
          }
          await delay(Math.min(1_000, this.#options.retryBackoffMs * 2 ** attempt));
        }
      }),
    );
    const event: ClientViewEvent = {
      type: 'client-view',
      time: this.#options.now(),
      process: this.id,
      rooms: this.#view.snapshot(this.rooms),
      ...(unread.length > 0 ? { unread } : {}),
    };
    this.#record(event);
    return event;
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    const connection = { generation, recordedOpen: false };
    let socket: ChatSocket;
    try {
      socket = await ChatSocket.open(
        {
          url: this.#options.wsUrl,
          token: this.#options.token,
          connectTimeoutMs: this.#options.requestTimeoutMs,
          idleTimeoutMs: this.#options.idleTimeoutMs,
        },
        {
          frame: (frame) => {
            if (generation === this.#generation) this.#onFrame(frame);
          },
          invalid: (raw, why) => {
            this.#invalidFrames.push({ raw: raw.slice(0, 500), why });
            this.#waiters.changed();
          },
          closed: (code, reason) => this.#onClosed(connection, code, reason),
        },
      );
    } catch (error) {
      this.#scheduleReconnect();
      const code = (error as { code?: string }).code ?? 'WS_ERROR';
      throw new ConnectError(code, error instanceof Error ? error.message : String(error));
    }
    if (!this.#wantConnected || this.#closedForGood) {
      // disconnect() was called while the handshake was under way: this socket never counted as open.
      socket.terminate(1000, 'client disconnect');
      return;
    }
    this.#socket = socket;
    this.#reconnectAttempt = 0;
    connection.recordedOpen = true;
    this.#record({ type: 'connection', time: this.#options.now(), process: this.id, state: 'open' });

    this.#forbidden = new Set();
    const subscribed = new Promise<boolean>((resolve) => {
      this.#subscribed = resolve;
    });
    socket.send({ type: 'subscribe', rooms: this.#options.duplicateSubscriptions ? [...this.rooms, ...this.rooms] : this.rooms });
    const answered = await Promise.race([subscribed, delay(this.#options.requestTimeoutMs, undefined, { ref: false })]);
    this.#subscribed = undefined;
    if (answered === false) {
      const how = this.#lastClose ? ` (${this.#lastClose.code}${this.#lastClose.reason ? ` ${this.#lastClose.reason}` : ''})` : '';
      throw new ConnectError('CLOSED', `the socket closed before the subscription was answered${how}`);
    }
    if (answered === undefined) {
      socket.terminate(1006, 'no subscribed answer');
      throw new ConnectError('SUBSCRIBE_TIMEOUT', `no "subscribed" within ${this.#options.requestTimeoutMs} ms`);
    }
    await Promise.all(this.rooms.filter((r) => !this.#forbidden.has(r)).map((roomId) => this.catchUp(roomId, 'reconnect')));
  }

  #onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'message.created':
      case 'message.edited':
      case 'message.deleted': {
        const message = frame.message;
        // Recorded before anything else: the checker must see duplicates and foreign rooms exactly as received.
        this.#record({ type: 'broadcast', time: this.#options.now(), process: this.id, event: frame.type, message });
        if (!this.rooms.includes(message.roomId)) return;
        this.#learn(message);
        this.#onGap(this.#detector.onBroadcast(message));
        break;
      }
      case 'heartbeat':
      case 'subscribed':
        if (frame.type === 'heartbeat') this.#heartbeats += 1;
        for (const room of frame.rooms) {
          if (!this.rooms.includes(room.roomId)) continue;
          this.#cursors.of(room.roomId).reportLatest(room.latestVersion);
          const gap = this.#detector.onRoomCursor(room);
          // On `subscribed` the connect's own catch-up follows at once; a gap pass would read the same pages.
          if (frame.type === 'heartbeat') this.#onGap(gap);
        }
        if (frame.type === 'subscribed') this.#subscribed?.(true);
        break;
      case 'error':
        this.#serverErrors.push({ code: frame.code, ...(frame.roomId ? { roomId: frame.roomId } : {}), ...(frame.message ? { message: frame.message } : {}) });
        if (frame.code === 'FORBIDDEN' && frame.roomId) {
          this.#forbidden.add(frame.roomId);
          // Every room refused: no `subscribed` may come at all.
          if (this.rooms.every((r) => this.#forbidden.has(r))) this.#subscribed?.(true);
        } else if (!frame.roomId) {
          // e.g. STORE_UNAVAILABLE: the server answered but could not read the rooms' cursors. The catch-up that
          // follows (and later heartbeats) bring what a `subscribed` would have; waiting longer would not.
          this.#subscribed?.(true);
        }
        break;
    }
    this.#waiters.changed();
  }

  #onGap(gap: Gap | null): void {
    // While a connection waits for its `subscribed` answer, the catch-up that follows the answer (reason
    // `reconnect`) reads every room from its safe cursor anyway. A gap pass started meanwhile, e.g. by a heartbeat
    // the server sent before `subscribed` (it joins the rooms before reading their cursors), would read the missed
    // messages first and leave the reconnect pass empty: the same messages, recorded as found by `gap`.
    if (!gap || this.#subscribed !== undefined) return;
    this.#gaps.push(gap);
    // A pass reports a failed read in its result; the next evidence or catch-up tries again.
    this.catchUp(gap.roomId, 'gap').catch(() => undefined);
  }

  #onClosed(connection: { generation: number; recordedOpen: boolean }, code: number, reason: string): void {
    if (!connection.recordedOpen) return;
    const current = connection.generation === this.#generation;
    if (current) {
      this.#socket = undefined;
      this.#lastClose = { code, reason };
      this.#subscribed?.(false);
    }
    this.#record({ type: 'connection', time: this.#options.now(), process: this.id, state: 'closed', code, reason });
    const waiting = this.#closeWaiters;
    this.#closeWaiters = [];
    for (const wake of waiting) wake();
    if (current) this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const { auto, backoffMs, maxBackoffMs } = this.#options.reconnect;
    if (!auto || !this.#wantConnected || this.#closedForGood || this.#reconnectTimer || this.connected) return;
    const wait = Math.min(maxBackoffMs, backoffMs * 2 ** this.#reconnectAttempt);
    this.#reconnectAttempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#wantConnected && !this.#closedForGood && !this.connected) this.connect().catch(() => undefined);
    }, wait);
    this.#reconnectTimer.unref();
  }

  async #closeSocket(how: (socket: ChatSocket) => void): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    const closed = new Promise<void>((resolve) => this.#closeWaiters.push(resolve));
    how(socket);
    await closed;
  }

  async #operate(invoke: Omit<InvokeEvent, 'type' | 'time' | 'process' | 'op'>, call: () => Promise<ApiResult<Message>>): Promise<OpResult> {
    const op = this.#options.nextOp();
    this.#record({ type: 'invoke', time: this.#options.now(), process: this.id, op, ...invoke });
    const outcome = await call();
    const complete: CompleteEvent = { type: 'complete', time: this.#options.now(), process: this.id, op, status: outcome.status };
    if (outcome.httpStatus !== undefined) complete.httpStatus = outcome.httpStatus;
    if (outcome.status === 'ok') complete.message = outcome.value;
    else complete.error = outcome.error;
    this.#record(complete);
    // The server's own answer is a state of the message at that version: as good as a broadcast for the view.
    if (outcome.status === 'ok' && this.rooms.includes(outcome.value.roomId)) this.#learn(outcome.value);
    this.#waiters.changed();
    const { type: _type, time: _time, process: _process, ...result } = complete;
    return result;
  }

  async #pass(roomId: string, reason: CatchUpReason): Promise<CatchUpResult> {
    const cursor = this.#cursors.of(roomId);
    const marks = this.#detector.beginCheck(roomId);
    let after = cursor.safe;
    let pages = 0;
    let changes = 0;
    for (;;) {
      const outcome = await this.#api.changes(roomId, after, this.#options.pageLimit);
      if (outcome.status !== 'ok') return { roomId, ok: false, pages, changes, complete: cursor.complete, error: outcome.error };
      const page = outcome.value;
      this.#record({
        type: 'catchup',
        time: this.#options.now(),
        process: this.id,
        roomId,
        after,
        reason,
        changes: page.changes,
        latestVersion: page.latestVersion,
        hasMore: page.hasMore,
      });
      pages += 1;
      changes += page.changes.length;
      for (const message of page.changes) if (message.roomId === roomId) this.#learn(message);
      cursor.reportLatest(page.latestVersion);
      this.#waiters.changed();
      if (!page.hasMore) {
        this.#detector.endCheck(roomId, marks, page.latestVersion);
        return { roomId, ok: true, pages, changes, complete: cursor.complete };
      }
      // Pagination moves a read position, never the safe cursor.
      const last = page.changes[page.changes.length - 1];
      if (!last || last.version <= after) {
        return {
          roomId,
          ok: false,
          pages,
          changes,
          complete: cursor.complete,
          error: { code: 'BAD_PAGINATION', message: `changes after ${after} said hasMore but did not move past it` },
        };
      }
      after = last.version;
    }
  }

  /** A message state learned from any channel: into the view, the cursor and the gap detector's seq record. */
  #learn(message: Message): void {
    this.#view.apply(message);
    this.#cursors.of(message.roomId).observe(message.version);
    this.#detector.see(message);
  }

  #newClientMsgId(): string {
    this.#sentCount += 1;
    return `${this.id}-${this.#sentCount}-${randomBytes(4).toString('hex')}`;
  }

  #record(event: HistoryEvent): void {
    this.#options.emit(event);
    this.#events.push(event);
    this.#waiters.changed();
  }
}
