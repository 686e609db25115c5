import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Centrifuge, type Subscription } from 'centrifuge';
import WebSocket from 'ws';
import type { Message } from '../../chat/message.js';
import { ClientClosedError, ConnectError } from '../../client/client-errors.js';
import { ConditionWaiters } from '../../client/condition-waiters.js';
import { LocalView } from '../../client/local-view.js';
import type { ClientRoute, TargetClient, TargetClientSpec, TargetOpResult } from '../../harness/sut/target.js';
import type { CatchupEvent, ClientViewEvent, CompleteEvent, HistoryEvent } from '../../history/event.js';
import { roomChannel } from './centrifugo-config.js';
import { idempotencyKey, publicationMessage, type ChatPublicationData } from './publication-message.js';
import { RecoveryWindow } from './recovery-window.js';
import type { CentrifugoServerApi } from './server-api.js';

/** Centrifugo's disconnect code when positioning noticed a gap (the connection is closed to resubscribe). */
const DISCONNECT_INSUFFICIENT_STATE = 3010;
/** …and its unsubscribe code when that is noticed for one subscription only. */
const UNSUBSCRIBE_INSUFFICIENT_STATE = 2500;
/** A page of the final history read (Centrifugo's client history limit is 300 by default). */
const HISTORY_PAGE = 100;
/** Final history reads tried this many times (the link may just be coming back). */
const FINAL_READ_ATTEMPTS = 4;
const MAX_RECONNECT_DELAY_MS = 2_000;
/** Without an idle timeout from the runner: the SDK's own default patience beyond the server's ping interval. */
const DEFAULT_SERVER_PING_DELAY_MS = 10_000;

export interface CentrifugoClientOptions {
  spec: TargetClientSpec;
  route: ClientRoute;
  /** The user's connection token (JWT). */
  token: string;
  /** Sends go through the server API, as an application backend publishes on its user's behalf. */
  api: CentrifugoServerApi;
}

/**
 * One user's client of Centrifugo, through the official `centrifuge` SDK (over `ws`): the SDK a team ships, with
 * its own reconnect, resubscribe and recovery bookkeeping (offset and epoch per subscription), so what is tested is
 * what users run, not a re-implementation of the protocol.
 *
 * It subscribes to the user's rooms (channel `room:<id>`, where Centrifugo forces recovery and positioning). A
 * resubscribe that attempted recovery is recorded as a `catchup` (reason `reconnect`, or `gap` when Centrifugo's
 * positioning forced it), with `recovered` as Centrifugo claimed it and `changes` = exactly the publications it
 * replayed; live publications are `broadcast`s. A send is a server API publish with an idempotency key derived from
 * (sender, clientMsgId), retried with the same key. `finalSync` reads each room's history over the client protocol.
 * `gapFill` has nothing to switch here: noticing a gap is Centrifugo's positioning, which the server forces.
 */
export class CentrifugoClient implements TargetClient {
  readonly id: string;
  readonly #spec: TargetClientSpec;
  readonly #api: CentrifugoServerApi;
  readonly #centrifuge: Centrifuge;
  readonly #subs = new Map<string, Subscription>();
  readonly #view = new LocalView();
  readonly #waiters = new ConditionWaiters();
  /**
   * Per room: the highest offset Centrifugo delivered to this client (live, replayed or read), where its recovery
   * starts from. Not its own acks: a client that published offset 7 has not necessarily received 5 and 6.
   */
  readonly #delivered = new Map<string, number>();
  /** Per room: why its next recovery happens. */
  readonly #nextReason = new Map<string, CatchupEvent['reason']>();
  #open = false;
  #replaysPending = 0;
  #closed = false;
  #sent = 0;

  constructor(options: CentrifugoClientOptions) {
    const { spec, route } = options;
    this.id = spec.id;
    this.#spec = spec;
    this.#api = options.api;
    this.#centrifuge = new Centrifuge(`ws://${route.host}:${route.port}/connection/websocket?client=${encodeURIComponent(route.label)}`, {
      websocket: WebSocket,
      token: options.token,
      name: 'ackproof',
      timeout: spec.requestTimeoutMs,
      minReconnectDelay: Math.max(1, spec.retryBackoffMs),
      maxReconnectDelay: Math.max(MAX_RECONNECT_DELAY_MS, spec.retryBackoffMs),
      maxServerPingDelay: spec.idleTimeoutMs > 0 ? spec.idleTimeoutMs : DEFAULT_SERVER_PING_DELAY_MS,
    });
    this.#centrifuge.on('connected', () => {
      this.#open = true;
      this.#emit({ type: 'connection', time: spec.now(), process: this.id, state: 'open' });
    });
    this.#centrifuge.on('connecting', (ctx) => {
      if (ctx.code === DISCONNECT_INSUFFICIENT_STATE) for (const roomId of spec.rooms) this.#nextReason.set(roomId, 'gap');
      this.#closedWith(ctx.code, ctx.reason);
    });
    this.#centrifuge.on('disconnected', (ctx) => this.#closedWith(ctx.code, ctx.reason));
    // An SDK error event (a failed subscribe, a transport error) is followed by a state change the handlers see.
    this.#centrifuge.on('error', () => this.#waiters.changed());
    for (const roomId of spec.rooms) this.#subs.set(roomId, this.#subscription(roomId));
  }

  get connected(): boolean {
    return this.#open;
  }

  /** The room's messages as this client shows them, in offset order (for tests). */
  messages(roomId: string): Message[] {
    return this.#view.messages(roomId);
  }

  waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    return this.#waiters.waitFor(() => condition() || undefined, timeoutMs, `a condition on client ${this.id}`).then(() => undefined);
  }

  /**
   * Connects and subscribes every room; resolves once connected, subscribed and any replay recorded. Rejects with a
   * ConnectError after the request timeout; the SDK keeps reconnecting in the background then.
   */
  async connect(): Promise<void> {
    if (this.#closed) throw new ClientClosedError(this.id);
    this.#centrifuge.connect();
    for (const sub of this.#subs.values()) if (sub.state === 'unsubscribed') sub.subscribe();
    try {
      await this.#waiters.waitFor(() => this.#ready() || undefined, this.#spec.requestTimeoutMs, `client ${this.id} subscribed`);
    } catch (error) {
      if (error instanceof ClientClosedError) throw error;
      throw new ConnectError('CONNECT_TIMEOUT', `client ${this.id}: not connected and subscribed within ${this.#spec.requestTimeoutMs} ms (${this.#centrifuge.state})`);
    }
  }

  /** Disconnects on purpose (the SDK keeps each subscription's position, so the next connect recovers). */
  async disconnect(): Promise<void> {
    this.#centrifuge.disconnect();
    await this.#waiters.waitFor(() => this.#centrifuge.state === 'disconnected' || undefined, this.#spec.requestTimeoutMs, `client ${this.id} disconnected`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.disconnect().catch(() => undefined);
    this.#closed = true;
    for (const sub of this.#subs.values()) this.#centrifuge.removeSubscription(sub);
    this.#waiters.failAll(new ClientClosedError(this.id));
  }

  /**
   * Publishes through the server API with the idempotency key of (sender, clientMsgId); an unknown outcome or a
   * refused connection (the server is restarting) is retried with the same key and the same data, each attempt its own
   * invoke/complete. The ack is the stream position Centrifugo assigned: the message's offset.
   */
  async send(roomId: string, text: string, options: { clientMsgId?: string } = {}): Promise<TargetOpResult & { clientMsgId: string }> {
    this.#sent += 1;
    const clientMsgId = options.clientMsgId ?? `${this.id}-${this.#sent}-${randomBytes(4).toString('hex')}`;
    const data: ChatPublicationData = { senderId: this.#spec.userId, clientMsgId, text, createdAt: new Date().toISOString() };
    const key = idempotencyKey(this.#spec.userId, clientMsgId);
    let result: TargetOpResult = { status: 'info' };
    let earlierUnknown = false;
    for (let attempt = 0; attempt <= this.#spec.retries; attempt += 1) {
      if (attempt > 0) await delay(this.#spec.retryBackoffMs * 2 ** (attempt - 1));
      const op = this.#spec.nextOp();
      this.#emit({ type: 'invoke', time: this.#spec.now(), process: this.id, op, kind: 'send', roomId, clientMsgId, text });
      const outcome = await this.#api.publish(roomChannel(roomId), data, key);
      const complete: CompleteEvent = { type: 'complete', time: this.#spec.now(), process: this.id, op, status: 'info' };
      if (outcome.status === 'ok') {
        const message = publicationMessage(roomId, outcome.value.offset, data);
        // Centrifugo answers a repeated key with the first position and does not say which it was. This attempt
        // created the message unless an earlier one may have (its outcome unknown): 201 then, else 200.
        Object.assign(complete, { status: 'ok', httpStatus: earlierUnknown ? 200 : 201, message });
        result = { status: 'ok', message };
      } else {
        const status = outcome.status === 'refused' ? 'fail' : 'info';
        Object.assign(complete, {
          status,
          ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
          error: { ...outcome.error, outcome: status === 'fail' ? 'not_applied' : 'unknown' },
        });
        result = { status };
        earlierUnknown ||= status === 'info';
      }
      this.#emit(complete);
      if (result.message && this.#spec.rooms.includes(roomId)) this.#learn(result.message);
      const retry = outcome.status === 'unknown' || (outcome.status === 'refused' && outcome.error.code === 'CONNECTION_REFUSED');
      if (!retry) break;
    }
    return { ...result, clientMsgId };
  }

  edit(): Promise<TargetOpResult> {
    return Promise.reject(new Error('Centrifugo has no edit of a publication (capability edit: false)'));
  }

  delete(): Promise<TargetOpResult> {
    return Promise.reject(new Error('Centrifugo has no delete of a publication (capability delete: false)'));
  }

  /**
   * Reconnects if needed (best effort), reads every room's whole history over the client protocol (recorded as
   * `final` catch-up pages), and records the client's view.
   */
  async finalSync(): Promise<ClientViewEvent> {
    if (this.#closed) throw new ClientClosedError(this.id);
    await this.connect().catch(() => undefined);
    await Promise.all(
      this.#spec.rooms.map(async (roomId) => {
        for (let attempt = 0; attempt < FINAL_READ_ATTEMPTS; attempt += 1) {
          if (attempt > 0) await delay(Math.max(50, this.#spec.retryBackoffMs) * 2 ** attempt);
          if (await this.#readHistory(roomId)) return;
        }
      }),
    );
    const event: ClientViewEvent = { type: 'client-view', time: this.#spec.now(), process: this.id, rooms: this.#view.snapshot(this.#spec.rooms) };
    this.#emit(event);
    return event;
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  #subscription(roomId: string): Subscription {
    const sub = this.#centrifuge.newSubscription(roomChannel(roomId));
    const replay = new RecoveryWindow<Message>();
    sub.on('subscribing', (ctx) => {
      if (ctx.code === UNSUBSCRIBE_INSUFFICIENT_STATE) this.#nextReason.set(roomId, 'gap');
      this.#waiters.changed();
    });
    sub.on('subscribed', (ctx) => {
      if (!ctx.wasRecovering) return this.#waiters.changed();
      const after = this.#delivered.get(roomId) ?? 0;
      const reason = this.#nextReason.get(roomId) ?? 'reconnect';
      this.#nextReason.delete(roomId);
      this.#replaysPending += 1;
      replay.open((changes) => {
        this.#replaysPending -= 1;
        const top = Math.max(ctx.streamPosition?.offset ?? 0, changes.at(-1)?.seq ?? 0);
        this.#emit({
          type: 'catchup',
          time: this.#spec.now(),
          process: this.id,
          roomId,
          after,
          reason,
          changes,
          latestVersion: top,
          hasMore: false,
          recovered: ctx.recovered,
        });
        for (const message of changes) this.#learn(message, true);
        this.#waiters.changed();
      });
    });
    sub.on('publication', (ctx) => {
      const message = publicationMessage(roomId, Number(ctx.offset ?? 0), ctx.data);
      if (replay.offer(message)) return;
      // Recorded before it is applied: the checker must see duplicates exactly as received.
      this.#emit({ type: 'broadcast', time: this.#spec.now(), process: this.id, event: 'message.created', message });
      this.#learn(message, true);
    });
    sub.on('error', () => this.#waiters.changed());
    sub.on('unsubscribed', () => this.#waiters.changed());
    sub.subscribe();
    return sub;
  }

  /** One pass over the room's history, page by page; false if a page could not be read. */
  async #readHistory(roomId: string): Promise<boolean> {
    const sub = this.#subs.get(roomId);
    if (!sub) return false;
    let since: { offset: number; epoch: string } | undefined;
    for (;;) {
      let page;
      try {
        page = await sub.history({ limit: HISTORY_PAGE, ...(since ? { since } : {}) });
      } catch {
        return false;
      }
      const changes = page.publications.map((p) => publicationMessage(roomId, Number(p.offset ?? 0), p.data));
      const hasMore = changes.length === HISTORY_PAGE;
      this.#emit({
        type: 'catchup',
        time: this.#spec.now(),
        process: this.id,
        roomId,
        after: since?.offset ?? 0,
        reason: 'final',
        changes,
        latestVersion: Number(page.offset),
        hasMore,
      });
      for (const message of changes) this.#learn(message, true);
      const last = changes.at(-1);
      if (!hasMore || !last) return true;
      since = { offset: last.seq, epoch: page.epoch };
    }
  }

  #ready(): boolean {
    return this.#centrifuge.state === 'connected' && this.#replaysPending === 0 && [...this.#subs.values()].every((s) => s.state === 'subscribed');
  }

  #closedWith(code: number, reason: string): void {
    if (this.#open) {
      this.#open = false;
      this.#emit({ type: 'connection', time: this.#spec.now(), process: this.id, state: 'closed', reason: `${reason} (centrifuge code ${code})` });
    }
    this.#waiters.changed();
  }

  #learn(message: Message, delivered = false): void {
    this.#view.apply(message);
    if (delivered && message.seq > (this.#delivered.get(message.roomId) ?? 0)) this.#delivered.set(message.roomId, message.seq);
  }

  #emit(event: HistoryEvent): void {
    this.#spec.emit(event);
    this.#waiters.changed();
  }
}
