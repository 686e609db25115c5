import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { ChatError } from '../../chat/chat-error.js';
import { loneSurrogateAt } from '../../chat/well-formed-text.js';
import type { SocketioMessageStore } from './socketio-message-store.js';
import {
  HISTORY_EVENT,
  LIMITS,
  MESSAGE_EVENT,
  SEND_EVENT,
  type AppError,
  type HistoryAnswer,
  type HistoryPayload,
  type SendAnswer,
  type SendPayload,
} from './socketio-wire.js';

export interface SocketioChatAppOptions {
  store: SocketioMessageStore;
  /** How long a dropped client's session (its rooms and the packets it missed) is kept for recovery. */
  maxDisconnectionDurationMs: number;
  /** The Socket.IO adapter (default: the in-memory one); the Redis Streams adapter for several nodes. */
  adapter?: ServerOptions['adapter'];
  nodeId: string;
}

/** Admin paths on the app's port: the target tells each node the rooms and asks whether it is idle. */
const ROOMS_PATH = '/_admin/rooms';
const HEALTH_PATH = '/_admin/health';

/**
 * A small chat app on Socket.IO 4.8, written to be put under test as a third-party system would be: rooms, a `send`
 * acknowledged with the stored message (persist first, then acknowledge and broadcast to the room), a `history` read
 * for catching up, and connection-state recovery on, so a client that was cut off for less than
 * `maxDisconnectionDurationMs` gets its rooms and missed broadcasts back with `socket.recovered === true`.
 *
 * Membership comes from the rooms the target registers over the admin path (kept in memory; the target registers
 * them again after a restart). A user's identity is `auth.userId` (no tokens: this is a test app); `auth.rooms` are
 * the rooms the client subscribes to.
 */
export class SocketioChatApp {
  private readonly members = new Map<string, Set<string>>();
  private inflight = 0;

  private constructor(
    private readonly options: SocketioChatAppOptions,
    private readonly http: HttpServer,
    private readonly io: Server,
  ) {}

  static async start(options: SocketioChatAppOptions & { host: string; port: number }): Promise<SocketioChatApp> {
    const http = createServer();
    const io = new Server(http, {
      transports: ['websocket'],
      connectionStateRecovery: { maxDisconnectionDuration: options.maxDisconnectionDurationMs, skipMiddlewares: true },
      // Dead links are noticed in about 2 s, within a run's fault window.
      pingInterval: 1_000,
      pingTimeout: 1_000,
      ...(options.adapter ? { adapter: options.adapter } : {}),
    });
    const app = new SocketioChatApp(options, http, io);
    http.on('request', (req, res) => app.admin(req, res));
    io.on('connection', (socket) => app.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => resolve());
    });
    return app;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }

  private onConnection(socket: Socket): void {
    const { userId: rawUser, rooms: asked } = socket.handshake.auth as { userId?: unknown; rooms?: unknown };
    const userId = typeof rawUser === 'string' ? rawUser : '';
    // A recovered session already has its rooms back (Socket.IO restored them); a new one joins the rooms it asked
    // for (`auth.rooms`, default all) that the user is a member of: never a room the client did not ask for.
    if (!socket.recovered) {
      const wanted = Array.isArray(asked) ? asked.filter((r): r is string => typeof r === 'string') : undefined;
      for (const roomId of this.roomsOf(userId)) if (!wanted || wanted.includes(roomId)) void socket.join(roomId);
    }
    socket.on(SEND_EVENT, (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void this.send(userId, payload).then((answer) => (ack as (answer: SendAnswer) => void)(answer));
    });
    socket.on(HISTORY_EVENT, (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      void this.history(userId, payload).then((answer) => (ack as (answer: HistoryAnswer) => void)(answer));
    });
  }

  private async send(userId: string, payload: unknown): Promise<SendAnswer> {
    const request = asSendPayload(payload);
    if (typeof request === 'string') return refused('INVALID_REQUEST', request);
    if (!this.members.get(request.roomId)?.has(userId)) return refused('FORBIDDEN', `${userId || 'anonymous'} is not a member of room ${request.roomId}`);
    this.inflight += 1;
    try {
      const { message, created } = await this.options.store.append(request.roomId, userId, request.clientMsgId, request.text);
      // Persisted first: whatever happens to the broadcast, the message is in the store a catch-up reads.
      if (created) this.io.to(request.roomId).emit(MESSAGE_EVENT, message);
      return { ok: true, created, message };
    } catch (error) {
      return { ok: false, error: asAppError(error) };
    } finally {
      this.inflight -= 1;
    }
  }

  private async history(userId: string, payload: unknown): Promise<HistoryAnswer> {
    const request = asHistoryPayload(payload);
    if (typeof request === 'string') return refused('INVALID_REQUEST', request);
    if (!this.members.get(request.roomId)?.has(userId)) return refused('FORBIDDEN', `${userId || 'anonymous'} is not a member of room ${request.roomId}`);
    try {
      return { ok: true, ...(await this.options.store.changes(request.roomId, request.after, request.limit)) };
    } catch (error) {
      return { ok: false, error: asAppError(error) };
    }
  }

  private roomsOf(userId: string): string[] {
    return [...this.members].filter(([, members]) => members.has(userId)).map(([roomId]) => roomId);
  }

  private admin(req: IncomingMessage, res: ServerResponse): void {
    // Socket.IO handles its own path; everything else is the admin API or a 404.
    if (req.url?.startsWith('/socket.io/')) return;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === HEALTH_PATH) {
      return reply(200, { node: this.options.nodeId, inflight: this.inflight, sockets: this.io.of('/').sockets.size });
    }
    if (req.method === 'POST' && req.url === ROOMS_PATH) {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        try {
          const rooms = JSON.parse(body) as { id: string; members: string[] }[];
          for (const room of rooms) this.members.set(room.id, new Set(room.members));
          reply(200, { rooms: this.members.size });
        } catch (error) {
          reply(400, { error: { code: 'INVALID_REQUEST', message: String(error) } });
        }
      });
      return;
    }
    reply(404, { error: { code: 'NOT_FOUND', message: `${req.method} ${req.url}` } });
  }
}

export const ADMIN_PATHS = { rooms: ROOMS_PATH, health: HEALTH_PATH } as const;

function refused(code: string, message: string): { ok: false; error: AppError } {
  return { ok: false, error: { code, message, outcome: 'not_applied' } };
}

function asAppError(error: unknown): AppError {
  if (error instanceof ChatError) return { code: error.code, message: error.message, outcome: error.outcome };
  // Anything unexpected happened somewhere inside a write: the app cannot say it was not applied.
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), outcome: 'unknown' };
}

function asSendPayload(payload: unknown): SendPayload | string {
  const p = payload as Partial<SendPayload> | null;
  if (!p || typeof p.roomId !== 'string' || typeof p.clientMsgId !== 'string' || typeof p.text !== 'string') {
    return 'send needs {roomId, clientMsgId, text} strings';
  }
  if (p.clientMsgId.length === 0 || p.clientMsgId.length > LIMITS.clientMsgIdLength) return `clientMsgId must have 1..${LIMITS.clientMsgIdLength} characters`;
  if (Buffer.byteLength(p.text) > LIMITS.textBytes) return `text is over ${LIMITS.textBytes} bytes`;
  // Stored as acknowledged or not at all: the driver would store a lone surrogate as U+FFFD while the broadcast
  // carries it as sent (found by real-inputs: members held a text the database did not).
  for (const [field, value] of [['text', p.text], ['clientMsgId', p.clientMsgId]] as const) {
    const at = loneSurrogateAt(value);
    if (at >= 0) return `${field} holds a lone surrogate at index ${at} (not valid Unicode)`;
  }
  return { roomId: p.roomId, clientMsgId: p.clientMsgId, text: p.text };
}

function asHistoryPayload(payload: unknown): HistoryPayload | string {
  const p = payload as Partial<HistoryPayload> | null;
  if (!p || typeof p.roomId !== 'string' || typeof p.after !== 'number' || typeof p.limit !== 'number' || p.after < 0) {
    return 'history needs {roomId: string, after: number >= 0, limit: number}';
  }
  return { roomId: p.roomId, after: p.after, limit: Math.max(1, Math.min(LIMITS.historyPage, Math.floor(p.limit))) };
}
