import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, uniqueDatabaseName } from '../../test-support/test-database.js';
import { SocketioMessageStore } from './socketio-message-store.js';

/** Two stores on one database: two app nodes writing the same rooms. */
describe('SocketioMessageStore', () => {
  const dbName = uniqueDatabaseName('socketio-message-store');
  let nodeA: SocketioMessageStore;
  let nodeB: SocketioMessageStore;
  beforeAll(async () => {
    nodeA = await SocketioMessageStore.open(mongoUri(), dbName);
    nodeB = await SocketioMessageStore.open(mongoUri(), dbName);
    await Promise.all([nodeA.ensureIndexes(), nodeB.ensureIndexes()]);
    // A restarted node ensures them again.
    await nodeA.ensureIndexes();
  });
  afterAll(async () => {
    await Promise.all([nodeA?.close(), nodeB?.close()]);
  });

  it('two nodes appending to one room at once: seqs 1..n without a hole or a twin, version = seq', async () => {
    const writes = Array.from({ length: 30 }, (_, i) => (i % 2 ? nodeA : nodeB).append('race', `u${i % 3}`, `k${i}`, `text ${i}`));
    const results = await Promise.all(writes);
    expect(results.every((r) => r.created)).toBe(true);
    const page = await nodeA.changes('race', 0, 100);
    expect(page.changes.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(page.changes.every((m) => m.version === m.seq)).toBe(true);
    expect(page).toMatchObject({ latestVersion: 30, hasMore: false });
  });

  it('a retried send returns the original from either node, also when the retries race', async () => {
    const first = await nodeA.append('retry', 'alice', 'same-key', 'once');
    const retries = await Promise.all([nodeB.append('retry', 'alice', 'same-key', 'once'), nodeA.append('retry', 'alice', 'same-key', 'once')]);
    expect(first.created).toBe(true);
    expect(retries.map((r) => [r.created, r.message.id])).toEqual([[false, first.message.id], [false, first.message.id]]);
    // The key is per sender: bob's identical clientMsgId is his own message.
    const bobs = await nodeB.append('retry', 'bob', 'same-key', 'mine');
    expect(bobs).toMatchObject({ created: true, message: { seq: 2, senderId: 'bob' } });
    expect((await nodeB.changes('retry', 0, 10)).changes).toHaveLength(2);
  });

  it('pages history after a version, with hasMore and the room latest', async () => {
    for (let i = 0; i < 5; i += 1) await nodeA.append('pages', 'alice', `p${i}`, `p${i}`);
    const first = await nodeB.changes('pages', 1, 2);
    expect(first).toMatchObject({ hasMore: true, latestVersion: 5 });
    expect(first.changes.map((m) => m.seq)).toEqual([2, 3]);
    const last = await nodeB.changes('pages', 3, 2);
    expect(last).toMatchObject({ hasMore: false, latestVersion: 5 });
    expect(last.changes.map((m) => m.seq)).toEqual([4, 5]);
    expect(await nodeB.changes('pages', 5, 2)).toEqual({ changes: [], latestVersion: 5, hasMore: false });
  });
});
