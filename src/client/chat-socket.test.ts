import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ChatSocket, IDLE_CLOSE_CODE } from './chat-socket.js';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server that says nothing but, if `pingEveryMs`, WebSocket pings; `pongs` counts the client's answers. */
async function quietServer(pingEveryMs?: number) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const state = { pongs: 0, onPong: () => undefined as void };
  server.on('connection', (socket: WebSocket) => {
    socket.on('pong', () => {
      state.pongs += 1;
      state.onPong();
    });
    if (pingEveryMs === undefined) return;
    const timer = setInterval(() => socket.ping(), pingEveryMs);
    socket.on('close', () => clearInterval(timer));
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`, state };
}

function open(url: string, idleTimeoutMs: number) {
  const closes: { code: number; reason: string }[] = [];
  let wake = () => undefined as void;
  const closed = new Promise<void>((resolve) => (wake = resolve));
  const socket = ChatSocket.open(
    { url, token: 't', connectTimeoutMs: 2_000, idleTimeoutMs },
    { frame: () => undefined, invalid: () => undefined, closed: (code, reason) => (closes.push({ code, reason }), wake()) },
  );
  return { socket, closes, closed };
}

describe('ChatSocket idle timeout', () => {
  it('a link that carries no frame at all is closed once the idle time is up', async () => {
    const { url } = await quietServer();
    const { closes, closed } = open(url, 100);
    await closed;
    expect(closes).toEqual([{ code: IDLE_CLOSE_CODE, reason: 'no frame for 100 ms' }]);
  });

  it("the server's pings keep a link without frames alive past the idle time (heartbeat frames may wait on the database)", async () => {
    // The idle time is eighty ping intervals, so a loaded machine's stalls do not decide the outcome.
    const { url, state } = await quietServer(25);
    const { socket, closes, closed } = open(url, 2_000);
    const chat = await socket;
    // A hundred answered pings span 2.5 s, past the idle time.
    const pinged = new Promise<void>((resolve) => (state.onPong = () => (state.pongs >= 100 ? resolve() : undefined)));
    await Promise.race([pinged, closed]);
    expect(closes).toEqual([]);
    expect(chat.open).toBe(true);
    chat.terminate();
  });
});
