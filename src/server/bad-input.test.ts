import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall } from '../test-support/http-call.js';
import { SocketProbe } from '../test-support/socket-probe.js';
import { startTestServer, type TestServer } from '../test-support/reference-server.js';
import { WsProbe } from '../test-support/ws-probe.js';

let server: TestServer;
let aliceMessageId: string;

beforeAll(async () => {
  server = await startTestServer('bad-input', { limits: { maxTextLength: 100 }, bodyLimitBytes: 4096, maxWsPayloadBytes: 1024, maxRoomsPerSocket: 3 });
  const sent = await httpCall(server.httpUrl, 'POST', '/rooms/general/messages', {
    token: 'alice-token',
    body: { clientMsgId: 'base', text: 'by alice' },
  });
  aliceMessageId = sent.body.message.id;
});
afterAll(async () => {
  // The server stays up through all of it.
  expect((await httpCall(server.httpUrl, 'GET', '/healthz')).body.status).toBe('ok');
  // Nothing invalid was stored: only the valid sends of these tests.
  expect((await server.messages('general')).map((m) => m.clientMsgId)).toEqual(['base', 'public']);
  expect((await server.messages('pair')).map((m) => m.clientMsgId)).toEqual(['secret']);
  await server.stop();
});

const post = (path: string, options: Parameters<typeof httpCall>[3]) => httpCall(server.httpUrl, 'POST', path, options);

describe('HTTP bad inputs each get their documented JSON error, outcome not_applied', () => {
  const cases: [string, () => ReturnType<typeof httpCall>, number, string][] = [
    ['bad JSON', () => post('/rooms/general/messages', { token: 'alice-token', raw: '{"clientMsgId":' }), 400, 'INVALID_JSON'],
    ['a missing field', () => post('/rooms/general/messages', { token: 'alice-token', body: { text: 'x' } }), 400, 'INVALID_REQUEST'],
    ['a body that is not an object', () => post('/rooms/general/messages', { token: 'alice-token', body: [1] }), 400, 'INVALID_REQUEST'],
    ['an empty text', () => post('/rooms/general/messages', { token: 'alice-token', body: { clientMsgId: 'e', text: '' } }), 400, 'INVALID_REQUEST'],
    ['a too long text', () => post('/rooms/general/messages', { token: 'alice-token', body: { clientMsgId: 'l', text: 'x'.repeat(101) } }), 413, 'TEXT_TOO_LONG'],
    ['a too large body', () => post('/rooms/general/messages', { token: 'alice-token', body: { clientMsgId: 'b', text: 'x'.repeat(5000) } }), 413, 'BODY_TOO_LARGE'],
    ['a non-JSON content type', () => post('/rooms/general/messages', { token: 'alice-token', raw: 'hi', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a lone surrogate in the text', () => post('/rooms/general/messages', { token: 'alice-token', body: { clientMsgId: 's1', text: 'half \ud83d of a pair' } }), 400, 'INVALID_REQUEST'],
    ['a lone surrogate in the clientMsgId', () => post('/rooms/general/messages', { token: 'alice-token', body: { clientMsgId: 'k\udc00', text: 'x' } }), 400, 'INVALID_REQUEST'],
    ['an edit to a lone surrogate', () => httpCall(server.httpUrl, 'PATCH', `/rooms/general/messages/${aliceMessageId}`, { token: 'alice-token', body: { text: '\udfff' } }), 400, 'INVALID_REQUEST'],
    ['an unknown room', () => post('/rooms/nowhere/messages', { token: 'alice-token', body: { clientMsgId: 'u', text: 'x' } }), 404, 'ROOM_NOT_FOUND'],
    ['a room the user is not in', () => post('/rooms/pair/messages', { token: 'carol-token', body: { clientMsgId: 'n', text: 'x' } }), 403, 'NOT_A_MEMBER'],
    ['no token', () => post('/rooms/general/messages', { body: { clientMsgId: 'a', text: 'x' } }), 401, 'UNAUTHORIZED'],
    ['a bad token', () => post('/rooms/general/messages', { token: 'wrong', body: { clientMsgId: 'a', text: 'x' } }), 401, 'UNAUTHORIZED'],
    ['editing someone else\'s message', () => httpCall(server.httpUrl, 'PATCH', `/rooms/general/messages/${aliceMessageId}`, { token: 'bob-token', body: { text: 'mine now' } }), 403, 'NOT_THE_SENDER'],
    ['deleting someone else\'s message', () => httpCall(server.httpUrl, 'DELETE', `/rooms/general/messages/${aliceMessageId}`, { token: 'bob-token' }), 403, 'NOT_THE_SENDER'],
    ['editing an unknown message', () => httpCall(server.httpUrl, 'PATCH', '/rooms/general/messages/nope', { token: 'alice-token', body: { text: 'x' } }), 404, 'MESSAGE_NOT_FOUND'],
    ['a bad changes cursor', () => httpCall(server.httpUrl, 'GET', '/rooms/general/changes?after=-1', { token: 'alice-token' }), 400, 'INVALID_REQUEST'],
    ['a too large changes limit', () => httpCall(server.httpUrl, 'GET', '/rooms/general/changes?limit=100000', { token: 'alice-token' }), 400, 'INVALID_REQUEST'],
    ['an unknown route', () => httpCall(server.httpUrl, 'GET', '/nope', {}), 404, 'NOT_FOUND'],
  ];
  it.each(cases)('%s', async (_name, call, status, code) => {
    const reply = await call();
    expect(reply.status).toBe(status);
    expect(reply.body.error).toMatchObject({ code, outcome: 'not_applied' });
    expect(typeof reply.body.error.message).toBe('string');
  });
});

/** One request written as raw bytes; the status and the parsed body of the answer (read to its Content-Length or close). */
async function rawRequest(bytes: string): Promise<{ status: number; headers: string; body: any }> {
  const probe = await SocketProbe.connect(server.port);
  probe.socket.write(bytes);
  const complete = (p: SocketProbe) => {
    const split = p.text.indexOf('\r\n\r\n');
    if (split < 0) return p.ended || p.closed;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(p.text.slice(0, split));
    return p.ended || p.closed || (length !== null && Buffer.byteLength(p.text.slice(split + 4)) >= Number(length[1]));
  };
  await probe.until(complete);
  probe.socket.destroy();
  const [head = '', ...rest] = probe.text.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: body ? JSON.parse(body) : undefined };
}

describe('malformed HTTP at the edges (parser, router) gets the contract\'s error body too, outcome not_applied', () => {
  const long = 'x'.repeat(3000);
  const auth = 'Authorization: Bearer alice-token\r\nContent-Type: application/json\r\n';
  const cases: [string, string, number, string][] = [
    ['an over-long room id', `POST /rooms/${long}/messages HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 2\r\n\r\n{}`, 414, 'URI_TOO_LONG'],
    ['an over-long message id', `PATCH /rooms/general/messages/${long} HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 2\r\n\r\n{}`, 414, 'URI_TOO_LONG'],
    ['a bad percent escape', 'GET /rooms/%E0%A4%A/changes HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'INVALID_URL'],
    ['a method HTTP does not know', 'FOO /rooms/general/changes HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    ['a method no route has', 'PROPFIND /rooms/general/changes HTTP/1.1\r\nHost: x\r\n\r\n', 404, 'NOT_FOUND'],
    ['a garbage request line', 'hello there\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    ['Content-Length and Transfer-Encoding together', `POST /rooms/general/messages HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400, 'MALFORMED_REQUEST'],
    ['a bad Content-Length', `POST /rooms/general/messages HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: abc\r\n\r\n`, 400, 'INVALID_CONTENT_LENGTH'],
    ['two Content-Lengths', `POST /rooms/general/messages HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`, 400, 'INVALID_CONTENT_LENGTH'],
    ['a bad chunk size', `POST /rooms/general/messages HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\nzz\r\n`, 400, 'MALFORMED_REQUEST'],
    ['a WebSocket upgrade without a valid key', 'GET /ws?token=alice-token HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: nope\r\n\r\n', 400, 'INVALID_UPGRADE'],
    ['a WebSocket upgrade by POST', 'POST /ws?token=alice-token HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nContent-Length: 0\r\n\r\n', 405, 'INVALID_UPGRADE'],
    ['a 20 KB header', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
  ];
  it.each(cases)('%s', async (_name, bytes, status, code) => {
    const reply = await rawRequest(bytes);
    expect(reply.status).toBe(status);
    expect(reply.headers).toMatch(/\r\ncontent-type: application\/json/i);
    expect(reply.body.error).toMatchObject({ code, outcome: 'not_applied' });
    expect(typeof reply.body.error.message).toBe('string');
    // An answer names the problem without echoing a huge input back.
    expect(reply.body.error.message.length).toBeLessThan(300);
  });
});

describe('WebSocket bad inputs', () => {
  it('closes 1003 on non-JSON and on an unknown message type', async () => {
    for (const frame of ['not json', '{"type":"dance"}']) {
      const probe = await WsProbe.open(server.wsUrl, 'alice-token');
      probe.send(frame);
      await probe.until(() => probe.closed !== undefined);
      expect(probe.closed?.code).toBe(1003);
      expect(probe.closed?.reason).not.toBe('');
    }
  });

  it('closes 1009 on an oversized frame', async () => {
    const probe = await WsProbe.open(server.wsUrl, 'alice-token');
    probe.send({ type: 'subscribe', rooms: ['x'.repeat(2000)] });
    await probe.until(() => probe.closed !== undefined);
    expect(probe.closed?.code).toBe(1009);
  });

  it('answers a room listed many times once, and a frame over the rooms cap with TOO_MANY_ROOMS (socket kept)', async () => {
    const probe = await WsProbe.open(server.wsUrl, 'alice-token');
    probe.send({ type: 'subscribe', rooms: Array(50).fill('general') }); // within the 1 KB frame limit here
    await probe.until(() => probe.frames.length === 1);
    expect(probe.frames[0]).toMatchObject({ type: 'subscribed', rooms: [{ roomId: 'general' }] });
    expect((probe.frames[0]!.rooms as unknown[]).length).toBe(1);
    probe.send({ type: 'subscribe', rooms: ['pair', 'a', 'b', 'c'] });
    await probe.until(() => probe.frames.length === 2);
    expect(probe.frames[1]).toMatchObject({ type: 'error', code: 'TOO_MANY_ROOMS', limit: 3 });
    expect(probe.closed).toBeUndefined();
    probe.close();
  });

  it('closes a ping flood with 1008 and a reason', async () => {
    const probe = await WsProbe.open(server.wsUrl, 'alice-token');
    for (let i = 0; i < 200; i++) probe.socket.ping();
    await probe.until(() => probe.closed !== undefined);
    expect(probe.closed).toMatchObject({ code: 1008, reason: expect.stringMatching(/ping flood/) });
  });

  it('rejects the upgrade with 401 for a missing or bad token, also as ?token=', async () => {
    for (const url of [server.wsUrl, `${server.wsUrl}?token=wrong`]) {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => reject(new Error('upgrade accepted')));
      });
      expect(status).toBe(401);
    }
    const byQuery = await WsProbe.open(`${server.wsUrl}?token=bob-token`);
    byQuery.close();
  });

  it('answers a subscription to a room not yours with FORBIDDEN and nothing else', async () => {
    const carol = await WsProbe.open(server.wsUrl, 'carol-token');
    carol.send({ type: 'subscribe', rooms: ['pair'] });
    await carol.until(() => carol.frames.length === 1);
    expect(carol.frames[0]).toMatchObject({ type: 'error', code: 'FORBIDDEN', roomId: 'pair' });
    // Then a message in pair and one in general (carol's): only the latter may arrive, after subscribing to it.
    carol.send({ type: 'subscribe', rooms: ['general'] });
    await carol.until(() => carol.ofType('subscribed').length === 1);
    await post('/rooms/pair/messages', { token: 'bob-token', body: { clientMsgId: 'secret', text: 'x' } });
    await post('/rooms/general/messages', { token: 'bob-token', body: { clientMsgId: 'public', text: 'x' } });
    await carol.until(() => carol.ofType('message.created').length === 1);
    expect(carol.frames.map((f) => f.type)).toEqual(['error', 'subscribed', 'message.created']);
    expect(carol.ofType('message.created')[0]).toMatchObject({ message: { clientMsgId: 'public' } });
    carol.close();
  });
});
