import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/event.js';
import { httpCall } from '../test-support/http-call.js';
import { startTestServer, type TestServer } from '../test-support/reference-server.js';
import { TcpProxy } from '../faults/tcp-proxy.js';
import { ChatClient, type ChatClientOptions } from './chat-client.js';
import { IDLE_CLOSE_CODE } from './chat-socket.js';
import { HttpChatApi } from './http-chat-api.js';

/**
 * The client against the real reference server (in-process, real database, real sockets), over the wire only:
 * HTTP, WebSocket and the admin fault endpoint.
 */
const USERS = ['alice', 'bob', 'carol'];
const ROOMS = ['live', 'away', 'gapcast', 'heartbeat', 'retry', 'final', 'drop', 'blackhole'];
const WORLD = {
  users: USERS.map((id) => ({ id, token: `${id}-t` })),
  rooms: [...ROOMS.map((id) => ({ id, members: USERS })), { id: 'secret', members: ['alice'] }],
};
const WAIT = 10_000;

let decoupled: TestServer;
let chatty: TestServer;
let coupled: TestServer;
const clients: ChatClient[] = [];

beforeAll(async () => {
  [decoupled, chatty, coupled] = await Promise.all([
    startTestServer('client-decoupled', { world: WORLD }),
    startTestServer('client-heartbeats', { world: WORLD, heartbeatMs: 150 }),
    startTestServer('client-coupled', { world: WORLD, pattern: 'coupled' }),
  ]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await Promise.all([decoupled, chatty, coupled].map((s) => s?.stop()));
});

/** One run's shared history sink, clock and op ids, as the runner provides them. */
function run(server: TestServer) {
  const history: HistoryEvent[] = [];
  const start = Date.now();
  let op = 0;
  const client = (user: string, rooms: string[], options: Partial<ChatClientOptions> = {}): ChatClient => {
    const c = new ChatClient({
      id: `${user}-${clients.length}`,
      userId: user,
      token: `${user}-t`,
      httpUrl: server.httpUrl,
      wsUrl: server.wsUrl,
      rooms,
      emit: (event) => history.push(event),
      now: () => Date.now() - start,
      nextOp: () => ++op,
      reconnect: { auto: false, backoffMs: 50 },
      finalRereads: 1,
      ...options,
    });
    clients.push(c);
    return c;
  };
  return { history, client };
}

const ofType = <T extends HistoryEvent['type']>(events: readonly HistoryEvent[], type: T) =>
  events.filter((e): e is Extract<HistoryEvent, { type: T }> => e.type === type);

async function arm(server: TestServer, point: string, params: object): Promise<void> {
  const { status, body } = await httpCall(server.adminUrl ?? '', 'PUT', `/_ackproof/faults/${point}`, { body: params });
  expect(status, JSON.stringify(body)).toBe(200);
}

describe('ChatClient against the reference server', () => {
  it('subscribing with every room listed twice is one subscription: one broadcast per change', async () => {
    const { history, client } = run(decoupled);
    const alice = client('alice', ['live'], { duplicateSubscriptions: true });
    const bob = client('bob', ['live']);
    await Promise.all([alice.connect(), bob.connect()]);
    const sent = await bob.send('live', 'once, to a sloppy subscriber');
    expect(sent.status).toBe('ok');
    await alice.waitFor(() => alice.message('live', sent.message!.id) !== undefined, WAIT);
    await bob.send('live', 'a second one, so a late duplicate of the first would have arrived');
    await alice.waitFor(() => alice.messages('live').length >= 2, WAIT);
    const toAlice = ofType(history, 'broadcast').filter((b) => b.process === alice.id && b.message.id === sent.message!.id);
    expect(toAlice).toHaveLength(1);
  });

  it('sends, is acknowledged, and every member receives the broadcast; the history records it all', async () => {
    const { history, client } = run(decoupled);
    const alice = client('alice', ['live']);
    const bob = client('bob', ['live']);
    await Promise.all([alice.connect(), bob.connect()]);

    const sent = await alice.send('live', 'hello bob');
    expect(sent.status).toBe('ok');
    expect(sent.httpStatus).toBe(201);
    const id = sent.message?.id ?? '';
    await bob.waitForBroadcast(id, WAIT);
    await alice.waitForBroadcast(id, WAIT);
    expect(bob.message('live', id)?.text).toBe('hello bob');

    const invoke = history.find((e) => e.type === 'invoke' && e.process === alice.id);
    const complete = history.find((e) => e.type === 'complete' && e.process === alice.id);
    expect(invoke).toMatchObject({ kind: 'send', roomId: 'live', clientMsgId: sent.clientMsgId, text: 'hello bob' });
    expect(complete).toMatchObject({ op: sent.op, status: 'ok', httpStatus: 201, message: { id } });
    expect(ofType(history, 'connection').filter((e) => e.state === 'open').map((e) => e.process).sort()).toEqual([alice.id, bob.id].sort());
    // The first connect loads the room (reason reconnect) even though it is empty.
    expect(ofType(history, 'catchup').filter((e) => e.process === bob.id)[0]).toMatchObject({ reason: 'reconnect', after: 0 });
  });

  it('a client that was away recovers what was sent, edited and deleted meanwhile', async () => {
    const { history, client } = run(decoupled);
    const alice = client('alice', ['away']);
    const bob = client('bob', ['away'], { pageLimit: 2 });
    await Promise.all([alice.connect(), bob.connect()]);
    const before = await alice.send('away', 'before');
    await bob.waitForMessage('away', before.message?.id ?? '', WAIT);

    await bob.disconnect();
    const kept = await alice.send('away', 'kept');
    const edited = await alice.send('away', 'to edit');
    const deleted = await alice.send('away', 'to delete');
    await alice.edit('away', edited.message?.id ?? '', 'edited while bob was away');
    await alice.delete('away', deleted.message?.id ?? '');
    expect(ofType(history, 'complete').every((e) => e.status === 'ok')).toBe(true);

    const mark = history.length;
    await bob.connect();
    const texts = bob.messages('away').map((m) => [m.text, m.deletedAt !== null]);
    expect(texts).toEqual([
      ['before', false],
      ['kept', false],
      ['edited while bob was away', false],
      ['', true],
    ]);
    const reads = ofType(history.slice(mark), 'catchup').filter((e) => e.process === bob.id);
    expect(reads.every((e) => e.reason === 'reconnect')).toBe(true);
    expect(reads.length).toBeGreaterThan(1); // pageLimit 2: paginated
    expect(ofType(history.slice(mark), 'connection')[0]).toMatchObject({ process: bob.id, state: 'open' });

    const view = await bob.finalSync();
    const truth = await new HttpChatApi({ baseUrl: decoupled.httpUrl, token: 'bob-t', timeoutMs: 5000 }).changes('away', 0, 100);
    if (truth.status !== 'ok') throw new Error('changes failed');
    // Every change comes back, each as the message was then: the truth is each message's latest.
    const latest = new Map(truth.value.changes.map((m) => [m.id, m]));
    expect(view.rooms).toEqual([{ roomId: 'away', messages: [...latest.values()].sort((a, b) => a.seq - b.seq) }]);
    expect(history.at(-1)).toMatchObject({ type: 'client-view', process: bob.id });
  });

  it('fills a gap revealed by a later broadcast at once, without reconnecting (broadcast lost by the server)', async () => {
    const { client } = run(decoupled);
    const alice = client('alice', ['gapcast']);
    const bob = client('bob', ['gapcast']);
    await Promise.all([alice.connect(), bob.connect()]);

    await arm(decoupled, 'broadcast.throw', { count: 1 });
    const lost = await alice.send('gapcast', 'never broadcast');
    const next = await alice.send('gapcast', 'broadcast');
    expect([lost.status, next.status]).toEqual(['ok', 'ok']);

    await bob.waitForMessage('gapcast', lost.message?.id ?? '', WAIT);
    const bobEvents = bob.events;
    expect(ofType(bobEvents, 'broadcast').map((e) => e.message.id)).not.toContain(lost.message?.id);
    const gapRead = ofType(bobEvents, 'catchup').find((e) => e.reason === 'gap');
    expect(gapRead?.changes.map((m) => m.id)).toContain(lost.message?.id);
    expect(bob.gaps[0]).toMatchObject({ roomId: 'gapcast', cause: 'seq' });
    expect(ofType(bobEvents, 'connection')).toHaveLength(1); // never reconnected
  });

  it('fills a gap announced by a heartbeat when nothing else arrives', async () => {
    const { client } = run(chatty);
    const alice = client('alice', ['heartbeat']);
    const bob = client('bob', ['heartbeat']);
    await Promise.all([alice.connect(), bob.connect()]);
    await arm(chatty, 'broadcast.throw', { count: 1 }); // one event, both copies lost
    const lost = await alice.send('heartbeat', 'only a heartbeat tells');
    await bob.waitForMessage('heartbeat', lost.message?.id ?? '', WAIT);
    expect(bob.events.some((e) => e.type === 'catchup' && e.reason === 'gap')).toBe(true);
  });

  it('with gap fill off, a lost broadcast waits for the next catch-up', async () => {
    const { client } = run(chatty);
    const alice = client('alice', ['heartbeat']);
    const bob = client('bob', ['heartbeat'], { gapFill: false });
    await Promise.all([alice.connect(), bob.connect()]);
    await arm(chatty, 'broadcast.throw', { count: 1 });
    const lost = await alice.send('heartbeat', 'bob will not hear of this live');
    // Two heartbeats later (each one announced the new seq), still nothing for bob.
    const seen = bob.heartbeats;
    await bob.waitFor(() => bob.heartbeats >= seen + 2, WAIT);
    expect(bob.message('heartbeat', lost.message?.id ?? '')).toBeUndefined();
    await bob.finalSync();
    expect(bob.message('heartbeat', lost.message?.id ?? '')?.text).toBe('bob will not hear of this live');
  });

  it('retries an unknown send with the same clientMsgId and ends with one message', async () => {
    const { history, client } = run(coupled);
    const alice = client('alice', ['retry'], { requestTimeoutMs: 400, retries: 2 });
    // coupled broadcasts inside the request: a slow broadcast makes the first attempt time out after the save.
    await arm(coupled, 'broadcast.delay', { ms: 1500 });
    const sent = await alice.send('retry', 'once only');
    // Normally [info, ok 200]; on a very loaded machine the first save itself may outlast the timeout.
    expect(sent.attempts[0]).toMatchObject({ status: 'info', error: { code: 'TIMEOUT' } });
    expect(sent).toMatchObject({ status: 'ok', httpStatus: 200 }); // the retry found the original
    const invokes = ofType(history, 'invoke');
    expect(invokes).toHaveLength(sent.attempts.length);
    expect(new Set(invokes.map((e) => e.clientMsgId))).toEqual(new Set([sent.clientMsgId]));
    expect(new Set(invokes.map((e) => e.op)).size).toBe(2);

    const page = await new HttpChatApi({ baseUrl: coupled.httpUrl, token: 'alice-t', timeoutMs: 5000 }).changes('retry', 0, 100);
    if (page.status !== 'ok') throw new Error('changes failed');
    expect(page.value.changes.filter((m) => m.clientMsgId === sent.clientMsgId)).toHaveLength(1);
    await httpCall(coupled.adminUrl ?? '', 'DELETE', '/_ackproof/faults/broadcast.delay');
  });

  it('reconnects by itself after an unexpected close and catches up what it missed', async () => {
    const { history, client } = run(decoupled);
    const alice = client('alice', ['drop']);
    const bob = client('bob', ['drop'], { reconnect: { auto: true, backoffMs: 20 } });
    await Promise.all([alice.connect(), bob.connect()]);
    await bob.dropConnection();
    const closed = ofType(history, 'connection').find((e) => e.process === bob.id && e.state === 'closed');
    expect(closed).toMatchObject({ code: 1006, reason: 'dropped by client' });
    const missed = await alice.send('drop', 'while bob reconnects');
    await bob.waitForMessage('drop', missed.message?.id ?? '', WAIT);
    await bob.waitForEvent((e) => e.type === 'connection' && e.process === bob.id && e.state === 'open', WAIT, bob.events.indexOf(closed as HistoryEvent));
    expect(bob.connected).toBe(true);
  });

  it('notices a blackholed socket by its silence, reconnects once healed, and catches up', async () => {
    const { client } = run(chatty);
    const { port } = new URL(chatty.httpUrl);
    const proxy = await TcpProxy.start({ name: 'ws', upstream: { host: '127.0.0.1', port: Number(port) } });
    try {
      const alice = client('alice', ['blackhole']);
      const bob = client('bob', ['blackhole'], {
        wsUrl: `ws://127.0.0.1:${proxy.listenPort}/ws`,
        idleTimeoutMs: 500, // heartbeats come every 150 ms
        requestTimeoutMs: 1000,
        reconnect: { auto: true, backoffMs: 20, maxBackoffMs: 100 },
      });
      await Promise.all([alice.connect(), bob.connect()]);
      proxy.addToxic({ name: 'bh', type: 'blackhole', stream: 'downstream' });
      const unheard = await alice.send('blackhole', 'sent into the void');
      const closed = await bob.waitForEvent((e) => e.type === 'connection' && e.state === 'closed', WAIT);
      expect(closed).toMatchObject({ code: IDLE_CLOSE_CODE });
      expect(bob.message('blackhole', unheard.message?.id ?? '')).toBeUndefined();

      proxy.removeToxic('bh');
      await bob.waitForMessage('blackhole', unheard.message?.id ?? '', WAIT);
      expect(bob.events.some((e) => e.type === 'catchup' && e.reason === 'reconnect' && e.changes.some((m) => m.id === unheard.message?.id))).toBe(true);
      await bob.disconnect(); // a clean close, not held up by anything
    } finally {
      await proxy.close();
    }
  });

  it('follows live broadcasts with its cursor, so a later catch-up does not fetch them again', async () => {
    const { client } = run(decoupled);
    const alice = client('alice', ['final']);
    const bob = client('bob', ['final']);
    await Promise.all([alice.connect(), bob.connect()]);
    const sent = await alice.send('final', 'one');
    await bob.waitForBroadcast(sent.message?.id ?? '', WAIT);
    expect(bob.cursor('final')).toEqual({ safe: sent.message?.version, highest: sent.message?.version, holes: [] });
    const result = await bob.catchUp('final', 'gap');
    expect(result).toMatchObject({ ok: true, pages: 1, changes: 0, complete: true });
    expect(bob.messages('final')).toHaveLength(1);
  });

  it('a bad token is refused with a code; nonsense options are refused by name', async () => {
    const { client } = run(decoupled);
    await expect(client('alice', ['live'], { token: 'wrong' }).connect()).rejects.toMatchObject({ name: 'ConnectError', code: 'HTTP_401' });
    expect(() => client('alice', ['live'], { requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs must be an integer >= 1/);
    expect(() => client('alice', ['live'], { reconnect: { auto: true, backoffMs: -1 } })).toThrow(/reconnect.backoffMs/);
  });

  it('a room the user is not in is refused and never shown', async () => {
    const { client } = run(decoupled);
    const carol = client('carol', ['secret']);
    await carol.connect();
    expect(carol.serverErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN', roomId: 'secret' })]);
    const result = await carol.send('secret', 'let me in');
    expect(result).toMatchObject({ status: 'fail', httpStatus: 403 });
  });
});
