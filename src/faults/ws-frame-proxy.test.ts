import { EventEmitter, once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { WsFrameProxy } from './ws-frame-proxy.js';

/**
 * A tiny real broadcast server: `broadcast:<text>` sends `{type:"message.created", text}` to every client,
 * `close:<code>` closes the sender's socket with that code and reason "bye", anything else is echoed back as is.
 * A handshake without `Authorization: Bearer ok` is refused with 401.
 */
class BroadcastServer extends EventEmitter<{ closed: [{ code: number; reason: string }] }> {
  readonly handshakes: { url: string; authorization: string | undefined }[] = [];
  private constructor(readonly wss: WebSocketServer) {
    super();
  }

  static async start(): Promise<BroadcastServer> {
    const wss = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) =>
        done(req.headers.authorization === 'Bearer ok', 401),
    });
    const server = new BroadcastServer(wss);
    wss.on('connection', (socket, request) => {
      server.handshakes.push({ url: request.url ?? '', authorization: request.headers.authorization });
      socket.on('close', (code, reason) => server.emit('closed', { code, reason: reason.toString() }));
      socket.on('message', (data: RawData, isBinary: boolean) => {
        const text = data.toString();
        if (!isBinary && text.startsWith('broadcast:')) {
          const frame = JSON.stringify({ type: 'message.created', text: text.slice('broadcast:'.length) });
          for (const peer of wss.clients) peer.send(frame);
        } else if (!isBinary && text.startsWith('close:')) {
          socket.close(Number(text.slice('close:'.length)), 'bye');
        } else {
          socket.send(data, { binary: isBinary });
        }
      });
    });
    await once(wss, 'listening');
    return server;
  }

  get port(): number {
    const address = this.wss.address();
    return typeof address === 'object' && address ? address.port : 0;
  }
}

/** A client that records every frame and lets the test wait for a condition on them. */
class Client {
  readonly frames: { text: string; isBinary: boolean }[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      this.frames.push({ text: data.toString(), isBinary });
      this.notify();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
  }

  static async open(port: number, query: string, token = 'ok'): Promise<Client> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const client = new Client(socket);
    await once(socket, 'open');
    return client;
  }

  /** Texts of the `message.created` broadcasts received, in arrival order. */
  get broadcasts(): string[] {
    return this.frames.filter((f) => f.text.startsWith('{')).map((f) => (JSON.parse(f.text) as { text: string }).text);
  }

  until(condition: (client: Client) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const waiter = () => (condition(this) ? resolve() : this.waiters.push(waiter));
      waiter();
    });
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

let server: BroadcastServer;
let proxy: WsFrameProxy;
const clients: Client[] = [];

async function open(label: string): Promise<Client> {
  const client = await Client.open(proxy.listenPort, `client=${label}&token=t-${label}`);
  clients.push(client);
  return client;
}

/** Broadcasts each text through `via` and waits until `witness` got the last one (its frames are in order). */
async function broadcast(via: Client, witness: Client, ...texts: string[]): Promise<void> {
  for (const text of texts) via.socket.send(`broadcast:${text}`);
  await witness.until((c) => c.broadcasts.includes(texts.at(-1) ?? ''));
}

beforeEach(async () => {
  server = await BroadcastServer.start();
  proxy = await WsFrameProxy.start({ name: 'ws', upstream: { host: '127.0.0.1', port: server.port } });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await proxy.close();
  server.wss.close();
});

describe('WsFrameProxy relay', () => {
  it('passes path, query and Authorization on, and relays text and binary both ways', async () => {
    const alice = await open('alice');
    expect(server.handshakes[0]).toEqual({ url: '/ws?client=alice&token=t-alice', authorization: 'Bearer ok' });
    expect(proxy.connections()).toEqual([expect.objectContaining({ label: 'alice' })]);
    alice.socket.send('plain text');
    alice.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await alice.until((c) => c.frames.length === 2);
    expect(alice.frames).toEqual([
      { text: 'plain text', isBinary: false },
      { text: Buffer.from([1, 2, 3]).toString(), isBinary: true },
    ]);
  });

  it('relays a large volume intact in order', async () => {
    const alice = await open('alice');
    const frames = Array.from({ length: 12 }, (_, i) => Buffer.alloc(250_000, i));
    for (const frame of frames) alice.socket.send(frame, { binary: true });
    await alice.until((c) => c.frames.length === frames.length);
    expect(alice.frames.map((f) => f.text)).toEqual(frames.map((f) => f.toString()));
  });

  it("passes the server's refusal of a handshake on to the client", async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${proxy.listenPort}/ws`, { headers: { authorization: 'Bearer wrong' } });
    socket.on('error', () => {});
    const [, response] = (await once(socket, 'unexpected-response')) as [unknown, IncomingMessage];
    expect(response.statusCode).toBe(401);
    socket.terminate();
  });

  it('propagates close codes and reasons both ways', async () => {
    const alice = await open('alice');
    alice.socket.send('close:4001');
    await alice.until((c) => c.closed !== undefined);
    expect(alice.closed).toEqual({ code: 4001, reason: 'bye' });

    const bob = await open('bob');
    const serverSawClose = new Promise((resolve) => server.on('closed', (close) => close.code !== 4001 && resolve(close)));
    bob.socket.close(4002, 'leaving');
    expect(await serverSawClose).toEqual({ code: 4002, reason: 'leaving' });
  });
});

describe('WsFrameProxy frame rules', () => {
  it('drops the next matching frame to one client; the other client gets everything', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    proxy.addRule({ name: 'drop-1', action: 'drop', target: { label: 'alice' }, match: { types: ['message.created'] } });
    await broadcast(bob, alice, 'm1', 'm2');
    await bob.until((c) => c.broadcasts.includes('m2'));
    expect(alice.broadcasts).toEqual(['m2']);
    expect(bob.broadcasts).toEqual(['m1', 'm2']);
    expect(proxy.rules()).toEqual([expect.objectContaining({ applied: 1 })]);
  });

  it('duplicates the next N frames to one client', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    proxy.addRule({ name: 'dup', action: 'duplicate', target: { label: 'alice' }, count: 1 });
    await broadcast(bob, alice, 'm1', 'm2');
    await bob.until((c) => c.broadcasts.includes('m2'));
    expect(alice.broadcasts).toEqual(['m1', 'm1', 'm2']);
    expect(bob.broadcasts).toEqual(['m1', 'm2']);
  });

  it('delays a frame to one client past later ones; healing sends it at once', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    proxy.addRule({ name: 'late', action: 'delay', delayMs: 600_000, target: { label: 'alice' } });
    await broadcast(bob, alice, 'm1', 'm2');
    expect(alice.broadcasts).toEqual(['m2']);
    proxy.removeRule('late');
    await alice.until((c) => c.broadcasts.length === 2);
    expect(alice.broadcasts).toEqual(['m2', 'm1']);
    await bob.until((c) => c.broadcasts.includes('m2'));
    expect(bob.broadcasts).toEqual(['m1', 'm2']);
  });

  it('rejects a bad rule naming the field', () => {
    expect(() => proxy.addRule({ name: 'd', action: 'delay' })).toThrow(/delayMs/);
    expect(() => proxy.addRule({ name: 'x', action: 'explode' as 'drop' })).toThrow(/action/);
  });
});
