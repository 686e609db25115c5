import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedMessages } from '../test-support/reference-server.js';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';
import { MongoMessageStore } from './message-store.js';
import { parseWriteConcern } from './write-concern.js';
import type { CreateResult } from '../chat/message-store.port.js';

let store: MongoMessageStore;
const dbName = uniqueDatabaseName('message-store');

beforeAll(async () => {
  store = await MongoMessageStore.open({ uri: mongoUri(), dbName });
});
afterAll(async () => {
  await store.close();
});

const send = (roomId: string, clientMsgId: string, text = `text of ${clientMsgId}`) =>
  store.create({ roomId, senderId: 'alice', clientMsgId, text });

describe('MongoMessageStore', () => {
  it('stores one message per (roomId, senderId, clientMsgId): a retry returns it, another sender gets their own', async () => {
    const first = await send('idem', 'c1', 'hello');
    const retry = await send('idem', 'c1', 'hello');
    expect(first.created).toBe(true);
    expect(retry).toEqual({ message: first.message, created: false });
    const bobs = await store.create({ roomId: 'idem', senderId: 'bob', clientMsgId: 'c1', text: 'hello' });
    expect(bobs).toMatchObject({ created: true, message: { senderId: 'bob', seq: 2 } });
    expect(bobs.message.id).not.toBe(first.message.id);
    expect((await storedMessages(dbName, 'idem')).map((m) => [m.senderId, m.clientMsgId])).toEqual([['alice', 'c1'], ['bob', 'c1']]);
  });

  it('refuses a key reused with another text, and writes nothing', async () => {
    const first = await send('reuse', 'k', 'original');
    await expect(send('reuse', 'k', 'something else')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', outcome: 'not_applied' });
    expect(await storedMessages(dbName, 'reuse')).toEqual([first.message]);
  });

  it('gives 50 concurrent sends in one room unique, gap-free seq 1..50 and versions 1..50', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => send('burst', `b${i}`)));
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await store.cursor('burst')).toEqual({ roomId: 'burst', latestSeq: 50, latestVersion: 50 });
  });

  it('answers each send of a batch by its own key: retries inside it get the original, and versions stay gap-free', async () => {
    const earlier = await send('batch', 'k0', 'zero');
    const settled = await Promise.allSettled([
      send('batch', 'k1'),
      send('batch', 'k0', 'zero'),
      send('batch', 'k2'),
      send('batch', 'k1'),
      send('batch', 'k2', 'another text'),
      send('batch', 'k3'),
    ]);
    const [k1, k0Again, k2, k1Again, k2Reused, k3] = settled;
    expect([k1, k2, k3].map((r) => r.status === 'fulfilled' && r.value.created)).toEqual([true, true, true]);
    expect(k0Again).toEqual({ status: 'fulfilled', value: { message: earlier.message, created: false } });
    expect(k1Again).toEqual({ status: 'fulfilled', value: { message: (k1 as PromiseFulfilledResult<CreateResult>).value.message, created: false } });
    expect(k2Reused).toMatchObject({ status: 'rejected', reason: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    // A refused send stops the ordered insert; the sends after it are written after it with the next numbers, so no
    // version is skipped (an unordered insert would leave holes another writer process could fill late).
    const stored = await storedMessages(dbName, 'batch');
    expect(stored.map((m) => [m.clientMsgId, m.seq, m.version])).toEqual([['k0', 1, 1], ['k1', 2, 2], ['k2', 3, 3], ['k3', 4, 4]]);
  });

  it('writes concurrent sends to several rooms together: far fewer insert round trips than sends', async () => {
    const own = await MongoMessageStore.open({ uri: mongoUri(), dbName });
    try {
      await Promise.all(Array.from({ length: 4 }, (_, r) => own.create({ roomId: `group-${r}`, senderId: 'alice', clientMsgId: 'first', text: 'x' })));
      const before = own.insertStats();
      const results = await Promise.all(
        Array.from({ length: 80 }, (_, i) => own.create({ roomId: `group-${i % 4}`, senderId: 'alice', clientMsgId: `g${i}`, text: 'x' })),
      );
      expect(results.every((r) => r.created)).toBe(true);
      const after = own.insertStats();
      expect(after.records - before.records).toBe(80);
      expect(after.roundTrips - before.roundTrips).toBeLessThanOrEqual(8);
      for (let r = 0; r < 4; r++) {
        expect((await storedMessages(dbName, `group-${r}`)).map((m) => m.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      }
    } finally {
      await own.close();
    }
  });

  it('bumps the version on edit and delete, keeps seq, tombstones, and never changes a tombstone', async () => {
    const { message } = await send('life', 'm1', 'draft');
    const edited = await store.edit('life', message.id, 'final');
    expect(edited).toMatchObject({ changed: true, message: { text: 'final', seq: 1, version: 2 } });
    expect(edited?.message.editedAt).not.toBeNull();
    const deleted = await store.softDelete('life', message.id);
    expect(deleted).toMatchObject({ changed: true, message: { text: '', seq: 1, version: 3 } });
    expect(deleted?.message.deletedAt).not.toBeNull();
    expect(await store.softDelete('life', message.id)).toEqual({ message: deleted!.message, changed: false });
    expect(await store.edit('life', message.id, 'revived?')).toEqual({ message: deleted!.message, changed: false });
    expect(await store.edit('life', 'no-such-id', 'x')).toBeNull();
    expect(await store.find('other-room', message.id)).toBeNull();
    expect(await store.find('life', message.id)).toEqual(deleted!.message);
  });

  it('pages every change by version, each as the message was then, with hasMore and a safe latestVersion', async () => {
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push((await send('pages', `p${i}`)).message);
    await store.edit('pages', sent[0]!.id, 'edited');
    const page1 = await store.changesAfter('pages', 0, 3);
    expect(page1.changes.map((m) => m.version)).toEqual([1, 2, 3]);
    expect(page1.changes[0]).toEqual(sent[0]);
    expect(page1.hasMore).toBe(true);
    const page2 = await store.changesAfter('pages', 3, 3);
    expect(page2.changes.map((m) => m.version)).toEqual([4, 5, 6]);
    expect(page2.changes[2]).toMatchObject({ id: sent[0]!.id, text: 'edited', seq: 1 });
    expect(page2).toMatchObject({ hasMore: false, latestVersion: 6 });
    expect(await store.changesAfter('pages', 6, 3)).toEqual({ changes: [], latestVersion: 6, hasMore: false });
  });

  it('continues a reopened database (a restarted server) after its latest numbers, without a gap', async () => {
    await send('reopen', 'r1');
    const again = await MongoMessageStore.open({ uri: mongoUri(), dbName });
    try {
      const second = await again.create({ roomId: 'reopen', senderId: 'bob', clientMsgId: 'r2', text: 'x' });
      expect(second.message).toMatchObject({ seq: 2, version: 2 });
      // The first store's hint (version 2) is now taken: it learns that from the index and goes on after it.
      expect((await send('reopen', 'r3')).message).toMatchObject({ seq: 3, version: 3 });
    } finally {
      await again.close();
    }
  });

  it('opens one fresh database from several processes at once (servers started together race to create indexes)', async () => {
    for (let round = 0; round < 3; round++) {
      const name = uniqueDatabaseName('race');
      const stores = await Promise.all(Array.from({ length: 4 }, () => MongoMessageStore.open({ uri: mongoUri(), dbName: name })));
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('never gives a seq or version twice, nor loses a change, when two writer processes share a room', async () => {
    const name = uniqueDatabaseName('two-writers');
    const open = () => MongoMessageStore.open({ uri: mongoUri(), dbName: name });
    const [a, b] = await Promise.all([open(), open()]);
    const sendVia = (s: MongoMessageStore, clientMsgId: string) => s.create({ roomId: 'shared', senderId: 'alice', clientMsgId, text: clientMsgId });
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => sendVia(i % 2 === 0 ? a : b, `m${i}`)));
      expect(results.every((r) => r.created)).toBe(true);
      // Every message edited through both processes at the same moment: both edits land, one on top of the other.
      const edits = await Promise.all(
        results.slice(0, 10).flatMap((r) => [a.edit('shared', r.message.id, 'via a'), b.edit('shared', r.message.id, 'via b')]),
      );
      expect(edits.every((e) => e?.changed)).toBe(true);
      const versions = [...results.map((r) => r.message.version), ...edits.map((e) => e!.message.version)].sort((x, y) => x - y);
      expect(versions).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      const stored = await storedMessages(name, 'shared');
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      for (const [i, r] of results.slice(0, 10).entries()) {
        const [viaA, viaB] = [edits[2 * i]!.message, edits[2 * i + 1]!.message];
        const last = viaA.version > viaB.version ? viaA : viaB;
        expect(stored.find((m) => m.id === r.message.id)).toMatchObject({ version: last.version, text: last.text });
      }
      // A retry through the other process returns the message as it is now.
      const retry = await sendVia(b, 'm39');
      expect(retry).toMatchObject({ created: false, message: { id: results[39]!.message.id, seq: results[39]!.message.seq } });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('never lets the outbox relay undo a change: clearing a pending flag races edits and deletes', async () => {
    for (let round = 0; round < 20; round++) {
      const room = `relay-race-${round}`;
      const created = await store.create({ roomId: room, senderId: 'alice', clientMsgId: 'x', text: 'first' }, { pendingBroadcast: true });
      const marks = store.markBroadcast([{ id: created.message.id, version: created.message.version }]);
      const [, edited] = await Promise.all([marks, store.edit(room, created.message.id, 'second', { pendingBroadcast: true })]);
      const deleted = await Promise.all([
        store.markBroadcast([{ id: created.message.id, version: edited!.message.version }]),
        store.softDelete(room, created.message.id, { pendingBroadcast: true }),
      ]);
      expect(await storedMessages(dbName, room)).toEqual([deleted[1]!.message]);
    }
    const pending = await store.pendingBroadcasts(1000);
    expect(pending.filter((p) => p.event.message.roomId.startsWith('relay-race-')).map((p) => p.event.type)).toEqual(
      Array.from({ length: 20 }, () => 'message.deleted'),
    );
  });

  it('keeps the outbox pending as entries of their own: one per change, none for a retry, cleared a page at a time', async () => {
    const name = uniqueDatabaseName('outbox-entries');
    const own = await MongoMessageStore.open({ uri: mongoUri(), dbName: name });
    try {
      const outbox = { pendingBroadcast: true, origin: 'node-a' };
      const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => own.create({ roomId: 'ob', senderId: 'alice', clientMsgId: `o${i}`, text: 'x' }, outbox)));
      expect(await own.create({ roomId: 'ob', senderId: 'alice', clientMsgId: 'o0', text: 'x' }, outbox)).toMatchObject({ created: false });
      const edited = await own.edit('ob', sent[0]!.message.id, 'y', outbox);
      expect(await own.countPendingBroadcasts()).toBe(31);
      const pending = await own.pendingBroadcasts(100);
      expect(pending.map((p) => p.event.message.version)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
      expect(pending.at(-1)).toMatchObject({ event: { type: 'message.edited', message: edited!.message }, origin: 'node-a' });
      // No room's reader sees the entries: the room holds its 30 messages, the first one edited.
      expect((await storedMessages(name, 'ob')).map((m) => m.version)).toEqual([31, ...Array.from({ length: 29 }, (_, i) => i + 2)]);
      expect(await own.markBroadcast(pending.slice(0, 20).map((p) => ({ id: p.event.message.id, version: p.event.message.version })))).toBe(20);
      expect(await own.markBroadcast([{ id: sent[0]!.message.id, version: 1 }])).toBe(0);
      expect(await own.countPendingBroadcasts()).toBe(11);
      expect(await own.cursor('ob')).toEqual({ roomId: 'ob', latestSeq: 30, latestVersion: 31 });
    } finally {
      await own.close();
    }
  });

  it('fails to open, instead of hanging, when no database answers', async () => {
    await expect(
      MongoMessageStore.open({ uri: 'mongodb://127.0.0.1:1/', dbName: 'x', serverSelectionTimeoutMS: 200 }),
    ).rejects.toThrow();
  });
});

describe('parseWriteConcern', () => {
  it('reads the forms --write-concern takes and rejects others', () => {
    expect(parseWriteConcern('journaled')).toEqual({ w: 1, j: true });
    expect(parseWriteConcern('w=1,j=false')).toEqual({ w: 1, j: false });
    expect(parseWriteConcern('w:majority,wtimeout=500')).toEqual({ w: 'majority', j: true, wtimeoutMS: 500 });
    expect(parseWriteConcern('w=banana')).toBeNull();
  });
});
