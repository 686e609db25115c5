import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../net/free-port.js';
import { startTestServer, type TestServer } from '../test-support/reference-server.js';
import { HttpChatApi } from './http-chat-api.js';
import { messageFixture } from './message-fixture.js';

/**
 * The outcome mapping of §7. Answers the reference server never gives on purpose (a 502 without a body, a hang, a
 * reset, a garbled 2xx) come from a tiny real HTTP peer scripted per path; the rest from the real server.
 */
const scripted: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/rooms/created/messages': (_q, res) => json(res, 201, { message: messageFixture({ id: 'm1', seq: 1, version: 1 }) }),
  '/rooms/unknown/messages': (_q, res) => json(res, 503, { error: { code: 'DB_TIMEOUT', message: 'write timed out', outcome: 'unknown' } }),
  '/rooms/notapplied/messages': (_q, res) => json(res, 500, { error: { code: 'BROADCAST_FAILED', message: 'x', outcome: 'not_applied' } }),
  '/rooms/bare502/messages': (_q, res) => res.writeHead(502).end(),
  '/rooms/bare404/messages': (_q, res) => res.writeHead(404).end('not json'),
  '/rooms/garbled/messages': (_q, res) => json(res, 201, { message: { id: 'm1' } }),
  '/rooms/overloaded/messages': (_q, res) =>
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' }).end(JSON.stringify({ error: { code: 'OVERLOADED', message: 'busy', outcome: 'not_applied' } })),
  '/rooms/overloaded-date/messages': (_q, res) =>
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': new Date(Date.now() + 600_000).toUTCString() }).end(JSON.stringify({ error: { code: 'OVERLOADED', message: 'busy', outcome: 'not_applied' } })),
  '/rooms/hang/messages': () => undefined,
  '/rooms/reset/messages': (req) => req.socket.destroy(),
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

let peer: Server;
let peerUrl: string;
let server: TestServer;

beforeAll(async () => {
  peer = createServer((req, res) => {
    req.resume();
    req.on('end', () => scripted[new URL(req.url ?? '/', 'http://x').pathname]?.(req, res));
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  peerUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
  server = await startTestServer('client-http-api');
});

afterAll(async () => {
  peer.closeAllConnections();
  await new Promise((resolve) => peer.close(resolve));
  await server.stop();
});

const scriptedApi = () => new HttpChatApi({ baseUrl: peerUrl, token: 't', timeoutMs: 300 });
const send = (room: string) => scriptedApi().send(room, { clientMsgId: 'c1', text: 'hi' });

describe('HttpChatApi outcome mapping', () => {
  it('2xx with a message is ok, with the status and message kept', async () => {
    const result = await send('created');
    expect(result).toMatchObject({ status: 'ok', httpStatus: 201, value: { id: 'm1', version: 1 } });
  });

  it('a 503 OVERLOADED is fail and carries Retry-After in ms (seconds, or a date, capped at 30 s)', async () => {
    expect(await send('overloaded')).toMatchObject({ status: 'fail', httpStatus: 503, error: { code: 'OVERLOADED', retryAfterMs: 2000 } });
    expect(await send('overloaded-date')).toMatchObject({ status: 'fail', error: { code: 'OVERLOADED', retryAfterMs: 30_000 } });
    const plain = await send('notapplied');
    expect(plain.status === 'ok' ? 'ok' : plain.error.retryAfterMs).toBeUndefined();
  });

  it('an error body with outcome unknown is info, with not_applied is fail', async () => {
    expect(await send('unknown')).toMatchObject({ status: 'info', httpStatus: 503, error: { code: 'DB_TIMEOUT', outcome: 'unknown' } });
    expect(await send('notapplied')).toMatchObject({ status: 'fail', httpStatus: 500, error: { code: 'BROADCAST_FAILED' } });
  });

  it('a 5xx without a body is info; a 4xx without one is still fail', async () => {
    expect(await send('bare502')).toMatchObject({ status: 'info', httpStatus: 502, error: { code: 'HTTP_502' } });
    expect(await send('bare404')).toMatchObject({ status: 'fail', httpStatus: 404, error: { code: 'HTTP_404' } });
  });

  it('a 2xx whose body is not the contract is info BAD_RESPONSE', async () => {
    expect(await send('garbled')).toMatchObject({ status: 'info', httpStatus: 201, error: { code: 'BAD_RESPONSE' } });
  });

  it('no answer in time is info TIMEOUT; a reset connection is info CONNECTION_RESET', async () => {
    expect(await send('hang')).toMatchObject({ status: 'info', error: { code: 'TIMEOUT' } });
    expect(await send('reset')).toMatchObject({ status: 'info', error: { code: 'CONNECTION_RESET' } });
  });

  it('a refused connection is fail CONNECTION_REFUSED (nothing was sent)', async () => {
    const api = new HttpChatApi({ baseUrl: `http://127.0.0.1:${await freePort()}`, token: 't', timeoutMs: 1000 });
    expect(await api.send('general', { clientMsgId: 'c1', text: 'hi' })).toMatchObject({
      status: 'fail',
      error: { code: 'CONNECTION_REFUSED', outcome: 'not_applied' },
    });
  });

  it('against the reference server: created, idempotent retry, 4xx fail, and a changes page', async () => {
    const alice = new HttpChatApi({ baseUrl: server.httpUrl, token: 'alice-token', timeoutMs: 5000 });
    const carol = new HttpChatApi({ baseUrl: server.httpUrl, token: 'carol-token', timeoutMs: 5000 });
    const first = await alice.send('pair', { clientMsgId: 'k1', text: 'hello' });
    const again = await alice.send('pair', { clientMsgId: 'k1', text: 'hello' });
    expect(first).toMatchObject({ status: 'ok', httpStatus: 201 });
    expect(again).toMatchObject({ status: 'ok', httpStatus: 200 });
    if (first.status !== 'ok' || again.status !== 'ok') throw new Error('unreachable');
    expect(again.value.id).toBe(first.value.id);

    expect(await carol.send('pair', { clientMsgId: 'k2', text: 'intruder' })).toMatchObject({ status: 'fail', httpStatus: 403 });
    expect(await alice.edit('pair', 'no-such-id', 'x')).toMatchObject({ status: 'fail', httpStatus: 404 });

    const page = await alice.changes('pair', 0, 10);
    expect(page).toMatchObject({ status: 'ok', value: { hasMore: false, latestVersion: first.value.version } });
    if (page.status === 'ok') expect(page.value.changes.map((m) => m.id)).toEqual([first.value.id]);
  });
});
