import { afterAll, beforeAll, expect, it } from 'vitest';
import { World } from '../chat/world.js';
import { DEMO_WORLD } from '../chat/world-spec.js';
import { findFerretDb } from '../mongo/ferretdb-binary.js';
import { FerretDbProcess } from '../mongo/ferretdb-process.js';
import { MongoMessageStore } from '../mongo/message-store.js';
import { DbSnapshotReader } from '../targets/reference/db-snapshot-reader.js';
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
  const reader = await DbSnapshotReader.open(db.uri, 'outage');
  const stored = new Set((await reader.messages(['general']).finally(() => reader.close())).map((m) => m.clientMsgId));
  for (const { id, reply } of during) {
    if (reply.body.error.outcome === 'not_applied') expect(stored.has(id)).toBe(false);
  }
  expect(stored.has('before') && stored.has('after')).toBe(true);
});
