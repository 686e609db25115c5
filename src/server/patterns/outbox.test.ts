import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpCall } from '../../test-support/http-call.js';
import { broadcastIds, RecordedClients } from '../../test-support/recorded-clients.js';
import { startTestServer, type TestServer } from '../../test-support/reference-server.js';

/** The outbox pattern in the reference server (in-process), seen over the wire only. */
const servers: TestServer[] = [];
let clients = new RecordedClients();
afterEach(async () => {
  await clients.closeAll();
  clients = new RecordedClients();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function server(pattern: 'decoupled' | 'outbox', label: string): Promise<TestServer> {
  const s = await startTestServer(`outbox-${label}-${pattern}`, {
    pattern,
    outbox: { pollMs: 60_000, backoffMs: 5, maxBackoffMs: 20 },
    // The burst below is 200 sends to one room at once, past load shedding's per-room bound: what it exercises is the bus.
    shedding: { maxInFlight: 0, maxInFlightPerRoom: 0 },
  });
  servers.push(s);
  return s;
}

const arm = (s: TestServer, point: string, params: object = {}) =>
  httpCall(s.adminUrl ?? '', 'PUT', `/_ackproof/faults/${point}`, { body: params });
/** The relay writes its marks in batches (markDelayMs), so a drained outbox shows a moment after the broadcasts. */
const MARKS_WRITTEN = { timeout: 5_000, interval: 50 };
const health = async (s: TestServer) => (await httpCall(s.httpUrl, 'GET', '/healthz')).body;
const send = (s: TestServer, clientMsgId: string, token = 'alice-token') =>
  httpCall(s.httpUrl, 'POST', '/rooms/general/messages', { token, body: { clientMsgId, text: clientMsgId } });

describe('outbox pattern', () => {
  it('broadcasts creates, edits and deletes live, and /healthz shows the outbox drained', async () => {
    const s = await server('outbox', 'live');
    const bob = clients.client('bob', s);
    await bob.connect();
    const created = (await send(s, 'o-1')).body.message;
    await bob.waitForBroadcast(created.id, 5_000);
    expect((await httpCall(s.httpUrl, 'PATCH', `/rooms/general/messages/${created.id}`, { token: 'alice-token', body: { text: 'edited' } })).status).toBe(200);
    expect((await httpCall(s.httpUrl, 'DELETE', `/rooms/general/messages/${created.id}`, { token: 'alice-token' })).status).toBe(200);
    await bob.waitFor(() => bob.events.some((e) => e.type === 'broadcast' && e.event === 'message.deleted'), 5_000);
    expect(bob.events.flatMap((e) => (e.type === 'broadcast' ? [[e.event, e.message.version]] : []))).toEqual([
      ['message.created', 1],
      ['message.edited', 2],
      ['message.deleted', 3],
    ]);
    // Three changes, three records, each marked delivered once its own broadcast was made.
    await vi.waitFor(async () => expect((await health(s)).outbox).toMatchObject({ pending: 0, retries: 0, delivered: 3 }), MARKS_WRITTEN);
    expect((await health(s)).bus).toMatchObject({ rejected: 0, delivered: 0 }); // the bus is not used
  });

  it('while the broadcaster throws it acknowledges and keeps messages pending; once healed they go out live', async () => {
    const s = await server('outbox', 'window');
    const bob = clients.client('bob', s);
    await bob.connect();
    expect((await arm(s, 'broadcast.throw')).status).toBe(200);
    const acked = await Promise.all(['w-1', 'w-2', 'w-3'].map((id) => send(s, id)));
    expect(acked.map((r) => r.status)).toEqual([201, 201, 201]);
    await vi.waitFor(async () => {
      const { outbox } = await health(s);
      expect(outbox).toMatchObject({ pending: 3, delivered: 0 });
      expect(outbox.retries).toBeGreaterThanOrEqual(3);
    });
    expect(broadcastIds(bob).size).toBe(0);
    await httpCall(s.adminUrl ?? '', 'DELETE', '/_ackproof/faults/broadcast.throw');
    for (const reply of acked) await bob.waitForBroadcast(reply.body.message.id, 5_000);
    await vi.waitFor(async () => expect((await health(s)).outbox).toMatchObject({ pending: 0, delivered: 3 }), MARKS_WRITTEN);
  });

  it('a burst of 200 sends with the event bus saturated: outbox delivers every one live, decoupled rejects them', async () => {
    const live: Record<string, number> = {};
    for (const pattern of ['decoupled', 'outbox'] as const) {
      const s = await server(pattern, 'burst');
      const members = [clients.client('bob', s), clients.client('carol', s)];
      await Promise.all(members.map((m) => m.connect()));
      expect((await arm(s, 'bus.saturate')).status).toBe(200);
      const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => send(s, `${pattern}-${i}`)));
      expect(replies.every((r) => r.status === 201)).toBe(true);
      const ids = replies.map((r) => r.body.message.id as string);
      if (pattern === 'outbox') {
        for (const member of members) await member.waitFor(() => broadcastIds(member).size === 200, 30_000);
        await vi.waitFor(async () => expect((await health(s)).outbox).toMatchObject({ pending: 0, delivered: 200 }), MARKS_WRITTEN);
        expect((await health(s)).bus.rejected).toBe(0);
      } else {
        await s.bus.drain();
        expect((await health(s)).bus).toMatchObject({ rejected: 200, delivered: 0 });
      }
      // Live delivery rate: (message x member) pairs received by broadcast, without any catch-up.
      const pairs = members.flatMap((m) => ids.filter((id) => broadcastIds(m).has(id)));
      live[pattern] = pairs.length / (ids.length * members.length);
    }
    expect(live).toEqual({ decoupled: 0, outbox: 1 });
  }, 60_000);
});
