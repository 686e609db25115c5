import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { FaultSpecError } from './fault-spec-error.js';
import { ActiveFrameRule, type Frame, type FrameDirection, type FrameRule } from './frame-rule.js';
import { closeLike } from './ws-close.js';

export interface WsFrameProxyOptions {
  name: string;
  listenHost?: string;
  listenPort?: number;
  /** The WebSocket server; a client's path and query (`/ws?token=…`) are kept. */
  upstream: { host: string; port: number };
  /** The query parameter that labels a connection (default `client`: `/ws?client=alice-1`). */
  labelParam?: string;
}

export interface WsConnectionInfo {
  id: number;
  label: string | undefined;
  /** Path and query as the client asked for them. */
  url: string;
}

/** One frame a rule took, for tests and logs (the rule itself is the fault's plain-data record). */
export interface FrameFaultApplied {
  rule: string;
  action: FrameRule['action'];
  connectionId: number;
  label: string | undefined;
  direction: FrameDirection;
}

interface WsFrameProxyEvents {
  connection: [WsConnectionInfo];
  disconnect: [WsConnectionInfo & { code: number; reason: string }];
  'frame-fault': [FrameFaultApplied];
}

/** Headers a client's handshake passes on to the server (authentication and origin). */
const FORWARDED_HEADERS = ['authorization', 'cookie', 'origin', 'user-agent'] as const;

/**
 * A WebSocket relay that can drop, duplicate or delay single frames, which no TCP proxy can do: it accepts a
 * client's WebSocket only once its own connection to the server (same path, query and Authorization) is open, so
 * a refused handshake reaches the client with the server's status; then it relays messages both ways (text stays
 * text, binary stays binary) and passes close codes and reasons on in both directions.
 *
 * Rules (plain data, see FrameRule) act per frame; the first rule in force that takes a frame decides its fate.
 * A delayed frame is sent later while later frames flow on; healing a rule sends its held frames at once; a frame
 * still held when its connection closes is lost. A side that reads slowly pauses the other (at most about 1 MiB is
 * queued towards it). Ping and pong are answered per hop (`ws` does it); application
 * heartbeats are frames and are relayed.
 */
export class WsFrameProxy extends EventEmitter<WsFrameProxyEvents> {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly relays = new Map<number, { info: WsConnectionInfo; client: WebSocket; upstream: WebSocket }>();
  private readonly active: ActiveFrameRule[] = [];
  private nextId = 1;
  private port = 0;

  private constructor(
    private readonly options: WsFrameProxyOptions,
    private readonly server: Server,
  ) {
    super();
  }

  static async start(options: WsFrameProxyOptions): Promise<WsFrameProxy> {
    const server = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket upgrade required');
    });
    const proxy = new WsFrameProxy(options, server);
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => proxy.upgrade(request, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new FaultSpecError(`ws frame proxy "${options.name}" cannot listen: ${error.message}`)),
      );
      server.listen(options.listenPort ?? 0, options.listenHost ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  get name(): string {
    return this.options.name;
  }

  get listenPort(): number {
    return this.port;
  }

  connections(): WsConnectionInfo[] {
    return [...this.relays.values()].map(({ info }) => ({ ...info }));
  }

  label(connectionId: number, label: string | undefined): void {
    const relay = this.relays.get(connectionId);
    if (relay) relay.info.label = label;
  }

  addRule(rule: FrameRule): void {
    if (this.active.some((active) => active.rule.name === rule.name)) {
      throw new FaultSpecError(`ws frame proxy "${this.name}": a rule named "${rule.name}" is already active`);
    }
    this.active.push(new ActiveFrameRule({ ...rule }));
  }

  /** Heals a rule: its delayed frames are sent now and it takes no more. Unknown names are ignored. */
  removeRule(name: string): void {
    const index = this.active.findIndex((active) => active.rule.name === name);
    if (index < 0) return;
    const [active] = this.active.splice(index, 1);
    active?.timers.fireAll();
  }

  healAll(): void {
    for (const active of this.active.splice(0)) active.timers.fireAll();
  }

  /** The rules in force, with how many frames each took so far. */
  rules(): { rule: FrameRule; applied: number }[] {
    return this.active.map((active) => ({ rule: { ...active.rule }, applied: active.applied }));
  }

  async close(): Promise<void> {
    for (const active of this.active.splice(0)) active.timers.cancelAll();
    for (const { client, upstream } of this.relays.values()) {
      client.terminate();
      upstream.terminate();
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = request.url ?? '/';
    const { host, port } = this.options.upstream;
    const upstream = new WebSocket(`ws://${host}:${port}${url}`, {
      headers: forwardedHeaders(request.headers),
      perMessageDeflate: false,
    });
    const early: Frame[] = [];
    let relay: ((frame: Frame) => void) | undefined;
    upstream.on('message', (data: RawData, isBinary: boolean) => {
      const frame = { data: data as Buffer, isBinary };
      if (relay) relay(frame);
      else early.push(frame);
    });
    upstream.on('error', () => {
      if (upstream.readyState !== WebSocket.OPEN) refuse(socket, 502, 'Bad Gateway', 'the WebSocket server cannot be reached');
    });
    upstream.once('unexpected-response', (upstreamRequest, response) => {
      const body: Buffer[] = [];
      response.on('data', (chunk: Buffer) => body.push(chunk));
      response.on('end', () => {
        refuse(socket, response.statusCode ?? 502, response.statusMessage ?? 'Bad Gateway', Buffer.concat(body).toString(), response.headers['content-type']);
        upstreamRequest.destroy();
      });
    });
    socket.on('error', () => upstream.terminate());
    socket.once('close', () => {
      if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
    });
    upstream.once('open', () => {
      if (socket.destroyed) {
        upstream.terminate();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (client) => {
        const info: WsConnectionInfo = { id: this.nextId++, label: labelOf(url, this.options.labelParam ?? 'client'), url };
        this.relays.set(info.id, { info, client, upstream });
        relay = (frame) => this.forward(info, 'downstream', frame, client, upstream);
        client.on('message', (data: RawData, isBinary: boolean) =>
          this.forward(info, 'upstream', { data: data as Buffer, isBinary }, upstream, client),
        );
        client.on('error', () => {});
        client.on('close', (code, reason) => {
          closeLike(upstream, code, reason);
          if (this.relays.delete(info.id)) this.emit('disconnect', { ...info, code, reason: reason.toString() });
        });
        upstream.on('close', (code, reason) => closeLike(client, code, reason));
        this.emit('connection', { ...info });
        for (const frame of early.splice(0)) relay(frame);
      });
    });
  }

  private forward(info: WsConnectionInfo, direction: FrameDirection, frame: Frame, sink: WebSocket, source: WebSocket): void {
    const send = (held: Frame) => sendWithBackpressure(sink, source, held);
    const rule = this.active.find((active) => active.take(info.label, direction, frame));
    if (!rule) {
      send(frame);
      return;
    }
    const { action } = rule.rule;
    this.emit('frame-fault', { rule: rule.rule.name, action, connectionId: info.id, label: info.label, direction });
    if (action === 'duplicate') {
      send(frame);
      send(frame);
    } else if (action === 'delay') {
      rule.timers.after(rule.rule.delayMs ?? 0, () => send(frame));
    }
    // drop: nothing is sent.
  }
}

/** Bytes queued towards a slow side before the other side is paused: memory stays bounded. */
const HIGH_WATER = 1 << 20;

function sendWithBackpressure(sink: WebSocket, source: WebSocket, frame: Frame): void {
  if (sink.readyState !== WebSocket.OPEN) return;
  sink.send(frame.data, { binary: frame.isBinary }, () => {
    if (source.isPaused && sink.bufferedAmount < HIGH_WATER / 4 && source.readyState === WebSocket.OPEN) source.resume();
  });
  if (sink.bufferedAmount > HIGH_WATER && !source.isPaused) source.pause();
}

function labelOf(url: string, param: string): string | undefined {
  return new URL(url, 'http://proxy.invalid').searchParams.get(param) ?? undefined;
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') forwarded[name] = value;
  }
  return forwarded;
}

/** Answers a client's handshake with an HTTP error (the server's own, when it refused) and closes. */
function refuse(socket: Duplex, status: number, statusText: string, body: string, contentType = 'text/plain'): void {
  if (socket.destroyed || !socket.writable) return;
  const payload = Buffer.from(body);
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: ${contentType}\r\n` +
      `Content-Length: ${payload.length}\r\n\r\n${payload.toString()}`,
  );
}
