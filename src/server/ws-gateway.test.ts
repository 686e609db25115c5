import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Message } from '../chat/message.js';
import { World } from '../chat/world.js';
import { DEMO_WORLD } from '../chat/world-spec.js';
import { MongoMessageStore } from '../mongo/message-store.js';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';
import { WsProbe } from '../test-support/ws-probe.js';
import { WsGateway } from './ws-gateway.js';

let store: MongoMessageStore;
let http: Server;
let gateway: WsGateway;
let url: string;

beforeAll(async () => {
  store = await MongoMessageStore.open({ uri: mongoUri(), dbName: uniqueDatabaseName('ws-gateway') });
  gateway = new WsGateway({ world: new World(DEMO_WORLD), store, maxBufferedBytes: 256 * 1024, heartbeatMs: 60_000 });
  http = createServer();
  gateway.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
});
afterAll(async () => {
  gateway.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await store.close();
});

function bigMessage(seq: number): Message {
  const now = new Date().toISOString();
  return { id: `m${seq}`, roomId: 'general', senderId: 'alice', clientMsgId: `c${seq}`, text: 'x'.repeat(64 * 1024), seq, version: seq, createdAt: now, editedAt: null, deletedAt: null };
}

it('closes a consumer that stops reading once its send buffer passes the limit, and keeps serving the others', async () => {
  const slow = await WsProbe.subscribed(url, 'bob-token', ['general']);
  const fast = await WsProbe.subscribed(url, 'alice-token', ['general']);
  // bob's client stops reading: the kernel buffers fill, then the server's buffer would grow.
  slow.socket.pause();
  let sent = 0;
  while (gateway.stats().slowConsumersClosed === 0 && sent < 2000) {
    await gateway.broadcast({ type: 'message.created', message: bigMessage(++sent) });
    await fast.until(() => fast.ofType('message.created').length === sent);
  }
  expect(gateway.stats()).toEqual({ connections: 1, slowConsumersClosed: 1 });
  // The fast consumer got everything, and keeps getting it.
  await gateway.broadcast({ type: 'message.created', message: bigMessage(++sent) });
  await fast.until(() => fast.ofType('message.created').length === sent);
  slow.socket.resume();
  await slow.until(() => slow.closed !== undefined);
  expect(slow.ofType('message.created').length).toBeLessThan(sent);
  fast.close();
});
