import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';
import { MongoMessageStore } from './message-store.js';
import { parseWriteConcern } from './write-concern.js';

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
  it('stores one document per (roomId, clientMsgId): a retry returns the original', async () => {
    const first = await send('idem', 'c1', 'hello');
    const retry = await send('idem', 'c1', 'hello again');
    expect(first.created).toBe(true);
    expect(retry).toEqual({ message: first.message, created: false });
    expect(await store.all('idem')).toHaveLength(1);
  });

  it('gives 50 concurrent sends in one room unique, gap-free seq 1..50 and versions 1..50', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => send('burst', `b${i}`)));
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await store.cursor('burst')).toEqual({ roomId: 'burst', latestSeq: 50, latestVersion: 50 });
  });

  it('bumps the version on edit and delete, keeps seq, and tombstones', async () => {
    const { message } = await send('life', 'm1', 'draft');
    const edited = await store.edit('life', message.id, 'final');
    expect(edited).toMatchObject({ text: 'final', seq: 1, version: 2 });
    expect(edited?.editedAt).not.toBeNull();
    const deleted = await store.softDelete('life', message.id);
    expect(deleted).toMatchObject({ text: '', seq: 1, version: 3 });
    expect(deleted?.deletedAt).not.toBeNull();
    expect(await store.softDelete('life', message.id)).toEqual(deleted);
    expect(await store.edit('life', 'no-such-id', 'x')).toBeNull();
    expect(await store.find('other-room', message.id)).toBeNull();
  });

  it('pages changes by version with hasMore and a safe latestVersion', async () => {
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push((await send('pages', `p${i}`)).message);
    await store.edit('pages', sent[0]!.id, 'edited');
    const page1 = await store.changesAfter('pages', 0, 3);
    expect(page1.changes.map((m) => m.version)).toEqual([2, 3, 4]);
    expect(page1.hasMore).toBe(true);
    const page2 = await store.changesAfter('pages', 4, 3);
    expect(page2.changes.map((m) => m.version)).toEqual([5, 6]);
    expect(page2.changes[1]).toMatchObject({ id: sent[0]!.id, text: 'edited', seq: 1 });
    expect(page2).toMatchObject({ hasMore: false, latestVersion: 6 });
    expect(await store.changesAfter('pages', 6, 3)).toEqual({ changes: [], latestVersion: 6, hasMore: false });
  });

  it('opens an existing database again (a restarted server) and keeps counting from its counters', async () => {
    await send('reopen', 'r1');
    const again = await MongoMessageStore.open({ uri: mongoUri(), dbName });
    try {
      // The first process still holds its reserved numbers: the second continues after them, never reusing one.
      const second = await again.create({ roomId: 'reopen', senderId: 'bob', clientMsgId: 'r2', text: 'x' });
      expect(second.message.seq).toBeGreaterThan(1);
      expect(second.message.version).toBeGreaterThan(1);
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

  it('never hands out a seq or version twice when two writer processes share a room', async () => {
    const name = uniqueDatabaseName('two-writers');
    const open = () => MongoMessageStore.open({ uri: mongoUri(), dbName: name });
    const [a, b] = await Promise.all([open(), open()]);
    const sendVia = (s: MongoMessageStore, clientMsgId: string) => s.create({ roomId: 'shared', senderId: 'alice', clientMsgId, text: clientMsgId });
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => sendVia(i % 2 === 0 ? a : b, `m${i}`)));
      expect(results.every((r) => r.created)).toBe(true);
      const edits = await Promise.all(results.slice(0, 6).map((r, i) => (i % 2 === 0 ? b : a).edit('shared', r.message.id, 'edited')));
      edits.forEach((edited, i) => expect(edited!.version).toBeGreaterThan(results[i]!.message.version));
      // Every version ever handed out, the superseded ones included, is distinct.
      const handedOut = [...results.map((r) => r.message.version), ...edits.map((m) => m!.version)];
      expect(new Set(handedOut).size).toBe(46);
      expect(new Set((await a.all('shared')).map((m) => m.seq)).size).toBe(40);
      // A retry through the other process returns the original.
      const retry = await sendVia(b, 'm0');
      expect(retry).toMatchObject({ created: false, message: { id: results[0]!.message.id, seq: results[0]!.message.seq } });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const again = await open();
    try {
      const all = await again.all('shared');
      const next = (await again.create({ roomId: 'shared', senderId: 'alice', clientMsgId: 'after', text: 'after' })).message;
      expect(next.seq).toBeGreaterThan(Math.max(...all.map((m) => m.seq)));
      expect(next.version).toBeGreaterThan(Math.max(...all.map((m) => m.version)));
    } finally {
      await again.close();
    }
  });

  it('leaves no gap for a retry, and none across a clean restart (unused reserved numbers go back)', async () => {
    const name = uniqueDatabaseName('no-gap');
    const first = await MongoMessageStore.open({ uri: mongoUri(), dbName: name });
    const sendVia = (s: MongoMessageStore, clientMsgId: string) => s.create({ roomId: 'r', senderId: 'alice', clientMsgId, text: clientMsgId });
    await Promise.all(['a', 'b', 'c'].map((id) => sendVia(first, id)));
    expect((await sendVia(first, 'a')).created).toBe(false);
    expect((await sendVia(first, 'd')).message).toMatchObject({ seq: 4, version: 4 });
    await first.close();
    const second = await MongoMessageStore.open({ uri: mongoUri(), dbName: name });
    try {
      expect((await sendVia(second, 'e')).message).toMatchObject({ seq: 5, version: 5 });
    } finally {
      await second.close();
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
