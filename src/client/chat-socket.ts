import WebSocket from 'ws';
import { serverFrameSchema, type ServerFrame } from './wire-schema.js';

export interface ChatSocketHandlers {
  /** A well-formed server frame. */
  frame(frame: ServerFrame): void;
  /** A frame that is not the contract's (kept out of the history; counted by the client). */
  invalid(raw: string, why: string): void;
  /** The socket closed, for whatever reason (called once). */
  closed(code: number, reason: string): void;
}

export interface ChatSocketOptions {
  /** `ws://host:port/ws`. */
  url: string;
  token: string;
  /** The opening handshake must finish within this. */
  connectTimeoutMs: number;
  /**
   * Close the socket (code 4000) when no frame arrived for this long: a blackholed link never closes by itself, and
   * the server's heartbeats are what prove it alive. 0 turns it off.
   */
  idleTimeoutMs: number;
}

/** Close code used when the client gives up on a silent socket (4000-4999 are free for applications). */
export const IDLE_CLOSE_CODE = 4000;

/** How long a close handshake may take before the socket is simply dropped. */
const CLOSE_GRACE_MS = 500;

/** Thrown by `ChatSocket.open` when the WebSocket handshake does not succeed. */
export class SocketOpenError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SocketOpenError';
    this.code = code;
  }
}

/**
 * One WebSocket connection of §7: opened with the bearer token, frames parsed and validated, an idle watchdog,
 * one `closed` callback whatever ends it. It knows nothing of rooms, cursors or the history.
 */
export class ChatSocket {
  readonly #ws: WebSocket;
  readonly #handlers: ChatSocketHandlers;
  readonly #idleTimeoutMs: number;
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #opened = false;
  /** Set when this side decided to close, so `closed` reports why even if the peer never answered (1006). */
  #intent: { code: number; reason: string } | undefined;

  private constructor(ws: WebSocket, handlers: ChatSocketHandlers, idleTimeoutMs: number) {
    this.#ws = ws;
    this.#handlers = handlers;
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  static open(options: ChatSocketOptions, handlers: ChatSocketHandlers): Promise<ChatSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(options.url, {
        headers: { authorization: `Bearer ${options.token}` },
        handshakeTimeout: options.connectTimeoutMs,
      });
      const socket = new ChatSocket(ws, handlers, options.idleTimeoutMs);
      ws.on('unexpected-response', (_request, response) => {
        ws.terminate();
        reject(new SocketOpenError(`HTTP_${response.statusCode ?? 0}`, `WebSocket upgrade refused with HTTP ${response.statusCode ?? '?'}`));
      });
      ws.on('error', (error: Error & { code?: string }) => {
        if (!socket.#opened) reject(new SocketOpenError(error.code ?? 'WS_ERROR', `WebSocket could not open: ${error.message}`));
      });
      ws.on('open', () => {
        socket.#opened = true;
        socket.#armIdle();
        resolve(socket);
      });
      ws.on('message', (data, isBinary) => socket.#receive(data, isBinary));
      // The server's pings say the link is alive while its heartbeat frames wait on the database (ws answers them).
      ws.on('ping', () => socket.#armIdle());
      ws.on('close', (code, reason) => socket.#onClose(code, reason.toString()));
    });
  }

  get open(): boolean {
    return !this.#closed && this.#ws.readyState === WebSocket.OPEN;
  }

  send(payload: unknown): void {
    if (this.open) this.#ws.send(JSON.stringify(payload));
  }

  /**
   * A clean close; `closed` follows when the close handshake ends. A peer that never answers (a blackholed link)
   * would hold it for ws's 30 s, so after a short grace the socket is dropped instead.
   */
  close(code = 1000, reason = 'client closing'): void {
    this.#intent ??= { code, reason };
    if (this.#ws.readyState !== WebSocket.OPEN) return this.#ws.terminate();
    this.#ws.close(code, reason);
    setTimeout(() => this.#ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Drop the connection without a close handshake. */
  terminate(code = 1006, reason = 'terminated by client'): void {
    this.#intent ??= { code, reason };
    this.#ws.terminate();
  }

  #receive(data: WebSocket.RawData, isBinary: boolean): void {
    this.#armIdle();
    const raw = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    if (isBinary) return this.#handlers.invalid(raw, 'binary frame');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.#handlers.invalid(raw, 'not JSON');
    }
    const parsed = serverFrameSchema.safeParse(json);
    if (!parsed.success) return this.#handlers.invalid(raw, parsed.error.issues[0]?.message ?? 'not a contract frame');
    this.#handlers.frame(parsed.data);
  }

  #armIdle(): void {
    if (this.#idleTimeoutMs <= 0 || this.#closed) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.close(IDLE_CLOSE_CODE, `no frame for ${this.#idleTimeoutMs} ms`);
    }, this.#idleTimeoutMs);
    this.#idleTimer.unref();
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    if (!this.#opened) return;
    this.#handlers.closed(this.#intent?.code ?? code, this.#intent?.reason ?? reason);
  }
}
