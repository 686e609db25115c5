import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Message } from '../chat/message.js';
import { World } from '../chat/world.js';
import { DEMO_WORLD } from '../chat/world-spec.js';
import { MongoMessageStore } from '../mongo/message-store.js';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';
import { startGatewayServer, type GatewayServer } from '../test-support/gateway-server.js';
import { WsProbe } from '../test-support/ws-probe.js';
import type { WsGateway } from './ws-gateway.js';

let store: MongoMessageStore;
let served: GatewayServer;
let gateway: WsGateway;
let url: string;

beforeAll(async () => {
  store = await MongoMessageStore.open({ uri: mongoUri(), dbName: uniqueDatabaseName('ws-gateway') });
  // A broadcast slice of one socket: every broadcast yields between recipients, the most interleaving there can be.
  served = await startGatewayServer({ world: new World(DEMO_WORLD), store, maxBufferedBytes: 256 * 1024, heartbeatMs: 60_000, broadcastSliceSize: 1 });
  ({ gateway, url } = served);
});
afterAll(async () => {
  await served.close();
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

function smallMessage(roomId: string, seq: number): Message {
  const now = new Date().toISOString();
  return { id: `${roomId}-${seq}`, roomId, senderId: 'alice', clientMsgId: `c${seq}`, text: `t${seq}`, seq, version: seq, createdAt: now, editedAt: null, deletedAt: null };
}

it('delivers sliced broadcasts published at once in publication order, to the room members only', async () => {
  // Different member orders per room (general: alice, bob, carol; pair: bob, alice), so broadcasts that ran
  // side by side would reach bob in a different order than they were published.
  const alice = await WsProbe.subscribed(url, 'alice-token', ['general']);
  const bob = await WsProbe.subscribed(url, 'bob-token', ['general', 'pair']);
  const carol = await WsProbe.subscribed(url, 'carol-token', ['general']);
  alice.socket.send(JSON.stringify({ type: 'subscribe', rooms: ['pair'] }));
  await alice.until(() => alice.ofType('subscribed').length === 2);
  const events = [1, 2, 3, 4, 5, 6].map((seq) => ({ type: 'message.created' as const, message: smallMessage(seq % 2 ? 'general' : 'pair', seq) }));
  await Promise.all(events.map((event) => gateway.broadcast(event)));
  const seqs = (probe: WsProbe) => probe.ofType('message.created').map((f) => (f.message as Message).seq);
  await alice.until(() => seqs(alice).length === 6);
  await bob.until(() => seqs(bob).length === 6);
  await carol.until(() => seqs(carol).length === 3);
  expect(seqs(alice)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(seqs(bob)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(seqs(carol)).toEqual([1, 3, 5]);
  for (const probe of [alice, bob, carol]) probe.close();
});

it('closes a ping flood with 1008 and a reason (not a TCP cut), and keeps serving the others', async () => {
  const bystander = await WsProbe.subscribed(url, 'bob-token', ['general']);
  const flooder = await WsProbe.subscribed(url, 'alice-token', ['general']);
  // One burst, far above any keep-alive's rate; the flooder keeps reading, so it can see the close frame.
  for (let i = 0; i < 1_000; i++) flooder.socket.ping(Buffer.alloc(125, 1));
  await flooder.until(() => flooder.closed !== undefined);
  expect(flooder.closed?.code).toBe(1008);
  expect(flooder.closed?.reason).toMatch(/ping/);
  // The bystander still gets broadcasts and answers to its own (occasional) pings.
  await gateway.broadcast({ type: 'message.created', message: smallMessage('general', 100) });
  await bystander.until(() => bystander.ofType('message.created').length === 1);
  const pong = new Promise<void>((resolve) => bystander.socket.once('pong', () => resolve()));
  bystander.socket.ping();
  await pong;
  expect(bystander.closed).toBeUndefined();
  bystander.close();
});
