import { afterEach, describe, expect, it } from 'vitest';
import { httpCall } from '../../test-support/http-call.js';
import { startTestServer, type TestServer } from '../../test-support/reference-server.js';
import { WsProbe } from '../../test-support/ws-probe.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function armedServer(pattern: 'coupled' | 'decoupled'): Promise<TestServer> {
  server = await startTestServer(`patterns-${pattern}`, { pattern });
  const armed = await httpCall(server.adminUrl!, 'PUT', '/_ackproof/faults/broadcast.throw', { body: { count: 1 } });
  expect(armed).toEqual({ status: 200, body: { fault: { point: 'broadcast.throw', params: { count: 1 }, fired: 0 } } });
  return server;
}

const send = (s: TestServer, clientMsgId: string) =>
  httpCall(s.httpUrl, 'POST', '/rooms/general/messages', { token: 'alice-token', body: { clientMsgId, text: 'hi' } });

describe('broadcast.throw armed', () => {
  it('coupled answers 500 BROADCAST_FAILED not_applied although the message IS stored (the anti-pattern)', async () => {
    const s = await armedServer('coupled');
    const reply = await send(s, 'lie-1');
    expect(reply.status).toBe(500);
    expect(reply.body.error).toMatchObject({ code: 'BROADCAST_FAILED', outcome: 'not_applied' });
    // The lie: "not applied", yet stored. If this ever stops being true, the coupled pattern no longer shows §0.
    expect((await s.messages('general')).map((m) => m.clientMsgId)).toEqual(['lie-1']);
    // The sender's retry then finds it: 200, already stored.
    expect((await send(s, 'lie-1')).status).toBe(200);
  });

  it('decoupled acknowledges 201, stores, and counts the failed broadcast in /healthz', async () => {
    const s = await armedServer('decoupled');
    const bob = await WsProbe.subscribed(s.wsUrl, 'bob-token', ['general']);
    const reply = await send(s, 'ok-1');
    expect(reply.status).toBe(201);
    expect((await s.messages('general')).map((m) => m.clientMsgId)).toEqual(['ok-1']);
    await s.bus.drain();
    const health = await httpCall(s.httpUrl, 'GET', '/healthz');
    expect(health.body).toMatchObject({ status: 'ok', pattern: 'decoupled', bus: { failed: 1, rejected: 0, queued: 0 } });
    // The fault had count 1: the next one is broadcast, and the first never was.
    await send(s, 'ok-2');
    await bob.until(() => bob.ofType('message.created').length === 1);
    expect(bob.ofType('message.created')[0]).toMatchObject({ message: { clientMsgId: 'ok-2' } });
    bob.close();
  });

  it('bus.saturate makes decoupled drop broadcasts silently but still acknowledge, counted as rejected', async () => {
    server = await startTestServer('patterns-saturate', { pattern: 'decoupled' });
    await httpCall(server.adminUrl!, 'PUT', '/_ackproof/faults/bus.saturate', { body: {} });
    expect((await send(server, 'sat-1')).status).toBe(201);
    expect((await httpCall(server.httpUrl, 'GET', '/healthz')).body.bus).toMatchObject({ rejected: 1, delivered: 0 });
    expect((await httpCall(server.adminUrl!, 'GET', '/_ackproof/faults')).body.faults).toEqual([
      { point: 'bus.saturate', params: {}, fired: 1 },
    ]);
    expect((await httpCall(server.adminUrl!, 'DELETE', '/_ackproof/faults/bus.saturate')).body).toEqual({ disarmed: true });
    expect((await httpCall(server.adminUrl!, 'PUT', '/_ackproof/faults/nope', { body: {} })).status).toBe(404);
    expect((await httpCall(server.adminUrl!, 'PUT', '/_ackproof/faults/broadcast.delay', { body: { ms: -1 } })).status).toBe(400);
  });
});
