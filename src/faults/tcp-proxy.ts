import { EventEmitter } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { selects } from './connection-selector.js';
import { FaultSpecError } from './fault-spec-error.js';
import { ProxyLink, type ConnectionInfo, type DroppedChunk } from './proxy-link.js';
import type { ConnectionSelector, Toxic, ToxicSpec, ToxicStream } from './toxic.js';
import { createToxic } from './toxics/create-toxic.js';

export interface TcpProxyOptions {
  name: string;
  listenHost?: string;
  /** 0 (the default) picks a free port; it is kept across `setEnabled(false)` / `setEnabled(true)`. */
  listenPort?: number;
  upstream: { host: string; port: number };
  /**
   * Label each connection from a query parameter of its first HTTP request line (`GET /ws?client=alice-1 ...`),
   * so a WebSocket client is targeted by adding `?client=<id>` to its URL. Off unless given (e.g. `'client'`).
   */
  labelFromQueryParam?: string;
}

interface TcpProxyEvents {
  connection: [ConnectionInfo];
  disconnect: [ConnectionInfo];
  /** A toxic dropped a chunk (blackhole, limit_data beyond its limit, response_lost). */
  dropped: [DroppedChunk];
}

/**
 * A TCP fault proxy in Toxiproxy's model: it listens, and joins every accepted connection to a new connection to
 * the upstream target; toxics (one file each in `toxics/`) act on a stream of the connections they target.
 *
 * Targeting one client's connections: each connection has an id and an optional label, listed by `connections()`.
 * A label comes from `setCurrentLabel(label)` (connections accepted while it is set), from `labelFromQueryParam`,
 * or from `label(id, label)` (e.g. after `findByClientPort(ws._socket.localPort)`). A toxic's `target` selects
 * `all`, a label, a connection id or a client port, and is evaluated per chunk.
 *
 * `setEnabled(false)` is Toxiproxy's `enabled: false`: the port stops listening (new connections are refused,
 * ECONNREFUSED) and open connections are reset; `setEnabled(true)` listens again on the same port.
 */
export class TcpProxy extends EventEmitter<TcpProxyEvents> {
  private server: Server | undefined;
  private readonly links = new Map<number, ProxyLink>();
  private readonly active: Toxic[] = [];
  private nextId = 1;
  private currentLabel: string | undefined;
  private enabled = true;
  private port = 0;

  private constructor(private readonly options: TcpProxyOptions) {
    super();
  }

  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const proxy = new TcpProxy(options);
    await proxy.listen(options.listenPort ?? 0);
    return proxy;
  }

  get name(): string {
    return this.options.name;
  }

  get address(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  get listenPort(): number {
    return this.port;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  connections(): ConnectionInfo[] {
    return [...this.links.values()].map((link) => link.info());
  }

  findByClientPort(clientPort: number): ConnectionInfo | undefined {
    return this.connections().find((info) => info.clientPort === clientPort);
  }

  /** Connections accepted from now on carry this label (undefined: none). */
  setCurrentLabel(label: string | undefined): void {
    this.currentLabel = label;
  }

  label(connectionId: number, label: string | undefined): void {
    const link = this.links.get(connectionId);
    if (!link) return;
    link.label = label;
    this.attachActive(link);
  }

  toxics(): ToxicSpec[] {
    return this.active.map((toxic) => ({ ...toxic.spec }));
  }

  /** Adds a toxic (plain data; see ToxicSpec). It applies at once to matching open connections and to new ones. */
  addToxic(spec: ToxicSpec): void {
    if (this.active.some((toxic) => toxic.spec.name === spec.name)) {
      throw new FaultSpecError(`proxy "${this.name}": a toxic named "${spec.name}" is already active`);
    }
    const toxic = createToxic(spec);
    this.active.push(toxic);
    for (const link of this.links.values()) this.attach(toxic, link);
  }

  /** Heals one toxic: held data flows on, timers stop. Unknown names are ignored (healing is idempotent). */
  removeToxic(name: string): void {
    const index = this.active.findIndex((toxic) => toxic.spec.name === name);
    if (index < 0) return;
    const [toxic] = this.active.splice(index, 1);
    toxic?.heal();
  }

  /** Removes every toxic and re-enables the proxy. */
  async healAll(): Promise<void> {
    for (const toxic of this.active.splice(0)) toxic.heal();
    await this.setEnabled(true);
  }

  async setEnabled(enabled: boolean): Promise<void> {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    if (enabled) {
      await this.listen(this.port);
      return;
    }
    const server = this.server;
    this.server = undefined;
    server?.close();
    for (const link of this.links.values()) link.reset();
  }

  async close(): Promise<void> {
    for (const toxic of this.active.splice(0)) toxic.heal();
    this.enabled = false;
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const link of this.links.values()) link.reset();
    await closed;
  }

  private get host(): string {
    return this.options.listenHost ?? '127.0.0.1';
  }

  private listen(port: number): Promise<void> {
    const server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once('error', (error) =>
        reject(new FaultSpecError(`proxy "${this.name}" cannot listen on ${this.host}:${port}: ${error.message}`)),
      );
      server.listen(port, this.host, () => {
        const address = server.address();
        this.port = typeof address === 'object' && address ? address.port : port;
        this.server = server;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    if (!this.enabled) {
      client.resetAndDestroy();
      return;
    }
    const target = connect({ ...this.options.upstream, allowHalfOpen: true });
    const link = new ProxyLink(
      this.nextId++,
      client,
      target,
      this.currentLabel,
      {
        toxicsOf: (of, stream) => this.toxicsOf(of, stream),
        onDropped: (dropped) => this.emit('dropped', dropped),
        onClosed: (closed) => {
          this.links.delete(closed.id);
          this.emit('disconnect', closed.info());
        },
      },
    );
    this.links.set(link.id, link);
    if (this.options.labelFromQueryParam) this.labelFromFirstRequest(client, link, this.options.labelFromQueryParam);
    this.emit('connection', link.info());
    this.attachActive(link);
  }

  private toxicsOf(link: ProxyLink, stream: ToxicStream): Toxic[] {
    return this.active.filter((toxic) => toxic.spec.stream === stream && selects(toxic.spec.target, link));
  }

  private attachActive(link: ProxyLink): void {
    for (const toxic of this.active) this.attach(toxic, link);
  }

  private attach(toxic: Toxic, link: ProxyLink): void {
    if (link.closed || link.attached.has(toxic) || !selects(toxic.spec.target, link)) return;
    link.attached.add(toxic);
    toxic.attach?.(link);
  }

  private labelFromFirstRequest(client: Socket, link: ProxyLink, param: string): void {
    // prependListener: the label is set before the pipe (and its toxics) sees the first chunk.
    client.prependOnceListener('data', (chunk: Buffer) => {
      const requestLine = chunk.subarray(0, Math.min(chunk.length, 4096)).toString('latin1').split('\r\n', 1)[0] ?? '';
      const target = /^[A-Z]+ (\S+) HTTP\//.exec(requestLine)?.[1];
      if (!target) return;
      const value = new URL(target, 'http://proxy.invalid').searchParams.get(param);
      if (value) this.label(link.id, value);
    });
  }
}

export type { ConnectionInfo, ConnectionSelector, DroppedChunk };
