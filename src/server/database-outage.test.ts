import { afterAll, beforeAll, expect, it } from 'vitest';
import { World } from '../chat/world.js';
import { DEMO_WORLD } from '../chat/world-spec.js';
import { findFerretDb } from '../mongo/ferretdb-binary.js';
import { FerretDbProcess } from '../mongo/ferretdb-process.js';
import { MongoMessageStore } from '../mongo/message-store.js';
import { readStored } from '../test-support/reference-server.js';
import { TcpProxy } from '../faults/tcp-proxy.js';
import { httpCall } from '../test-support/http-call.js';
import { startServer, type RunningServer } from './start-server.js';

// Needs a database of its own to kill: a private FerretDB when one is installed.
const binary = findFerretDb(process.env);
let db: FerretDbProcess;
let store: MongoMessageStore;
let server: RunningServer;

beforeAll(async () => {
  if (!binary) return;
  db = await FerretDbProcess.start(binary);
  store = await MongoMessageStore.open({ uri: db.uri, dbName: 'outage', serverSelectionTimeoutMS: 300 });
  server = await startServer({ pattern: 'decoupled', store, world: new World(DEMO_WORLD), database: { kind: db.kind, version: db.version }, writeConcern: 'w:1,j:true' });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  await db?.stop();
});

it.skipIf(!binary)('fails fast while the database is cut off (blackholed), not after the driver\'s timeouts, and recovers', { timeout: 120_000 }, async () => {
  const upstream = new URL(db.uri);
  const proxy = await TcpProxy.start({ name: 'db', upstream: { host: upstream.hostname, port: Number(upstream.port) } });
  // Timeouts far above anything a fast failure takes: an answer that waited for one of them comes too late.
  const driverTimeoutMs = 30_000;
  const cutStore = await MongoMessageStore.open({
    uri: `mongodb://127.0.0.1:${proxy.listenPort}/?directConnection=true`,
    dbName: 'outage-cut',
    serverSelectionTimeoutMS: driverTimeoutMs,
    socketTimeoutMS: driverTimeoutMs,
  });
  const cut = await startServer({ pattern: 'decoupled', store: cutStore, world: new World(DEMO_WORLD), database: { kind: db.kind, version: db.version }, writeConcern: 'w:1,j:true' });
  try {
    const sendTo = async (room: string, clientMsgId: string) => {
      const start = performance.now();
      const reply = await httpCall(cut.httpUrl, 'POST', `/rooms/${room}/messages`, { token: 'alice-token', body: { clientMsgId, text: 'x' } });
      return { clientMsgId, reply, ms: performance.now() - start };
    };
    expect((await sendTo('general', 'cut-before')).reply.status).toBe(201);
    proxy.addToxic({ name: 'up', type: 'blackhole', stream: 'upstream' });
    proxy.addToxic({ name: 'down', type: 'blackhole', stream: 'downstream' });
    // The first send is in flight when the link goes quiet; ten more queue behind it in the same room.
    const during = await Promise.all(Array.from({ length: 11 }, (_, i) => sendTo('general', `cut-${i}`)));
    const later = [await sendTo('general', 'cut-later'), await sendTo('pair', 'cut-other-room')];
    for (const { reply, ms } of [...during, ...later]) {
      expect([503, 504]).toContain(reply.status);
      expect(['not_applied', 'unknown']).toContain(reply.body.error.outcome);
      expect(ms).toBeLessThan(driverTimeoutMs);
    }
    // Once the driver knows, nothing is sent: certainly not applied.
    for (const { reply } of later) expect(reply.body.error).toMatchObject({ code: 'STORE_UNAVAILABLE', outcome: 'not_applied' });

    await proxy.healAll();
    let after = await sendTo('general', 'cut-after');
    while (after.reply.status >= 500) after = await sendTo('general', 'cut-after'); // until the heartbeat sees it back
    expect(after.reply.status).toBe(201);
    const stored = new Set((await readStored(db.uri, 'outage-cut', ['general', 'pair'])).map((m) => m.clientMsgId));
    for (const { clientMsgId, reply } of [...during, ...later]) {
      if (reply.body.error.outcome === 'not_applied') expect(stored.has(clientMsgId)).toBe(false);
    }
  } finally {
    await cut.close();
    await cutStore.close();
    await proxy.close();
  }
});

const send = (clientMsgId: string) =>
  httpCall(server.httpUrl, 'POST', '/rooms/general/messages', { token: 'alice-token', body: { clientMsgId, text: 'x' } });

it.skipIf(!binary)('answers a send during a database outage honestly, and nothing it called not_applied is stored', async () => {
  expect((await send('before')).status).toBe(201);
  await db.kill();
  const during = [];
  // The first write may still go out on a pooled connection (unknown); once the driver knows, none is sent.
  for (let i = 0; i < 3; i++) during.push({ id: `during-${i}`, reply: await send(`during-${i}`) });
  for (const { reply } of during) {
    expect([503, 504]).toContain(reply.status);
    expect(['not_applied', 'unknown']).toContain(reply.body.error.outcome);
  }
  expect(during.at(-1)!.reply.body.error).toMatchObject({ code: 'STORE_UNAVAILABLE', outcome: 'not_applied' });
  expect((await httpCall(server.httpUrl, 'GET', '/healthz')).body.status).toBe('ok');

  await db.restart();
  let after = await send('after');
  while (after.status >= 500) after = await send('after'); // until the driver reconnects
  expect(after.status).toBe(201);
  const stored = new Set((await readStored(db.uri, 'outage', ['general'])).map((m) => m.clientMsgId));
  for (const { id, reply } of during) {
    if (reply.body.error.outcome === 'not_applied') expect(stored.has(id)).toBe(false);
  }
  expect(stored.has('before') && stored.has('after')).toBe(true);
});
