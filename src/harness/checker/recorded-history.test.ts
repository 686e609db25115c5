import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../client/chat-client.js';
import { httpCall } from '../../test-support/http-call.js';
import { startTestServer, type TestServer } from '../../test-support/reference-server.js';
import type { MetaEvent } from '../../history/event.js';
import { HistoryRecorder } from '../../history/history-recorder.js';
import { writeHistory } from '../../history/jsonl-history-writer.js';
import { readHistory } from '../../history/read-history.js';
import { checkHistory } from './check-history.js';
import { witnessesOf } from '../../test-support/witnesses-of.js';

/**
 * The contract between the parts, end to end: real clients against the reference server record into a
 * HistoryRecorder; the history goes to JSONL and back through the reader's validation; the checker judges it.
 */
const WORLD = {
  users: ['alice', 'bob'].map((id) => ({ id, token: `${id}-t` })),
  rooms: [
    { id: 'general', members: ['alice', 'bob'] },
    { id: 'secret', members: ['alice'] },
  ],
};
const WAIT = 10_000;

let decoupled: TestServer;
let coupled: TestServer;
let dir = '';
const clients: ChatClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ackproof-recorded-history-'));
  [decoupled, coupled] = await Promise.all([
    startTestServer('recorded-history-decoupled', { world: WORLD }),
    startTestServer('recorded-history-coupled', { world: WORLD, pattern: 'coupled' }),
  ]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await Promise.all([decoupled, coupled].map((server) => server?.stop()));
  await rm(dir, { recursive: true, force: true });
});

function startRun(server: TestServer, pattern: string) {
  const meta: MetaEvent = {
    type: 'meta',
    formatVersion: 1,
    scenario: 'recorded-history',
    pattern,
    seed: 0,
    startedAt: new Date().toISOString(),
    database: { kind: 'test', version: 'test', writeConcern: 'w:1,j:true' },
    topology: {
      rooms: WORLD.rooms,
      clients: [
        { id: 'a', userId: 'alice' },
        { id: 'b', userId: 'bob' },
      ],
    },
  };
  const recorder = new HistoryRecorder(meta);
  const client = (id: string, userId: string, rooms: string[]): ChatClient => {
    const made = new ChatClient({
      id,
      userId,
      token: `${userId}-t`,
      httpUrl: server.httpUrl,
      wsUrl: server.wsUrl,
      rooms,
      emit: (event) => recorder.append(event),
      now: () => recorder.now(),
      nextOp: () => recorder.nextOpId(),
      reconnect: { auto: false, backoffMs: 50 },
      finalRereads: 1,
    });
    clients.push(made);
    return made;
  };
  /** Final views, the database read, then JSONL and back. */
  const finish = async (name: string) => {
    for (const made of clients) await made.finalSync();
    const messages = (await Promise.all(WORLD.rooms.map((room) => server.messages(room.id)))).flat();
    recorder.record({ type: 'db-snapshot', messages });
    const path = join(dir, `${name}.jsonl`);
    await writeHistory(path, recorder.events());
    return readHistory(path);
  };
  return { alice: client('a', 'alice', ['general', 'secret']), bob: client('b', 'bob', ['general']), finish };
}

describe('a history recorded by real clients', () => {
  it('passes every invariant on the decoupled pattern', async () => {
    const { alice, bob, finish } = startRun(decoupled, 'decoupled');
    await Promise.all([alice.connect(), bob.connect()]);
    const one = await alice.send('general', 'one');
    const two = await bob.send('general', 'two');
    await alice.send('secret', 'for alice');
    await alice.edit('general', one.message?.id ?? '', 'one, edited');
    await bob.delete('general', two.message?.id ?? '');
    await bob.waitForMessage('general', two.message?.id ?? '', WAIT, (message) => message.deletedAt !== null);

    const result = checkHistory(await finish('decoupled'));
    const failing = Object.entries(result.invariants).filter(([, verdict]) => verdict.valid !== true);
    expect(failing).toEqual([]);
    expect(result.measures.acknowledged).toBe(3);
    expect(result.measures.ops.edit.ok + result.measures.ops.delete.ok).toBe(2);
  });

  it("finds the coupled pattern's lie: saved, then the broadcast threw, reported failed", async () => {
    const { alice, bob, finish } = startRun(coupled, 'coupled');
    await Promise.all([alice.connect(), bob.connect()]);
    const armed = await httpCall(coupled.adminUrl ?? '', 'PUT', '/_ackproof/faults/broadcast.throw', { body: { count: 1 } });
    expect(armed.status).toBe(200);
    const sent = await alice.send('general', 'saved but reported failed');
    expect(sent.status).toBe('fail');

    const result = checkHistory(await finish('coupled'));
    expect(result.valid).toBe(false);
    expect(result.invariants.I1.valid).toBe(true);
    const honest = result.invariants.I4;
    const witnesses = witnessesOf(honest);
    expect(witnesses).toEqual([expect.objectContaining({ kind: 'lie', ops: [sent.op], processes: ['a'] })]);
  });
});
