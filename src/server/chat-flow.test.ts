import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall } from '../test-support/http-call.js';
import { startTestServer, type TestServer } from '../test-support/reference-server.js';
import { WsProbe } from '../test-support/ws-probe.js';

const WORLD = {
  users: ['alice', 'bob', 'carol', 'dave'].map((id) => ({ id, token: `${id}-t` })),
  rooms: [
    { id: 'r1', members: ['alice', 'bob', 'carol'] },
    { id: 'r2', members: ['dave', 'alice'] },
  ],
};

let server: TestServer;
const probes: WsProbe[] = [];

beforeAll(async () => {
  server = await startTestServer('chat-flow', { world: WORLD });
});
afterAll(async () => {
  for (const probe of probes) probe.close();
  await server.stop();
});

async function subscribed(user: string, rooms: string[]): Promise<WsProbe> {
  const probe = await WsProbe.subscribed(server.wsUrl, `${user}-t`, rooms);
  probes.push(probe);
  return probe;
}

const send = (user: string, room: string, clientMsgId: string, text = `hello ${clientMsgId}`) =>
  httpCall(server.httpUrl, 'POST', `/rooms/${room}/messages`, { token: `${user}-t`, body: { clientMsgId, text } });

const createdIds = (probe: WsProbe) =>
  probe.ofType('message.created').map((f) => (f.message as { clientMsgId: string }).clientMsgId);

describe('send and broadcast', () => {
  it('stores a send and broadcasts it to every subscribed member and no one else', async () => {
    const alice = await subscribed('alice', ['r1']);
    const bob = await subscribed('bob', ['r1']);
    const dave = await subscribed('dave', ['r2']);
    const carolUnsubscribed = await WsProbe.open(server.wsUrl, 'carol-t');
    probes.push(carolUnsubscribed);
    dave.send({ type: 'subscribe', rooms: ['r1'] });
    await dave.until(() => dave.ofType('error').length === 1);
    expect(dave.ofType('error')[0]).toMatchObject({ type: 'error', code: 'FORBIDDEN', roomId: 'r1' });

    const reply = await send('alice', 'r1', 'flow-1', 'first!');
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ roomId: 'r1', senderId: 'alice', clientMsgId: 'flow-1', text: 'first!', seq: 1, version: 1, editedAt: null, deletedAt: null });
    expect(await server.messages('r1')).toEqual([reply.body.message]);
    await alice.until(() => createdIds(alice).includes('flow-1'));
    await bob.until(() => createdIds(bob).includes('flow-1'));
    expect(bob.ofType('message.created')[0]).toEqual({ type: 'message.created', message: reply.body.message });

    // A later message in r2 reaches dave and carol's socket stays silent; ws keeps order, so had either been sent
    // the r1 message it would have arrived first.
    await send('alice', 'r2', 'flow-2');
    await dave.until(() => createdIds(dave).includes('flow-2'));
    expect(createdIds(dave)).toEqual(['flow-2']);
    expect(dave.frames.filter((f) => f.type !== 'subscribed' && f.type !== 'error' && f.type !== 'heartbeat').length).toBe(1);
    expect(carolUnsubscribed.frames).toEqual([]);
  });

  it('answers subscribe with each room cursor and sends heartbeats of the same shape', async () => {
    const fast = await startTestServer('chat-flow-heartbeat', { world: WORLD, heartbeatMs: 50 });
    try {
      await httpCall(fast.httpUrl, 'POST', '/rooms/r1/messages', { token: 'bob-t', body: { clientMsgId: 'h1', text: 'x' } });
      const probe = await WsProbe.subscribed(fast.wsUrl, 'alice-t', ['r1', 'r2']);
      expect(probe.ofType('subscribed')[0]).toEqual({
        type: 'subscribed',
        rooms: [{ roomId: 'r1', latestSeq: 1, latestVersion: 1 }, { roomId: 'r2', latestSeq: 0, latestVersion: 0 }],
      });
      await probe.until(() => probe.ofType('heartbeat').length > 0);
      expect(probe.ofType('heartbeat')[0]).toEqual({ type: 'heartbeat', rooms: probe.ofType('subscribed')[0]!.rooms });
      probe.close();
    } finally {
      await fast.stop();
    }
  });
});

describe('idempotency and order', () => {
  it('a retried clientMsgId yields one message: 201 then 200 with the same message', async () => {
    const first = await send('bob', 'r1', 'retry-me');
    const retry = await send('bob', 'r1', 'retry-me');
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body.message).toEqual(first.body.message);
    expect((await server.messages('r1')).filter((m) => m.clientMsgId === 'retry-me')).toHaveLength(1);
  });

  it('stores and returns text exactly as acknowledged: emoji, combining marks, right-to-left marks', async () => {
    const text = 'e\u0301 👋🏽 \u200fשלום\u200e ok';
    const sent = await send('bob', 'r1', 'unicode-1', text);
    expect(sent.status).toBe(201);
    expect(sent.body.message.text).toBe(text);
    expect((await server.messages('r1')).find((m) => m.clientMsgId === 'unicode-1')?.text).toBe(text);
  });

  it('a key belongs to its sender: another member reusing it sends their own message; the same sender with another text is refused', async () => {
    const bobs = await send('bob', 'r1', 'shared-key', 'from bob');
    const carols = await send('carol', 'r1', 'shared-key', 'from carol');
    expect([bobs.status, carols.status]).toEqual([201, 201]);
    expect(carols.body.message).toMatchObject({ senderId: 'carol', text: 'from carol' });
    expect(carols.body.message.id).not.toBe(bobs.body.message.id);
    const reused = await send('bob', 'r1', 'shared-key', 'bob, another text');
    expect(reused).toMatchObject({ status: 409, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED', outcome: 'not_applied' } } });
    const stored = (await server.messages('r1')).filter((m) => m.clientMsgId === 'shared-key');
    expect(stored.map((m) => [m.senderId, m.text])).toEqual([['bob', 'from bob'], ['carol', 'from carol']]);
  });

  it('concurrent retries of one clientMsgId store one document: one 201, the rest 200 with the same id', async () => {
    const replies = await Promise.all(Array.from({ length: 5 }, () => send('carol', 'r1', 'same-key')));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.message.id)).size).toBe(1);
    expect((await server.messages('r1')).filter((m) => m.clientMsgId === 'same-key')).toHaveLength(1);
  });

  it('50 concurrent sends in one room get 50 unique, gap-free seq', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => send('dave', 'r2', `burst-${i}`)));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    const stored = (await server.messages('r2')).filter((m) => m.clientMsgId.startsWith('burst-'));
    expect(stored).toHaveLength(50);
    const seqs = stored.map((m) => m.seq);
    const first = seqs[0]!;
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => first + i));
  });
});

describe('recovery through the changes API', () => {
  it('a client away while messages were sent, edited and deleted recovers all of it, page by page', async () => {
    const room = 'away';
    await httpCall(server.adminUrl!, 'POST', '/_ackproof/world', { body: { rooms: [{ id: room, members: ['alice', 'bob'] }] } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await send('alice', room, `away-${i}`, `v1 ${i}`)).body.message.id);
    const edit = await httpCall(server.httpUrl, 'PATCH', `/rooms/${room}/messages/${ids[1]}`, { token: 'alice-t', body: { text: 'edited' } });
    expect(edit.status).toBe(200);
    expect(edit.body.message).toMatchObject({ text: 'edited', seq: 2, version: 6 });
    const del = await httpCall(server.httpUrl, 'DELETE', `/rooms/${room}/messages/${ids[3]}`, { token: 'alice-t' });
    expect(del.status).toBe(200);
    expect(del.body.message).toMatchObject({ text: '', seq: 4, version: 7 });
    expect(del.body.message.deletedAt).not.toBeNull();

    // bob catches up two at a time.
    const view = new Map<string, { text: string; deletedAt: string | null; seq: number }>();
    let after = 0;
    let pages = 0;
    for (;;) {
      const page = await httpCall(server.httpUrl, 'GET', `/rooms/${room}/changes?after=${after}&limit=2`, { token: 'bob-t' });
      expect(page.status).toBe(200);
      pages++;
      for (const m of page.body.changes) view.set(m.id, m);
      if (!page.body.hasMore) {
        after = page.body.latestVersion;
        break;
      }
      after = page.body.changes.at(-1).version;
    }
    // Every change is returned, each as the message was then: 7 changes, 2 a page.
    expect(pages).toBe(4);
    expect(after).toBe(7);
    expect([...view.values()].sort((a, b) => a.seq - b.seq).map((m) => (m.deletedAt ? '(deleted)' : m.text))).toEqual([
      'v1 0', 'edited', 'v1 2', '(deleted)', 'v1 4',
    ]);
    const none = await httpCall(server.httpUrl, 'GET', `/rooms/${room}/changes?after=7`, { token: 'bob-t' });
    expect(none.body).toEqual({ changes: [], latestVersion: 7, hasMore: false });
  });
});
