import type { Socket } from 'node:net';
import type { Toxic, ToxicStream } from './toxic.js';
import type { ProxyLink } from './proxy-link.js';

/** Bytes held per stream before the sender is paused: memory stays bounded whatever a toxic holds back. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 1 << 18;
const END = Symbol('end');

interface Held {
  chunk: Buffer;
  receivedAt: number;
}

/**
 * One direction of a proxied connection: reads the source socket, runs each chunk through the active toxics in
 * order (one chunk at a time, so order is kept), writes to the sink, and passes the FIN on. Backpressure both ways:
 * the source is paused while too much is held, and a full sink is waited for ('drain').
 */
export class StreamPipe {
  private readonly queue: (Held | typeof END)[] = [];
  private heldBytes = 0;
  private running = false;

  constructor(
    private readonly source: Socket,
    private readonly sink: Socket,
    readonly stream: ToxicStream,
    private readonly link: ProxyLink,
    /** The toxics acting on this stream of this link now (read per chunk, so adds and heals apply at once). */
    private readonly toxics: () => Toxic[],
    /** The toxics of the other stream of this link that watch this one. */
    private readonly observers: () => Toxic[],
  ) {
    source.on('data', (chunk: Buffer) => this.push({ chunk, receivedAt: Date.now() }));
    source.on('end', () => this.push(END));
  }

  private push(item: Held | typeof END): void {
    this.queue.push(item);
    if (item !== END) {
      this.heldBytes += item.chunk.length;
      if (this.heldBytes > HIGH_WATER) this.source.pause();
    }
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (let item = this.queue.shift(); item !== undefined && !this.link.closed; item = this.queue.shift()) {
        if (item === END) await this.passEnd();
        else await this.pass(item);
        if (this.heldBytes <= LOW_WATER && this.source.isPaused() && !this.link.closed) this.source.resume();
      }
    } finally {
      this.running = false;
    }
  }

  private async pass(held: Held): Promise<void> {
    this.heldBytes -= held.chunk.length;
    let chunk: Buffer | null = held.chunk;
    for (const toxic of this.toxics()) {
      if (!toxic.transform) continue;
      chunk = await toxic.transform(chunk, this.link, held.receivedAt);
      if (this.link.closed) return;
      if (chunk === null) {
        this.link.dropped(toxic.spec.name, this.stream, held.chunk.length);
        break;
      }
    }
    if (chunk && chunk.length > 0 && this.sinkWritable()) {
      for (const observer of this.observers()) observer.observe?.(chunk, this.link);
      if (!this.sink.write(chunk)) await drained(this.sink);
    }
    this.link.afterChunk();
  }

  private async passEnd(): Promise<void> {
    for (const toxic of this.toxics()) {
      await toxic.beforeEnd?.(this.link);
      if (this.link.closed) return;
    }
    if (this.sinkWritable()) this.sink.end();
  }

  private sinkWritable(): boolean {
    return !this.sink.destroyed && !this.sink.writableEnded;
  }
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
