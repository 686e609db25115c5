import { WebSocket } from 'ws';

export interface SwarmMember {
  token: string;
  rooms: string[];
}

const CREATED_PREFIX = '{"type":"message.created"';
const CONNECT_BATCH = 50;

/**
 * Many client sockets in the load process, each subscribed to its rooms. It counts deliveries (frames that start
 * like a `message.created` event) without parsing them, so receiving costs the same for the server under test and
 * for the bare ws baseline.
 */
export class SubscriberSwarm {
  deliveries = 0;
  private readonly sockets: WebSocket[] = [];
  private waiter: { target: number; resolve: () => void } | undefined;

  private constructor() {}

  /** Opens one socket per member (in batches) and resolves once every one is subscribed. */
  static async open(wsUrl: string, members: SwarmMember[]): Promise<SubscriberSwarm> {
    const swarm = new SubscriberSwarm();
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
    const socket = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${member.token}` }, perMessageDeflate: false });
    this.sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', rooms: member.rooms })));
      socket.on('message', (data: Buffer) => {
        if (data.length >= CREATED_PREFIX.length && data.toString('latin1', 0, CREATED_PREFIX.length) === CREATED_PREFIX) {
          this.deliveries++;
          if (this.waiter && this.deliveries >= this.waiter.target) {
            const { resolve: done } = this.waiter;
            this.waiter = undefined;
            done();
          }
          return;
        }
        if (data.toString('latin1', 0, 22) === '{"type":"subscribed","') resolve();
        else if (data.toString('latin1', 0, 16) === '{"type":"error",') reject(new Error(`subscribe refused: ${data.toString()}`));
      });
    });
  }
}
