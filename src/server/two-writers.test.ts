import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Message } from '../chat/message.js';
import { ServerProcess } from '../targets/reference/server-process.js';
import { httpCall } from '../test-support/http-call.js';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';

/**
 * Two `ackproof serve` processes on one database, as two gateway nodes would run: many clients send, edit and
 * delete in the same rooms through both at once, including the same message edited through both servers at the
 * same moment. Every acknowledgment must be reflected in the database, and no seq or version may be given twice.
 * On a database whose single-document updates are not atomic (FerretDB), a store that relies on `$inc` or on
 * conditional updates fails this (DESIGN: the trust issue).
 */
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
const ROOMS = ['r0', 'r1'];
const SENDS_PER_USER_ROOM = 6;

const dir = mkdtempSync(join(tmpdir(), 'ackproof-two-writers-'));
const processes: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

interface Ack {
  kind: 'send' | 'edit' | 'delete';
  message: Message;
}

describe.each(['decoupled', 'outbox'])('two server processes writing one database (%s)', (pattern) => {
  it('lose no acknowledged send, edit or delete, and never give a seq or version twice', async () => {
    const worldFile = join(dir, `world-${pattern}.json`);
    writeFileSync(
      worldFile,
      JSON.stringify({ users: USERS.map((id) => ({ id, token: `${id}-token` })), rooms: ROOMS.map((id) => ({ id, members: USERS })) }),
    );
    const dbName = uniqueDatabaseName(`two-writers-${pattern}`);
    const start = () => ServerProcess.start({ pattern, mongoUri: mongoUri(), dbName, worldFile, heartbeatMs: 60_000 });
    const servers = [await start(), await start()];
    processes.push(...servers);
    const via = (i: number) => servers[i % 2]!.httpUrl;
    const acks: Ack[] = [];
    const call = async (i: number, kind: Ack['kind'], user: string, method: string, path: string, body?: unknown) => {
      const reply = await httpCall(via(i), method, path, { token: `${user}-token`, ...(body ? { body } : {}) });
      if (reply.status < 300) acks.push({ kind, message: reply.body.message as Message });
      else expect(reply.body.error.outcome, `${method} ${path}: ${JSON.stringify(reply.body)}`).toBe('not_applied');
      return reply;
    };

    // Every user sends to every room through both servers at once.
    const sends = USERS.flatMap((user, u) =>
      ROOMS.flatMap((room) =>
        Array.from({ length: SENDS_PER_USER_ROOM }, (_, k) =>
          call(u + k, 'send', user, 'POST', `/rooms/${room}/messages`, { clientMsgId: `${user}-${room}-${k}`, text: `${user} ${room} ${k}` }),
        ),
      ),
    );
    const sent = (await Promise.all(sends)).filter((r) => r.status < 300).map((r) => r.body.message as Message);
    expect(sent).toHaveLength(USERS.length * ROOMS.length * SENDS_PER_USER_ROOM);

    // Each message edited through both servers at the same moment, some deleted meanwhile, sends going on.
    const changes = sent.flatMap((message, i) => {
      const path = `/rooms/${message.roomId}/messages/${message.id}`;
      const ops = [
        call(i, 'edit', message.senderId, 'PATCH', path, { text: `${message.text} edited via A` }),
        call(i + 1, 'edit', message.senderId, 'PATCH', path, { text: `${message.text} edited via B` }),
      ];
      if (i % 3 === 0) ops.push(call(i + 1, 'delete', message.senderId, 'DELETE', path));
      if (i % 4 === 0) {
        ops.push(call(i, 'send', message.senderId, 'POST', `/rooms/${message.roomId}/messages`, { clientMsgId: `late-${i}`, text: `late ${i}` }));
      }
      return ops;
    });
    await Promise.all(changes);

    const final = new Map<string, Message>();
    for (const room of ROOMS) for (const message of await readRoom(servers[0]!.httpUrl, room)) final.set(message.id, message);

    const lost: string[] = [];
    for (const { kind, message } of acks) {
      const stored = final.get(message.id);
      if (!stored) lost.push(`${kind} ${message.id}: not in the database`);
      else if (stored.version < message.version) lost.push(`${kind} ${message.id}: database at version ${stored.version}, acknowledged ${message.version}`);
      else if (stored.version === message.version && stored.text !== message.text) lost.push(`${kind} ${message.id}: text ${stored.text} at the acknowledged version`);
      else if (kind === 'delete' && stored.deletedAt === null) lost.push(`delete ${message.id}: undeleted in the database`);
    }
    expect(lost).toEqual([]);

    // No number given twice: each acknowledged change has a version of its own per room, each message a seq.
    const versionsOf = (room: string) => acks.filter((a) => a.message.roomId === room).map((a) => a.message.version);
    const createdSeqs = (room: string) => acks.filter((a) => a.kind === 'send' && a.message.roomId === room).map((a) => `${a.message.id}:${a.message.seq}`);
    for (const room of ROOMS) {
      const versions = versionsOf(room);
      expect(new Set(versions).size, `versions of ${room}`).toBe(versions.length);
      const seqs = [...new Set(createdSeqs(room))].map((s) => Number(s.split(':')[1]));
      expect(new Set(seqs).size, `seqs of ${room}`).toBe(seqs.length);
      const stored = [...final.values()].filter((m) => m.roomId === room);
      expect(new Set(stored.map((m) => m.seq)).size, `stored seqs of ${room}`).toBe(stored.length);
    }
  }, 120_000);
});

/** Every message of a room at its latest version, through the changes API (whatever the server's storage). */
async function readRoom(httpUrl: string, roomId: string): Promise<Message[]> {
  const latest = new Map<string, Message>();
  let after = 0;
  for (;;) {
    const page = await httpCall(httpUrl, 'GET', `/rooms/${roomId}/changes?after=${after}&limit=1000`, { token: 'u0-token' });
    expect(page.status).toBe(200);
    for (const message of page.body.changes as Message[]) {
      const held = latest.get(message.id);
      if (!held || held.version < message.version) latest.set(message.id, message);
      after = Math.max(after, message.version);
    }
    if (!page.body.hasMore) return [...latest.values()];
  }
}
