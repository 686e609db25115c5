import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Message } from '../chat/message.js';
import type { CatchupEvent, HistoryEvent } from '../history/event.js';
import { ChatClient, type ChatClientOptions } from './chat-client.js';
import { IDLE_CLOSE_CODE } from './chat-socket.js';
import { messageFixture } from './message-fixture.js';

/**
 * The client against a scripted peer that speaks §7 on real sockets, for what the reference server never does on
 * purpose: duplicate broadcasts, malformed frames, going silent.
 */
let peer: Server;
/** What the peer's changes endpoint holds: current message states, and the room counter it reports. */
let stored: Message[] = [];
let latestVersion = 0;
/** Frames the peer sends on a subscribe just before its `subscribed` answer (as a busy server may). */
let beforeSubscribed: string[] = [];
/** Every frame the peer received. */
let received: string[] = [];
let wss: WebSocketServer;
let base: string;
const sockets: WebSocket[] = [];
const clients: ChatClient[] = [];

beforeAll(async () => {
  peer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const after = Number(url.searchParams.get('after'));
    const limit = Number(url.searchParams.get('limit'));
    const newer = stored.filter((m) => m.version > after).sort((a, b) => a.version - b.version);
    const page = { changes: newer.slice(0, limit), latestVersion, hasMore: newer.length > limit };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
  });
  wss = new WebSocketServer({ server: peer, path: '/ws' });
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      received.push(String(data));
      for (const frame of beforeSubscribed) socket.send(frame);
      const latestSeq = Math.max(0, ...stored.map((m) => m.seq));
      socket.send(JSON.stringify({ type: 'subscribed', rooms: [{ roomId: 'general', latestSeq, latestVersion }] }));
    });
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(peer.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  sockets.splice(0);
  stored = [];
  latestVersion = 0;
  beforeSubscribed = [];
  received = [];
});
afterAll(async () => {
  for (const socket of wss.clients) socket.terminate();
  wss.close();
  peer.closeAllConnections();
  await new Promise((resolve) => peer.close(resolve));
});

function client(options: Partial<ChatClientOptions> = {}): { c: ChatClient; history: HistoryEvent[] } {
  const history: HistoryEvent[] = [];
  let op = 0;
  const c = new ChatClient({
    id: 'bob-1',
    userId: 'bob',
    token: 't',
    httpUrl: `http://${base}`,
    wsUrl: `ws://${base}/ws`,
    rooms: ['general'],
    emit: (e) => history.push(e),
    now: () => history.length,
    nextOp: () => ++op,
    reconnect: { auto: false, backoffMs: 20 },
    ...options,
  });
  clients.push(c);
  return { c, history };
}

describe('ChatClient against a scripted peer', () => {
  it('records a duplicate broadcast twice and shows the message once', async () => {
    const { c, history } = client();
    await c.connect();
    const frame = JSON.stringify({ type: 'message.created', message: messageFixture({ id: 'm1', seq: 1, version: 1 }) });
    sockets[0]?.send(frame);
    sockets[0]?.send(frame);
    await c.waitFor(() => history.filter((e) => e.type === 'broadcast').length === 2, 5000);
    expect(c.messages('general').map((m) => m.id)).toEqual(['m1']);
    expect(c.cursor('general').safe).toBe(1);
  });

  it('ignores a frame that is not the contract, without recording it', async () => {
    const { c, history } = client();
    await c.connect();
    sockets[0]?.send(JSON.stringify({ type: 'message.created', message: { id: 'm1' } }));
    sockets[0]?.send('not json');
    await c.waitFor(() => c.invalidFrames.length === 2, 5000);
    expect(history.some((e) => e.type === 'broadcast')).toBe(false);
    expect(c.connected).toBe(true);
  });

  it('closes a silent socket after idleTimeoutMs and reconnects by itself', async () => {
    const { c, history } = client({ idleTimeoutMs: 150, reconnect: { auto: true, backoffMs: 20 } });
    await c.connect();
    await c.waitFor(() => history.filter((e) => e.type === 'connection' && e.state === 'open').length >= 2, 5000);
    expect(history.find((e) => e.type === 'connection' && e.state === 'closed')).toMatchObject({ code: IDLE_CLOSE_CODE });
  });

  it('recovers a late-committed write on the next catch-up instead of skipping it (DESIGN §5)', async () => {
    const { c } = client({ pageLimit: 1 });
    await c.connect();
    // Writers A and B got versions 1 and 2; B committed first. The counter already says 2.
    const a = messageFixture({ id: 'A', seq: 1, version: 1 });
    const b = messageFixture({ id: 'B', seq: 2, version: 2 });
    stored = [b];
    latestVersion = 2;
    expect(await c.catchUp('general', 'gap')).toMatchObject({ ok: true, complete: false });
    expect(c.messages('general').map((m) => m.id)).toEqual(['B']);
    expect(c.cursor('general')).toEqual({ safe: 0, highest: 2, holes: [1] });

    stored = [a, b]; // A commits late, below the version B already showed
    expect(await c.catchUp('general', 'gap')).toMatchObject({ ok: true, complete: true, pages: 2 });
    expect(c.messages('general').map((m) => m.id)).toEqual(['A', 'B']);
    expect(c.cursor('general').safe).toBe(2);
  });

  it('final sync re-reads a bounded number of times while a hole stays, then records its view', async () => {
    const { c, history } = client({ finalRereads: 2, retryBackoffMs: 1 });
    await c.connect();
    // Version 1 was superseded (or never committed): it will never show up.
    stored = [messageFixture({ id: 'A', seq: 1, version: 2, text: 'edited', editedAt: '2026-01-01T00:00:01.000Z' })];
    latestVersion = 2;
    const view = await c.finalSync();
    const finals = history.filter((e): e is CatchupEvent => e.type === 'catchup' && e.reason === 'final');
    expect(finals).toHaveLength(3);
    expect(finals.every((e) => e.after === 0)).toBe(true);
    expect(view).toMatchObject({ type: 'client-view', process: 'bob-1', rooms: [{ roomId: 'general', messages: [{ id: 'A', text: 'edited' }] }] });
  });

  it('a heartbeat that overtakes `subscribed` does not start a gap pass: the connect\'s own catch-up (reason reconnect) reads what was missed', async () => {
    // The reference server joins the rooms before it reads their cursors for `subscribed`, so a heartbeat can come
    // first (the race behind the flaky "blackholed socket" test): its cursor shows the missed message.
    stored = [messageFixture({ id: 'missed', seq: 1, version: 1 })];
    latestVersion = 1;
    beforeSubscribed = [JSON.stringify({ type: 'heartbeat', rooms: [{ roomId: 'general', latestSeq: 1, latestVersion: 1 }] })];
    const { c, history } = client();
    await c.connect();
    const catchups = history.filter((e): e is CatchupEvent => e.type === 'catchup');
    expect(catchups.map((e) => [e.reason, e.changes.map((m) => m.id)])).toEqual([['reconnect', ['missed']]]);
    expect(c.gaps).toEqual([]);
  });

  it('a refused upgrade rejects connect with a code', async () => {
    const { c } = client({ wsUrl: `ws://${base}/nope` });
    await expect(c.connect()).rejects.toMatchObject({ name: 'ConnectError', code: 'HTTP_400' });
  });

  it('lists each room twice in its subscribe frame with duplicateSubscriptions, as a sloppy real client does', async () => {
    const plain = client();
    await plain.c.connect();
    const sloppy = client({ duplicateSubscriptions: true });
    await sloppy.c.connect();
    expect(received.map((frame) => JSON.parse(frame) as unknown)).toEqual([
      { type: 'subscribe', rooms: ['general'] },
      { type: 'subscribe', rooms: ['general', 'general'] },
    ]);
  });
});
