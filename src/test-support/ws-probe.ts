import WebSocket from 'ws';

/** A test's WebSocket client: records every frame, ping and the close, and waits for conditions (no sleeps). */
export class WsProbe {
  readonly frames: Record<string, unknown>[] = [];
  closed: { code: number; reason: string } | undefined;
  /** WebSocket pings received (control frames; ws answers them). */
  pings = 0;
  private readonly waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
      this.wake();
    });
    socket.on('ping', () => {
      this.pings += 1;
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static open(url: string, token?: string): Promise<WsProbe> {
    const socket = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new WsProbe(socket)));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  /** Opens, subscribes, and waits for `subscribed`. */
  static async subscribed(url: string, token: string, rooms: string[]): Promise<WsProbe> {
    const probe = await WsProbe.open(url, token);
    probe.send({ type: 'subscribe', rooms });
    await probe.until(() => probe.ofType('subscribed').length > 0);
    return probe;
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  ofType(type: string): Record<string, unknown>[] {
    return this.frames.filter((f) => f.type === type);
  }

  until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`condition not met; frames: ${JSON.stringify(this.frames)}`)), timeoutMs);
      const check = () => {
        if (condition()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  close(): void {
    this.socket.terminate();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
