import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import type { Message } from '../../chat/message.js';
import { ClientClosedError, ConnectError } from '../../client/client-errors.js';
import { ConditionWaiters } from '../../client/condition-waiters.js';
import { LocalView } from '../../client/local-view.js';
import { RoomCursors } from '../../client/room-cursor.js';
import type { CatchupEvent, ClientViewEvent, CompleteEvent, HistoryEvent, InvokeEvent } from '../../history/event.js';
import type { ClientRoute, TargetClient, TargetClientSpec, TargetOpResult } from '../../harness/sut/target.js';
import { HISTORY_EVENT, LIMITS, MESSAGE_EVENT, SEND_EVENT, type HistoryAnswer, type SendAnswer } from './socketio-wire.js';

/** Refusals that mean "not now" (nothing was written): the same send may succeed on a retry. */
const TRANSIENT = new Set(['STORE_UNAVAILABLE', 'ROOM_CONTENDED']);
/** How many more reads `finalSync` makes of a room whose cursor has not reached its latest version. */
const FINAL_REREADS = 3;

type CatchUpReason = CatchupEvent['reason'];

/**
 * One user of the Socket.IO chat app, over `socket.io-client` (WebSocket transport only, through the harness's proxy,
 * labelled `?client=`), recording what it sees into the history:
 * - each send as an invoke and a completion: `ok` with the stored message the app acknowledged, `fail` when the app
 *   said `not_applied`, `info` when it said `unknown`, the acknowledgement timed out or the socket dropped;
 * - each live `message` as a `broadcast`;
 * - on every (re)connect, one `catchup` per room (reason `reconnect`) carrying what Socket.IO claimed, `recovered:
 *   socket.recovered`, and as `changes` the packets it delivered through recovery (they arrive before the connect
 *   event; see the `message` listener). When the session was not recovered, the client reads the room from its
 *   durable history (`history` call, reason `reconnect`), as an app must: Socket.IO's recovery "will not always be
 *   successful";
 * - `connection` open and closed, and its `client-view` at `finalSync`.
 * The view keeps each message once (by id, highest version) and a safe cursor per room that never passes a missing
 * seq. Edit and delete are not part of the app.
 */
export class SocketioChatClient implements TargetClient {
  readonly #spec: TargetClientSpec;
  readonly #socket: Socket;
  readonly #view = new LocalView();
  readonly #cursors = new RoomCursors();
  readonly #waiters = new ConditionWaiters();
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Broadcasts delivered before the connect event of the connection being opened: Socket.IO's recovered packets. */
  #recoveredPackets: Message[] | undefined = [];
  #openRecorded = false;
  #connecting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #reconnectCatchUp: Promise<unknown> = Promise.resolve();
  #closedForGood = false;
  #sent = 0;

  constructor(spec: TargetClientSpec, via: ClientRoute) {
    this.#spec = spec;
    this.#socket = io(`http://${via.host}:${via.port}`, {
      transports: ['websocket'],
      query: { client: via.label },
      // Only this client's rooms: the user may be a member of others (earlier runs' rooms) it must not hear from.
      auth: { userId: spec.userId, rooms: [...spec.rooms] },
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: Math.max(50, spec.retryBackoffMs),
      reconnectionDelayMax: 1_000,
      timeout: spec.requestTimeoutMs,
    });
    this.#socket.on(MESSAGE_EVENT, (message: Message) => this.#onMessage(message));
    this.#socket.on('connect', () => this.#onConnect());
    this.#socket.on('disconnect', (reason) => this.#onDisconnect(reason));
    this.#socket.on('connect_error', (error) => this.#settleConnecting(new ConnectError('CONNECT_ERROR', error.message)));
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Resolves once connected and, when the session was not recovered, caught up from the app's history. */
  connect(): Promise<void> {
    if (this.#closedForGood) return Promise.reject(new ClientClosedError(this.#spec.id));
    if (this.#socket.connected) return this.#reconnectCatchUp.then(() => undefined);
    return new Promise<void>((resolve, reject) => {
      this.#connecting.push({ resolve, reject });
      this.#socket.connect();
    });
  }

  /** Closes on purpose: no automatic reconnect, and the server drops the session (Socket.IO keeps none for it). */
  async disconnect(): Promise<void> {
    this.#socket.disconnect();
    await this.#reconnectCatchUp;
  }

  waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    return this.#waiters.waitFor(() => condition() || undefined, timeoutMs, `a condition on client ${this.#spec.id}`).then(() => undefined);
  }

  /** Retries an `info` or transient refusal with the same clientMsgId, each attempt its own invoke/complete. */
  async send(roomId: string, text: string, options: { clientMsgId?: string } = {}): Promise<TargetOpResult & { clientMsgId: string }> {
    this.#sent += 1;
    const clientMsgId = options.clientMsgId ?? `${this.#spec.id}-${this.#sent}-${randomBytes(4).toString('hex')}`;
    let result: TargetOpResult = { status: 'info' };
    for (let attempt = 0; attempt <= this.#spec.retries; attempt += 1) {
      if (attempt > 0) await delay(this.#spec.retryBackoffMs * 2 ** (attempt - 1));
      const outcome = await this.#sendOnce(roomId, clientMsgId, text);
      result = outcome.result;
      if (!outcome.retry) break;
    }
    return { ...result, clientMsgId };
  }

  edit(roomId: string, messageId: string, text: string): Promise<TargetOpResult> {
    return Promise.resolve(this.#unsupported({ kind: 'edit', roomId, messageId, text }));
  }

  delete(roomId: string, messageId: string): Promise<TargetOpResult> {
    return Promise.resolve(this.#unsupported({ kind: 'delete', roomId, messageId }));
  }

  /** Connects (best effort), reads every room to its latest version from the app's history, records the view. */
  async finalSync(): Promise<ClientViewEvent> {
    if (this.#closedForGood) throw new ClientClosedError(this.#spec.id);
    await this.connect().catch(() => undefined);
    await Promise.all(
      this.#spec.rooms.map(async (roomId) => {
        for (let attempt = 0; ; attempt += 1) {
          const complete = await this.#catchUp(roomId, 'final');
          if (complete || attempt >= FINAL_REREADS) return;
          await delay(this.#spec.retryBackoffMs * 2 ** attempt);
        }
      }),
    );
    const event: ClientViewEvent = { type: 'client-view', time: this.#spec.now(), process: this.#spec.id, rooms: this.#view.snapshot(this.#spec.rooms) };
    this.#record(event);
    return event;
  }

  async close(): Promise<void> {
    if (this.#closedForGood) return;
    await this.disconnect();
    this.#closedForGood = true;
    await Promise.all(this.#chains.values());
    this.#waiters.failAll(new ClientClosedError(this.#spec.id));
  }

  // ---- what Socket.IO tells the client ------------------------------------------------------------------------

  #onMessage(message: Message): void {
    // Socket.IO delivers a recovered session's missed packets before its connect event: they are recovery, not live.
    if (this.#recoveredPackets) {
      this.#recoveredPackets.push(message);
    } else {
      // Recorded before anything else: the checker must see duplicates and foreign rooms exactly as received.
      this.#record({ type: 'broadcast', time: this.#spec.now(), process: this.#spec.id, event: 'message.created', message });
      if (!this.#spec.rooms.includes(message.roomId)) return;
      this.#learn(message);
      if (this.#spec.gapFill && !this.#cursors.of(message.roomId).complete) void this.#catchUp(message.roomId, 'gap');
    }
    this.#waiters.changed();
  }

  #onConnect(): void {
    const recovered = this.#socket.recovered === true;
    const packets = this.#recoveredPackets ?? [];
    this.#recoveredPackets = undefined;
    this.#openRecorded = true;
    this.#record({ type: 'connection', time: this.#spec.now(), process: this.#spec.id, state: 'open' });
    for (const roomId of this.#spec.rooms) {
      const cursor = this.#cursors.of(roomId);
      const after = cursor.safe;
      const changes = packets.filter((m) => m.roomId === roomId);
      for (const message of changes) this.#learn(message);
      this.#recordCatchup(roomId, after, 'reconnect', { changes, latestVersion: cursor.highest, hasMore: false }, recovered);
    }
    // Packets of a room the user is not in would be a leak: recorded as received, like any broadcast.
    for (const message of packets.filter((m) => !this.#spec.rooms.includes(m.roomId))) {
      this.#record({ type: 'broadcast', time: this.#spec.now(), process: this.#spec.id, event: 'message.created', message });
    }
    // Not recovered (a new session, an expired one, a restarted node): what was said meanwhile is only in the store.
    const catchUp = recovered ? Promise.resolve() : Promise.all(this.#spec.rooms.map((roomId) => this.#catchUp(roomId, 'reconnect')));
    this.#reconnectCatchUp = catchUp;
    void catchUp.then(() => this.#settleConnecting());
  }

  #onDisconnect(reason: string): void {
    this.#recoveredPackets = [];
    if (this.#openRecorded) {
      this.#openRecorded = false;
      this.#record({ type: 'connection', time: this.#spec.now(), process: this.#spec.id, state: 'closed', reason });
    }
  }

  #settleConnecting(error?: Error): void {
    const waiting = this.#connecting;
    this.#connecting = [];
    for (const waiter of waiting) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  // ---- operations -----------------------------------------------------------------------------------------------

  async #sendOnce(roomId: string, clientMsgId: string, text: string): Promise<{ result: TargetOpResult; retry: boolean }> {
    const op = this.#spec.nextOp();
    this.#record({ type: 'invoke', time: this.#spec.now(), process: this.#spec.id, op, kind: 'send', roomId, clientMsgId, text });
    const complete: CompleteEvent = { type: 'complete', time: this.#spec.now(), process: this.#spec.id, op, status: 'info' };
    let retry = false;
    try {
      const answer = (await this.#socket.timeout(this.#spec.requestTimeoutMs).emitWithAck(SEND_EVENT, { roomId, clientMsgId, text })) as SendAnswer;
      if (answer.ok) {
        complete.status = 'ok';
        // The HTTP-style status the checker reads: 201 stored by this call, 200 stored before (an idempotent retry).
        complete.httpStatus = answer.created ? 201 : 200;
        complete.message = answer.message;
      } else {
        complete.status = answer.error.outcome === 'not_applied' ? 'fail' : 'info';
        complete.error = answer.error;
        retry = complete.status === 'info' || TRANSIENT.has(answer.error.code);
      }
    } catch (error) {
      // A timeout or a dropped socket: the app may or may not have stored it.
      complete.error = { code: 'NO_ACK', message: error instanceof Error ? error.message : String(error), outcome: 'unknown' };
      retry = true;
    }
    complete.time = this.#spec.now();
    this.#record(complete);
    // The app's own answer is the message as stored: as good as a broadcast for the view.
    if (complete.message && this.#spec.rooms.includes(complete.message.roomId)) this.#learn(complete.message);
    this.#waiters.changed();
    return { result: { status: complete.status, ...(complete.message ? { message: complete.message } : {}) }, retry };
  }

  #unsupported(invoke: Omit<InvokeEvent, 'type' | 'time' | 'process' | 'op'>): TargetOpResult {
    const op = this.#spec.nextOp();
    this.#record({ type: 'invoke', time: this.#spec.now(), process: this.#spec.id, op, ...invoke });
    const error = { code: 'NOT_SUPPORTED', message: `the Socket.IO chat app has no ${invoke.kind}`, outcome: 'not_applied' as const };
    this.#record({ type: 'complete', time: this.#spec.now(), process: this.#spec.id, op, status: 'fail', error });
    return { status: 'fail' };
  }

  /**
   * Reads the room from its safe cursor to the end through the app's `history` call, one recorded `catchup` per page.
   * Passes of one room never overlap. Resolves true when the cursor reached the latest version, false otherwise
   * (a failed read included: the next pass tries again).
   */
  #catchUp(roomId: string, reason: CatchUpReason): Promise<boolean> {
    const pass = (this.#chains.get(roomId) ?? Promise.resolve()).then(() => this.#pass(roomId, reason));
    this.#chains.set(roomId, pass.catch(() => undefined));
    return pass;
  }

  async #pass(roomId: string, reason: CatchUpReason): Promise<boolean> {
    const cursor = this.#cursors.of(roomId);
    let after = cursor.safe;
    for (;;) {
      let answer: HistoryAnswer;
      try {
        answer = (await this.#socket
          .timeout(this.#spec.requestTimeoutMs)
          .emitWithAck(HISTORY_EVENT, { roomId, after, limit: LIMITS.historyPage })) as HistoryAnswer;
      } catch {
        return false;
      }
      if (!answer.ok) return false;
      this.#recordCatchup(roomId, after, reason, answer);
      for (const message of answer.changes) if (message.roomId === roomId) this.#learn(message);
      cursor.reportLatest(answer.latestVersion);
      this.#waiters.changed();
      const last = answer.changes.at(-1);
      if (!answer.hasMore || !last || last.version <= after) return cursor.complete;
      // Pagination moves a read position, never the safe cursor.
      after = last.version;
    }
  }

  #recordCatchup(
    roomId: string,
    after: number,
    reason: CatchUpReason,
    page: Pick<CatchupEvent, 'changes' | 'latestVersion' | 'hasMore'>,
    recovered?: boolean,
  ): void {
    const { changes, latestVersion, hasMore } = page;
    const event: CatchupEvent = { type: 'catchup', time: this.#spec.now(), process: this.#spec.id, roomId, after, reason, changes, latestVersion, hasMore };
    if (recovered !== undefined) event.recovered = recovered;
    this.#record(event);
  }

  #learn(message: Message): void {
    this.#view.apply(message);
    this.#cursors.of(message.roomId).observe(message.version);
  }

  #record(event: HistoryEvent): void {
    this.#spec.emit(event);
    this.#waiters.changed();
  }
}
