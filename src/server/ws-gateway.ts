import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Broadcaster } from '../chat/broadcaster.port.js';
import type { RoomCursor } from '../chat/message.js';
import type { MessageEvent } from '../chat/message-event.js';
import type { MessageStore } from '../chat/message-store.port.js';
import type { World } from '../chat/world.js';
import { FairLimiter } from './fair-limiter.js';
import { PingRate } from './ping-rate.js';
import { bearerToken } from './request-input.js';
import { wsTextFrame } from './ws-text-frame.js';

export interface WsGatewayOptions {
  world: World;
  store: Pick<MessageStore, 'cursor'>;
  /** Largest frame a client may send (ws closes with 1009 above it). */
  maxPayloadBytes?: number;
  /** Send buffer above which a socket gets no more frames and is closed with 1013 (a slow consumer). */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  /** Distinct rooms one socket may be subscribed to; a frame that would pass it gets TOO_MANY_ROOMS. Default 1,000. */
  maxRoomsPerSocket?: number;
  /**
   * Cursor reads (subscriptions, heartbeats) running at once over the whole gateway; one user gets at most half of
   * them and users take turns (FairLimiter). Default 4.
   */
  cursorReadConcurrency?: number;
  /** Pings a client may send in one second; above it the socket is closed with 1008 (a ping flood). Default 20. */
  maxPingsPerSecond?: number;
  /**
   * Recipients written per turn of the event loop during a broadcast; between slices the server answers other
   * requests, so a send's acknowledgement does not wait behind a whole large room's broadcast.
   */
  broadcastSliceSize?: number;
  log?: (line: string) => void;
}

/** WebSocket close codes used here (RFC 6455 §7.4.1). */
export const CloseCode = { GoingAway: 1001, Unsupported: 1003, Policy: 1008, TooBig: 1009, TryAgainLater: 1013 } as const;

/** The fair limiter's key for heartbeat reads (user ids are never empty, so it cannot collide). */
const HEARTBEAT_KEY = '';

interface Session {
  socket: WebSocket;
  /** The upgraded TCP socket under `socket`: a broadcast writes its ready-made frame here. */
  raw: Duplex;
  userId: string;
  rooms: Set<string>;
  pings: PingRate;
  /** Subscribe frames being served; the socket is paused while there are any. */
  subscribing: number;
}

/**
 * `/ws` on the HTTP server: authenticates the upgrade, lets a user subscribe to its own rooms, delivers
 * message events to subscribed members only, sends heartbeats with each room's latest seq/version, and closes
 * a consumer whose send buffer grows past the limit instead of buffering without bound.
 */
export class WsGateway implements Broadcaster {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  /** Subscribers per room, so a broadcast visits only its room's sockets. */
  private readonly subscribers = new Map<string, Set<Session>>();
  /** Broadcasts waiting for the current batch to be written; they go out together, in publication order. */
  private readonly pending: { event: MessageEvent; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;
  private readonly sliceSize: number;
  private readonly maxBufferedBytes: number;
  private readonly heartbeat: NodeJS.Timeout;
  private heartbeatBusy = false;
  private readonly maxRooms: number;
  /** Every database read the gateway makes for clients, keyed by user (HEARTBEAT_KEY for heartbeats). */
  private readonly reads: FairLimiter;
  private slowConsumersClosed = 0;

  constructor(private readonly options: WsGatewayOptions) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
    this.sliceSize = Math.max(1, options.broadcastSliceSize ?? 100);
    this.maxRooms = Math.max(1, options.maxRoomsPerSocket ?? 1_000);
    const concurrency = Math.max(1, options.cursorReadConcurrency ?? 4);
    this.reads = new FairLimiter(concurrency, Math.max(1, Math.floor(concurrency / 2)));
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: options.maxPayloadBytes ?? 64 * 1024,
      // Pongs are answered by `pong` below, so a flood gets a close frame instead of ws's silent terminate.
      autoPong: false,
    });
    // ws's own handshake refusals (bad key, version, method) answer in plain text unless someone listens here.
    this.wss.on('wsClientError', (error: Error, socket: Duplex) =>
      refuse(socket, error.message === 'Invalid HTTP method' ? 405 : 400, 'INVALID_UPGRADE', `WebSocket handshake refused: ${error.message}`),
    );
    this.heartbeat = setInterval(() => void this.sendHeartbeats(), options.heartbeatMs ?? 5_000);
    this.heartbeat.unref();
  }

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  stats(): { connections: number; slowConsumersClosed: number } {
    return { connections: this.sessions.size, slowConsumersClosed: this.slowConsumersClosed };
  }

  /**
   * Resolves once the event's frame has been handed to every subscribed member's socket. Each frame is encoded
   * once and the same bytes go to every recipient. Events published while a batch is being written go out as the
   * next batch, concatenated into one write per socket (a busy room costs one write per socket per batch, not per
   * message); large rooms are written in slices (see `broadcastSliceSize`); every socket gets the frames in
   * publication order.
   */
  broadcast(event: MessageEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Closes every socket with 1001 (server going away). */
  /** A heartbeat round now (members compare each room's latest version with what they hold, and fill gaps). */
  heartbeatNow(): void {
    void this.sendHeartbeats();
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const { socket } of this.sessions) {
      socket.close(CloseCode.GoingAway, 'server shutting down');
      // A client that never answers the close handshake must not hold the shutdown for ws's 30 s.
      setTimeout(() => socket.terminate(), 1_000).unref();
    }
    this.wss.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return refuse(socket, 404, 'NOT_FOUND', `no WebSocket endpoint at ${url.pathname}`);
    const userId = this.options.world.userFor(bearerToken(request.headers.authorization, url.searchParams.get('token')));
    if (userId === undefined) return refuse(socket, 401, 'UNAUTHORIZED', 'a valid bearer token is required');
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, userId, socket));
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          await this.deliver(batch.map((p) => p.event));
          for (const p of batch) p.resolve();
        } catch (error) {
          // One failed batch must not fail the ones behind it.
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async deliver(events: MessageEvent[]): Promise<void> {
    const roomIds = events.map((e) => e.message.roomId);
    const recipients = new Set<Session>();
    for (const roomId of new Set(roomIds)) for (const session of this.subscribers.get(roomId) ?? []) recipients.add(session);
    if (recipients.size === 0) return;
    const frames = events.map((event) => wsTextFrame(JSON.stringify(event)));
    const all = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    let written = 0;
    for (const session of recipients) {
      if (written > 0 && written % this.sliceSize === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const mine = frames.filter(
        (_, i) => session.rooms.has(roomIds[i]!) && this.options.world.isMember(roomIds[i]!, session.userId),
      );
      if (mine.length === 0) continue;
      this.send(session, mine.length === frames.length ? all : Buffer.concat(mine));
      written++;
    }
  }

  private accept(socket: WebSocket, userId: string, raw: Duplex): void {
    const session: Session = { socket, raw, userId, rooms: new Set(), pings: new PingRate(this.options.maxPingsPerSecond ?? 20), subscribing: 0 };
    this.sessions.add(session);
    socket.on('close', () => this.forget(session));
    socket.on('error', (error) => this.options.log?.(`ws ${userId}: ${error.message}`));
    socket.on('message', (data, isBinary) => void this.receive(session, data, isBinary));
    socket.on('ping', (data) => this.pong(session, data));
  }

  /** Answers a ping, unless the client is flooding: then 1008 and a reason (RFC 6455 §7.4.1, policy violation). */
  private pong(session: Session, data: Buffer): void {
    const { socket } = session;
    if (socket.readyState !== WebSocket.OPEN) return;
    if (session.pings.allow()) {
      if (socket.bufferedAmount > this.maxBufferedBytes) return this.closeSlowConsumer(session);
      return socket.pong(data);
    }
    this.shut(session, CloseCode.Policy, `ping flood: more than ${session.pings.maxPerSecond} pings in a second`);
  }

  private async receive(session: Session, data: RawData, isBinary: boolean): Promise<void> {
    const request = isBinary ? undefined : parseJson(data.toString());
    if (request === undefined) return session.socket.close(CloseCode.Unsupported, 'frames must be JSON text');
    if (request.type === 'subscribe' || request.type === 'unsubscribe') {
      const rooms = request.rooms;
      if (!Array.isArray(rooms) || !rooms.every((r) => typeof r === 'string')) {
        return session.socket.close(CloseCode.Unsupported, `${request.type} needs rooms: string[]`);
      }
      // A room listed twice is one room (real clients send duplicates; a hostile one sends 12,000).
      const distinct = [...new Set(rooms)];
      if (request.type === 'unsubscribe') return void distinct.forEach((r) => this.leave(session, r));
      // One subscription at a time per socket: further frames wait in TCP buffers (backpressure on the client),
      // not in server memory, so a client cannot queue unbounded work by sending frames faster than it is served.
      // (Frames that arrived in the same TCP read are still delivered, hence a count rather than a flag.)
      if (session.subscribing++ === 0) session.socket.pause();
      try {
        await this.subscribe(session, distinct);
      } finally {
        if (--session.subscribing === 0) session.socket.resume();
      }
      return;
    }
    session.socket.close(CloseCode.Unsupported, `unknown message type ${JSON.stringify(request.type ?? null)}`.slice(0, 120));
  }

  /**
   * A room the user is not in gets one FORBIDDEN error and nothing else; the others are subscribed before their
   * cursors are read, so no broadcast falls between the cursor and the subscription. A frame that would take the
   * socket past `maxRoomsPerSocket` distinct rooms subscribes nothing and gets one TOO_MANY_ROOMS error (the socket
   * stays open: the client may subscribe to fewer). The cursors are read through the gateway's fair limiter, keyed by
   * user: at most a few of one user's reads run at once, and other users' reads take turns with them.
   */
  private async subscribe(session: Session, rooms: string[]): Promise<void> {
    const total = new Set([...session.rooms, ...rooms]).size;
    if (total > this.maxRooms) {
      const message = `a socket may subscribe to at most ${this.maxRooms} rooms; this frame would make it ${total}; nothing was subscribed`;
      return this.send(session, JSON.stringify({ type: 'error', code: 'TOO_MANY_ROOMS', limit: this.maxRooms, message }));
    }
    const allowed: string[] = [];
    for (const roomId of rooms) {
      if (this.options.world.isMember(roomId, session.userId)) allowed.push(roomId);
      else this.send(session, JSON.stringify({ type: 'error', code: 'FORBIDDEN', roomId, message: `not a member of room "${roomId}"` }));
    }
    if (allowed.length === 0) return;
    for (const roomId of allowed) this.join(session, roomId);
    try {
      const cursors = await Promise.all(allowed.map((roomId) => this.reads.run(session.userId, () => this.options.store.cursor(roomId))));
      this.send(session, JSON.stringify({ type: 'subscribed', rooms: cursors }));
    } catch (error) {
      this.send(session, JSON.stringify({ type: 'error', code: 'STORE_UNAVAILABLE', message: (error as Error).message }));
    }
  }

  private async sendHeartbeats(): Promise<void> {
    // The link's liveness must not wait on the database: every tick pings every socket (a control frame), even while
    // a slow round of cursor reads holds the heartbeat frames back. A client that hears nothing for long is cut off.
    for (const { socket } of this.sessions) if (socket.readyState === WebSocket.OPEN) socket.ping();
    if (this.heartbeatBusy || this.sessions.size === 0) return;
    this.heartbeatBusy = true;
    try {
      const rooms = new Set([...this.sessions].flatMap((s) => [...s.rooms]));
      const cursors = new Map<string, RoomCursor>();
      // One read per subscribed room however many sockets hold it, taking turns with the users' own reads.
      await Promise.all(
        [...rooms].map(async (roomId) => cursors.set(roomId, await this.reads.run(HEARTBEAT_KEY, () => this.options.store.cursor(roomId)))),
      );
      for (const session of this.sessions) {
        const held = [...session.rooms];
        // A room joined while this round read the cursors has none here: a heartbeat without it would claim the
        // session holds fewer rooms than it does. Its next round lists them all (heartbeatMs later).
        if (held.some((roomId) => !cursors.has(roomId))) continue;
        this.send(session, JSON.stringify({ type: 'heartbeat', rooms: held.map((roomId) => cursors.get(roomId)!) }));
      }
    } catch (error) {
      this.options.log?.(`heartbeat skipped: ${(error as Error).message}`);
    } finally {
      this.heartbeatBusy = false;
    }
  }

  private join(session: Session, roomId: string): void {
    session.rooms.add(roomId);
    let room = this.subscribers.get(roomId);
    if (room === undefined) this.subscribers.set(roomId, (room = new Set()));
    room.add(session);
  }

  private leave(session: Session, roomId: string): void {
    session.rooms.delete(roomId);
    const room = this.subscribers.get(roomId);
    room?.delete(session);
    if (room?.size === 0) this.subscribers.delete(roomId);
  }

  private forget(session: Session): void {
    this.sessions.delete(session);
    for (const roomId of [...session.rooms]) this.leave(session, roomId);
  }

  private closeSlowConsumer(session: Session): void {
    this.slowConsumersClosed++;
    this.shut(session, CloseCode.TryAgainLater, `slow consumer: send buffer over ${this.maxBufferedBytes} bytes`);
  }

  /** Stops delivering to a session and closes it with a code and reason. */
  private shut(session: Session, code: number, reason: string): void {
    this.forget(session);
    session.socket.close(code, reason);
    // A client that does not read will not read the close frame either.
    setTimeout(() => session.socket.terminate(), 1_000).unref();
  }

  /**
   * A string goes through ws; a ready-made frame (a broadcast) is written to the TCP socket itself. That is safe
   * because without permessage-deflate ws writes each of its own frames whole and at once, so frames never
   * interleave inside one another, and ws's `bufferedAmount` counts both.
   */
  private send(session: Session, frame: string | Buffer): void {
    const { socket } = session;
    if (socket.readyState !== WebSocket.OPEN) return;
    // What is already waiting decides, so memory stays under the limit plus one write (a frame or a batch).
    if (socket.bufferedAmount > this.maxBufferedBytes) return this.closeSlowConsumer(session);
    if (typeof frame === 'string') socket.send(frame);
    else session.raw.write(frame);
  }
}

function parseJson(text: string): { type?: unknown; rooms?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message, outcome: 'not_applied' } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
