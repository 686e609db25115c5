import type { Socket } from 'node:net';
import { resetSocket } from './reset-socket.js';
import { StreamPipe } from './stream-pipe.js';
import type { Toxic, ToxicLink, ToxicStream } from './toxic.js';

/** What `TcpProxy.connections()` lists of one proxied connection (plain data). */
export interface ConnectionInfo {
  id: number;
  label: string | undefined;
  /** The client's local port: the proxy sees it as the remote port of the accepted socket. */
  clientPort: number;
  openedAt: number;
}

/** A chunk a toxic dropped (blackhole, limit_data, response_lost). */
export interface DroppedChunk {
  connectionId: number;
  label: string | undefined;
  toxic: string;
  stream: ToxicStream;
  bytes: number;
}

export interface ProxyLinkHooks {
  toxicsOf(link: ProxyLink, stream: ToxicStream): Toxic[];
  onDropped(dropped: DroppedChunk): void;
  onClosed(link: ProxyLink): void;
}

/**
 * One proxied connection: the accepted client socket (downstream side) and the socket to the target (upstream
 * side), joined by two StreamPipes. FINs are passed on by the pipes (half-close is kept); an error on either side
 * resets both.
 */
export class ProxyLink implements ToxicLink {
  label: string | undefined;
  /** Toxics whose `attach` already ran for this link (it runs once per toxic and link). */
  readonly attached = new WeakSet<Toxic>();
  readonly clientPort: number;
  readonly openedAt = Date.now();
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closeRequested = false;
  private socketsClosed = 0;

  constructor(
    readonly id: number,
    private readonly client: Socket,
    private readonly target: Socket,
    label: string | undefined,
    private readonly hooks: ProxyLinkHooks,
  ) {
    const toxicsOf = hooks.toxicsOf;
    this.label = label;
    this.clientPort = client.remotePort ?? 0;
    new StreamPipe(client, target, 'upstream', this, () => toxicsOf(this, 'upstream'), () => toxicsOf(this, 'downstream'));
    new StreamPipe(target, client, 'downstream', this, () => toxicsOf(this, 'downstream'), () => toxicsOf(this, 'upstream'));
    for (const socket of [client, target]) {
      // An RST (or a failed connect to the target) on one side becomes an RST on the other: that is what a
      // client of the real target would have seen.
      socket.on('error', () => this.reset());
      socket.on('close', () => {
        this.socketsClosed += 1;
        if (this.socketsClosed === 2) this.finish();
      });
    }
  }

  get closed(): boolean {
    return this.state !== 'open';
  }

  info(): ConnectionInfo {
    return { id: this.id, label: this.label, clientPort: this.clientPort, openedAt: this.openedAt };
  }

  reset(): void {
    if (this.state === 'closed') return;
    this.state = 'closing';
    for (const socket of [this.client, this.target]) resetSocket(socket);
  }

  closeAfterCurrentChunk(): void {
    this.closeRequested = true;
  }

  /** Called by a pipe once a chunk was written or dropped. */
  afterChunk(): void {
    if (!this.closeRequested || this.state !== 'open') return;
    this.state = 'closing';
    this.client.destroySoon();
    this.target.destroySoon();
  }

  /** Called by a pipe when a toxic dropped a chunk (so a test or the runner can wait for it, not sleep). */
  dropped(toxic: string, stream: ToxicStream, bytes: number): void {
    this.hooks.onDropped({ connectionId: this.id, label: this.label, toxic, stream, bytes });
  }

  private finish(): void {
    this.state = 'closed';
    this.hooks.onClosed(this);
  }
}
