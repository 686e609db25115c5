import { WebSocket } from 'ws';
import { epochNow, stampsIn } from './delivery-stamp.js';
import { referenceProtocol, type SwarmProtocol } from './swarm-protocol.js';

export interface SwarmMember {
  token: string;
  rooms: string[];
}

export interface SwarmOptions {
  /** The server's client protocol; the reference server's by default. */
  protocol?: SwarmProtocol;
  /**
   * Every n-th socket (0, n, 2n, …) times its deliveries from the send time stamped in the text (see
   * delivery-stamp.ts); 0, the default, times none. Sampling keeps the swarm's cost per frame low on the rest.
   */
  latencySampleEvery?: number;
}

const CONNECT_BATCH = 50;

/**
 * Many client sockets in the load process, each subscribed to its rooms. It counts deliveries by their frames'
 * prefixes without parsing them (see swarm-protocol.ts), so receiving costs about the same for every server under
 * test and for the bare ws baseline.
 */
export class SubscriberSwarm {
  deliveries = 0;
  /** Delivery latencies (ms, receive time minus stamped send time) on the sampled sockets. */
  readonly latencies: number[] = [];
  private readonly sockets: WebSocket[] = [];
  private waiter: { target: number; resolve: () => void } | undefined;

  private constructor(
    private readonly protocol: SwarmProtocol,
    private readonly sampleEvery: number,
  ) {}

  /** Opens one socket per member (in batches) and resolves once every one is subscribed. */
  static async open(wsUrl: string, members: SwarmMember[], options: SwarmOptions = {}): Promise<SubscriberSwarm> {
    const swarm = new SubscriberSwarm(options.protocol ?? referenceProtocol, options.latencySampleEvery ?? 0);
    try {
      for (let i = 0; i < members.length; i += CONNECT_BATCH) {
        await Promise.all(members.slice(i, i + CONNECT_BATCH).map((m) => swarm.connect(wsUrl, m)));
      }
    } catch (error) {
      swarm.close();
      throw error;
    }
    return swarm;
  }

  get size(): number {
    return this.sockets.length;
  }

  /** Resolves once `deliveries` reaches `target`; rejects after `timeoutMs` naming how far it got. */
  waitForDeliveries(target: number, timeoutMs: number): Promise<void> {
    if (this.deliveries >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`only ${this.deliveries} of ${target} deliveries after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  /** Stops reading one socket (a slow consumer): the kernel buffers fill and the server's send buffer grows. */
  pause(index: number): void {
    this.sockets[index]?.pause();
  }

  /** Sockets the server has closed so far (a closed slow consumer counts here). */
  closedCount(): number {
    return this.sockets.filter((s) => s.readyState === WebSocket.CLOSED || s.readyState === WebSocket.CLOSING).length;
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  private connect(wsUrl: string, member: SwarmMember): Promise<void> {
    const session = this.protocol.session(member);
    const socket = new WebSocket(wsUrl, { headers: this.protocol.headers(member), perMessageDeflate: false });
    const timed = this.sampleEvery > 0 && this.sockets.length % this.sampleEvery === 0;
    this.sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      // A server that closes instead of answering (Centrifugo, on a bad token) must not leave the open hanging.
      socket.once('close', (code, reason) => reject(new Error(`closed before subscribing: ${code} ${reason.toString()}`)));
      socket.once('open', () => socket.send(session.opening));
      socket.on('message', (data: Buffer) => {
        const reading = session.read(data);
        if (reading.answer !== undefined) socket.send(reading.answer);
        if (reading.deliveries > 0) {
          if (timed) this.time(data);
          this.delivered(reading.deliveries);
        }
        if (reading.subscribed) resolve();
        else if (reading.refused !== undefined) reject(new Error(reading.refused));
      });
    });
  }

  private time(frame: Buffer): void {
    const now = epochNow();
    for (const sentAt of stampsIn(frame.toString('latin1'))) this.latencies.push(now - sentAt);
  }

  private delivered(count: number): void {
    this.deliveries += count;
    if (this.waiter && this.deliveries >= this.waiter.target) {
      const { resolve: done } = this.waiter;
      this.waiter = undefined;
      done();
    }
  }
}
