import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

/** A TCP echo server that reports what it received and when each side closed, for proxy tests. */
export class EchoServer {
  readonly received: Buffer[] = [];
  readonly sockets: Socket[] = [];
  private readonly events = new EventTarget();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<EchoServer> {
    let echo: EchoServer | undefined;
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      echo?.sockets.push(socket);
      socket.on('data', (chunk: Buffer) => {
        echo?.received.push(chunk);
        if (!socket.writableEnded) socket.write(chunk);
        echo?.events.dispatchEvent(new Event('data'));
      });
      socket.on('end', () => {
        socket.end();
        echo?.events.dispatchEvent(new Event('end'));
      });
      socket.on('error', () => echo?.events.dispatchEvent(new Event('error')));
      socket.on('close', () => echo?.events.dispatchEvent(new Event('close')));
    });
    echo = new EchoServer(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return echo;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get receivedText(): string {
    return Buffer.concat(this.received).toString();
  }

  /** Resolves at the first server-side event of this kind after which `condition` holds. */
  until(kind: 'data' | 'end' | 'error' | 'close', condition: () => boolean = () => true): Promise<void> {
    if (kind === 'data' && condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = () => {
        if (!condition()) return;
        this.events.removeEventListener(kind, listener);
        resolve();
      };
      this.events.addEventListener(kind, listener);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
