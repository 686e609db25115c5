import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../chat/message.js';
import { findRedisServer } from '../../brokers/redis-process.js';
import { TcpProxy } from '../../faults/tcp-proxy.js';
import type { ClientRoute, Target, TargetClient } from '../../harness/sut/target.js';
import type { BroadcastEvent, CatchupEvent, ClientViewEvent, ConnectionEvent, HistoryEvent } from '../../history/event.js';
import { testClientSpec, testTargetEnv } from '../../test-support/target-env.js';
import { findCentrifugo } from './centrifugo-binary.js';
import type { CentrifugoEngine } from './centrifugo-config.js';
import { centrifugoTarget, centrifugoTargets } from './centrifugo-targets.js';

const binary = findCentrifugo();
const redisServer = findRedisServer();
const WAIT_MS = 15_000;

/** Everything one test started, closed after it whatever happened. */
const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const part of open.splice(0).reverse()) await part.close().catch(() => undefined);
});

async function startTarget(engine: CentrifugoEngine, options: Parameters<typeof centrifugoTarget>[1] = {}) {
  const { env, serverEvents, dir } = await testTargetEnv(`centrifugo-${engine}`);
  open.push({ close: async () => dir.remove() });
  const target = await centrifugoTarget(engine, options).start(env);
  open.push(target);
  // The harness's client-link proxy, labelling each connection by its `?client=` (as the runner puts one in front).
  const proxy = await TcpProxy.start({ name: 'ws', upstream: target.clientEndpoints[0]!, labelFromQueryParam: 'client' });
  open.push(proxy);
  await target.addRooms([
    { id: 'r1', members: ['alice', 'bob'] },
    { id: 'r2', members: ['bob'] },
  ]);
  const route = (label: string): ClientRoute => ({ ...proxy.address, node: 0, label });
  return { target, proxy, route, serverEvents };
}

function connectClient(target: Target, route: (label: string) => ClientRoute, id: string, rooms: string[], overrides = {}) {
  const events: HistoryEvent[] = [];
  const client = target.client(testClientSpec(id, id, rooms, events, overrides), route(id));
  open.push(client);
  return { client, events };
}

const broadcasts = (events: HistoryEvent[]) => events.filter((e): e is BroadcastEvent => e.type === 'broadcast').map((e) => e.message);
const catchups = (events: HistoryEvent[], reason: CatchupEvent['reason']) =>
  events.filter((e): e is CatchupEvent => e.type === 'catchup' && e.reason === reason);
const ids = (messages: readonly Message[]) => messages.map((m) => m.id);

async function sendOk(client: TargetClient, roomId: string, text: string): Promise<Message> {
  const result = await client.send(roomId, text);
  expect(result.status).toBe('ok');
  return result.message!;
}

it('offers centrifugo:memory and centrifugo:redis, without edit or delete, and names what each does not promise', () => {
  expect(centrifugoTargets.map((f) => f.id)).toEqual(['centrifugo:memory', 'centrifugo:redis']);
  for (const factory of centrifugoTargets) {
    expect(factory.capabilities).toMatchObject({ edit: false, delete: false, crash: true, links: { client: true, database: false } });
    expect(factory.capabilities.notPromised.I1).toMatch(/cache/);
  }
  expect(centrifugoTargets[1]!.capabilities.links.broker).toBe(true);
  expect(centrifugoTargets[0]!.capabilities.links.broker).toBe(false);
});

const engines: CentrifugoEngine[] = ['memory', 'redis'];
for (const engine of engines) {
  const missing = !binary ? 'the centrifugo binary (bash .ci/install-centrifugo)' : engine === 'redis' && !redisServer ? 'redis-server (bash .ci/install-redis)' : undefined;
  describe.skipIf(missing !== undefined)(`centrifugo:${engine}${missing ? ` (skipped: needs ${missing})` : ''}`, () => {
    it('acks a publish with its offset, delivers it live to every member, and the snapshot holds every message', async () => {
      const { target, route } = await startTarget(engine);
      expect(target.describe()).toMatchObject({ name: `Centrifugo (${engine} engine)`, version: expect.stringMatching(/^6\.9\.1\b/) });
      const alice = connectClient(target, route, 'alice', ['r1']);
      const bob = connectClient(target, route, 'bob', ['r1', 'r2']);
      await Promise.all([alice.client.connect(), bob.client.connect()]);

      const one = await sendOk(alice.client, 'r1', 'one');
      const two = await sendOk(bob.client, 'r2', 'two');
      const three = await sendOk(alice.client, 'r1', 'three');
      expect([one.seq, three.seq, two.seq]).toEqual([1, 2, 1]);
      expect(one).toMatchObject({ roomId: 'r1', senderId: 'alice', text: 'one', version: 1 });

      await bob.client.waitFor(() => broadcasts(bob.events).length === 3, WAIT_MS);
      await alice.client.waitFor(() => broadcasts(alice.events).length === 2, WAIT_MS);
      // A live publication maps to the very message its sender was acknowledged with.
      expect(broadcasts(bob.events).sort((a, b) => a.id.localeCompare(b.id))).toEqual([one, three, two].sort((a, b) => a.id.localeCompare(b.id)));
      expect(ids(broadcasts(alice.events))).toEqual([one.id, three.id]);

      const snapshot = await target.snapshot(['r1', 'r2']);
      expect(snapshot).toEqual([one, three, two]);

      const view = (await bob.client.finalSync()) as ClientViewEvent;
      expect(view.rooms).toEqual([
        { roomId: 'r1', messages: [one, three] },
        { roomId: 'r2', messages: [two] },
      ]);
      expect(catchups(bob.events, 'final').flatMap((c) => c.changes)).toEqual([one, three, two]);
    });

    it('a client whose link is reset resubscribes and recovers what it missed, and says recovered: true', async () => {
      const { target, proxy, route } = await startTarget(engine);
      const alice = connectClient(target, route, 'alice', ['r1']);
      const bob = connectClient(target, route, 'bob', ['r1']);
      await Promise.all([alice.client.connect(), bob.client.connect()]);
      const before = await sendOk(alice.client, 'r1', 'before');
      await bob.client.waitFor(() => broadcasts(bob.events).length === 1, WAIT_MS);

      // While the toxic is on, bob's every connection is reset at once: he stays off while alice goes on.
      proxy.addToxic({ name: 'reset-bob', type: 'reset_peer', stream: 'downstream', target: { label: 'bob' } });
      await bob.client.waitFor(() => !bob.client.connected, WAIT_MS);
      const missed = [await sendOk(alice.client, 'r1', 'm1'), await sendOk(alice.client, 'r1', 'm2'), await sendOk(alice.client, 'r1', 'm3')];
      proxy.removeToxic('reset-bob');

      await bob.client.waitFor(() => catchups(bob.events, 'reconnect').length === 1, WAIT_MS);
      const [recovery] = catchups(bob.events, 'reconnect');
      expect(recovery).toMatchObject({ roomId: 'r1', after: before.seq, recovered: true, changes: missed });
      expect(ids(broadcasts(bob.events))).toEqual([before.id]);
      const closes = bob.events.filter((e): e is ConnectionEvent => e.type === 'connection' && e.state === 'closed');
      expect(closes.length).toBeGreaterThanOrEqual(1);
    });

    it('past the history window a resubscribe says recovered: false and replays nothing (the claim is honest)', async () => {
      const { target, proxy, route } = await startTarget(engine, { historySize: 2 });
      const alice = connectClient(target, route, 'alice', ['r1']);
      const bob = connectClient(target, route, 'bob', ['r1']);
      await Promise.all([alice.client.connect(), bob.client.connect()]);
      proxy.addToxic({ name: 'reset-bob', type: 'reset_peer', stream: 'downstream', target: { label: 'bob' } });
      await bob.client.waitFor(() => !bob.client.connected, WAIT_MS);
      const missed = [await sendOk(alice.client, 'r1', 'm1'), await sendOk(alice.client, 'r1', 'm2'), await sendOk(alice.client, 'r1', 'm3')];
      proxy.removeToxic('reset-bob');

      await bob.client.waitFor(() => catchups(bob.events, 'reconnect').length === 1, WAIT_MS);
      expect(catchups(bob.events, 'reconnect')[0]).toMatchObject({ recovered: false, changes: [] });
      // The history kept only the last two: the final read brings those, the first is gone for good.
      const view = (await bob.client.finalSync()) as ClientViewEvent;
      expect(ids(view.rooms[0]!.messages)).toEqual(ids(missed.slice(1)));
      expect(await target.snapshot(['r1'])).toEqual(missed.slice(1));
    });

    it('server.crash kills the node and restarts it on the same port; clients come back', async () => {
      const { target, route, serverEvents } = await startTarget(engine);
      const alice = connectClient(target, route, 'alice', ['r1']);
      await alice.client.connect();
      const first = await sendOk(alice.client, 'r1', 'first');
      expect(target.faults.handles('server.crash')).toBe(true);
      await target.faults.start({ name: 'server.crash', params: {} });
      await target.faults.heal({ name: 'server.crash', params: {} });
      await alice.client.waitFor(() => catchups(alice.events, 'reconnect').length === 1, WAIT_MS);
      const second = await sendOk(alice.client, 'r1', 'second');
      const snapshot = await target.snapshot(['r1']);
      if (engine === 'memory') {
        // The memory engine's history died with the process: a new epoch, offsets from 1 again, and the client told so.
        expect(catchups(alice.events, 'reconnect')[0]).toMatchObject({ recovered: false });
        expect(snapshot).toEqual([second]);
        expect(second.seq).toBe(1);
      } else {
        expect(catchups(alice.events, 'reconnect')[0]).toMatchObject({ recovered: true });
        expect(snapshot).toEqual([first, second]);
      }
      // The crash the runner asked for is the runner's to record; the supervisor records only deaths it did not cause.
      expect(serverEvents).toEqual([]);
    });

    it.runIf(engine === 'redis')('rides out a blip of its Redis link: publishes fail honestly meanwhile, then flow again to every member', async () => {
      const { target, route } = await startTarget(engine);
      const broker = target.links.broker!;
      const retrying = { retries: 20, retryBackoffMs: 100 };
      const alice = connectClient(target, route, 'alice', ['r1'], retrying);
      const bob = connectClient(target, route, 'bob', ['r1']);
      await Promise.all([alice.client.connect(), bob.client.connect()]);
      const before = await sendOk(alice.client, 'r1', 'before');

      // Every connection Centrifugo has or opens to Redis is reset while the toxic is on.
      broker.addToxic({ name: 'blip', type: 'reset_peer', stream: 'downstream' });
      const during = await target.client(testClientSpec('carol', 'alice', ['r1'], [], { retries: 0 }), route('carol')).send('r1', 'during');
      expect(during.status).not.toBe('ok');
      broker.removeToxic('blip');
      const after = await sendOk(alice.client, 'r1', 'after');

      // Live if Centrifugo's PUB/SUB link to Redis was back in time; otherwise positioning notices the gap and the
      // resubscribe recovers it (reason `gap`, recovered: true).
      const got = (e: HistoryEvent) =>
        (e.type === 'broadcast' && e.message.id === after.id) || (e.type === 'catchup' && e.recovered === true && ids(e.changes).includes(after.id));
      await bob.client.waitFor(() => bob.events.some(got), WAIT_MS);
      const snapshot = await target.snapshot(['r1']);
      expect(ids(snapshot)).toEqual(expect.arrayContaining([before.id, after.id]));
      const view = (await bob.client.finalSync()) as ClientViewEvent;
      expect(view.rooms[0]!.messages).toEqual(snapshot);
    });
  });
}
