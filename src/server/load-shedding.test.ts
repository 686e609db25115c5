import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/reference-server.js';
import { LoadShedder } from './load-shedder.js';

let server: TestServer;

beforeAll(async () => {
  // coupled with a slow broadcast: each send holds its slot for the delay, so concurrent sends pile up in flight.
  server = await startTestServer('load-shedding', {
    pattern: 'coupled',
    shedding: { maxInFlight: 4, maxInFlightPerRoom: 2, maxEventLoopDelayMs: 0 },
  });
  server.faults.arm('broadcast.delay', { ms: 400 });
});
afterAll(async () => {
  await server?.stop();
});

async function send(roomId: string, clientMsgId: string) {
  const response = await fetch(`${server.httpUrl}/rooms/${roomId}/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer alice-token', 'content-type': 'application/json' },
    body: JSON.stringify({ clientMsgId, text: 'x' }),
  });
  return { clientMsgId, status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

it('refuses what is over the in-flight and per-room bounds at once with 503 OVERLOADED, not_applied, Retry-After, and stores none of it', async () => {
  const general = Array.from({ length: 6 }, (_, i) => send('general', `g${i}`));
  const pair = Array.from({ length: 6 }, (_, i) => send('pair', `p${i}`));
  const replies = await Promise.all([...general, ...pair]);
  const shed = replies.filter((r) => r.status === 503);
  const acked = replies.filter((r) => r.status === 201);
  expect(shed.length + acked.length).toBe(replies.length);
  // At most 2 per room and 4 in all were let in.
  expect(acked.filter((r) => r.clientMsgId.startsWith('g')).length).toBeLessThanOrEqual(2);
  expect(acked.filter((r) => r.clientMsgId.startsWith('p')).length).toBeLessThanOrEqual(2);
  expect(acked.length).toBeGreaterThan(0);
  for (const r of shed) {
    expect(r.body.error).toMatchObject({ code: 'OVERLOADED', outcome: 'not_applied' });
    expect(r.retryAfter).toBe('1');
  }
  const stored = new Set([...(await server.messages('general')), ...(await server.messages('pair'))].map((m) => m.clientMsgId));
  for (const r of shed) expect(stored.has(r.clientMsgId)).toBe(false);
  for (const r of acked) expect(stored.has(r.clientMsgId)).toBe(true);
  // Health is never shed, and counts what was.
  const health = (await (await fetch(`${server.httpUrl}/healthz`)).json()) as any;
  expect(health.shedding).toMatchObject({ inFlight: 0, shed: shed.length });
  // Once the load is gone, sends are served again.
  expect((await send('general', 'after')).status).toBe(201);
});

it('refuses while the event loop runs later than the bound, and serves again once it does not', () => {
  let delay = 0;
  const shedder = new LoadShedder({ maxInFlight: 0, maxInFlightPerRoom: 0, maxEventLoopDelayMs: 100, retryAfterSeconds: 2 }, () => delay);
  const refusal = (room: string) => shedder.refusal(room);
  expect(refusal('general')).toBeUndefined();
  delay = 250;
  expect(refusal('general')).toMatch(/250 ms late/);
  delay = 20;
  expect(refusal('general')).toBeUndefined();
  shedder.close();
});
