import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/**
 * A client socket for tests that collects what it receives and lets a test wait for conditions (bytes, end, an
 * error) as events, never by sleeping.
 */
export class SocketProbe {
  received = Buffer.alloc(0);
  ended = false;
  error: NodeJS.ErrnoException | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error = error;
      this.notify();
    });
    socket.on('close', () => this.notify());
  }

  static async connect(port: number): Promise<SocketProbe> {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const probe = new SocketProbe(socket);
    await once(socket, 'connect');
    return probe;
  }

  get text(): string {
    return this.received.toString();
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  /** Resolves once `condition` holds (checked on every socket event). */
  until(condition: (probe: SocketProbe) => boolean): Promise<void> {
    if (condition(this)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!condition(this)) return false;
        resolve();
        return true;
      };
      const waiter = () => {
        if (!check()) this.waiters.push(waiter);
      };
      this.waiters.push(waiter);
    });
  }

  untilText(text: string): Promise<void> {
    return this.until((probe) => probe.text.includes(text));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
