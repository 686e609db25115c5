import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorldSpec } from '../chat/world-spec.js';
import { httpCall } from '../test-support/http-call.js';
import { startTestServer, type TestServer } from '../test-support/reference-server.js';
import { WsProbe } from '../test-support/ws-probe.js';

// mallory belongs to many rooms and asks for all of them (each listed 10 times) in one frame; bob only sends.
const ROOMS = 600;
const world: WorldSpec = {
  users: [
    { id: 'mallory', token: 'mallory-token' },
    { id: 'bob', token: 'bob-token' },
  ],
  rooms: [
    { id: 'talk', members: ['bob'] },
    ...Array.from({ length: ROOMS }, (_, i) => ({ id: `m${i}`, members: ['mallory'] })),
  ],
};
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer('hostile-subscribe', { world });
});
afterAll(async () => {
  await server?.stop();
});

let n = 0;
const send = () =>
  httpCall(server.httpUrl, 'POST', '/rooms/talk/messages', { token: 'bob-token', body: { clientMsgId: `b${n++}`, text: 'hi' } });

it('acknowledges another user\'s sends while one member\'s huge subscribe frame is being served', async () => {
  expect((await send()).status).toBe(201); // the room's numbers are known: every send below is one insert
  const mallory = await WsProbe.open(server.wsUrl, 'mallory-token');
  const rooms = Array.from({ length: ROOMS * 10 }, (_, i) => `m${i % ROOMS}`);
  const events: string[] = [];
  const subscribed = mallory.until(() => mallory.ofType('subscribed').length === 1, 60_000).then(() => events.push('subscribed'));
  mallory.send({ type: 'subscribe', rooms });
  for (let i = 0; i < 3; i++) {
    const reply = await send();
    expect(reply.status).toBe(201);
    events.push(`send ${i}`);
  }
  await subscribed;
  // Before: its 6,000 cursor reads went to the database at once, and bob's sends queued behind them.
  expect(events).toEqual(['send 0', 'send 1', 'send 2', 'subscribed']);
  expect(mallory.ofType('subscribed')[0]?.rooms).toHaveLength(ROOMS);
  mallory.close();
});
