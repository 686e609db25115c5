import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Broadcaster } from '../chat/broadcaster.port.js';
import type { Message } from '../chat/message.js';
import type { MessageEvent } from '../chat/message-event.js';
import type { WriteOptions } from '../chat/message-store.port.js';
import { World } from '../chat/world.js';
import { DEMO_WORLD } from '../chat/world-spec.js';
import { LocalView } from '../client/local-view.js';
import { MongoMessageStore } from '../mongo/message-store.js';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';
import { WsProbe } from '../test-support/ws-probe.js';
import { FaultPoints } from './faults/fault-points.js';
import { FaultyBroadcaster } from './faults/faulty-broadcaster.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { WsGateway } from './ws-gateway.js';

/** The relay on the real store and the real gateway, a ws member listening; no HTTP API, no pattern around it. */
let store: MongoMessageStore;
let gateway: WsGateway;
let http: Server;
let bob: WsProbe;
let relay: OutboxRelay | undefined;

beforeEach(async () => {
  store = await MongoMessageStore.open({ uri: mongoUri(), dbName: uniqueDatabaseName('outbox-relay') });
  gateway = new WsGateway({ world: new World(DEMO_WORLD), store, heartbeatMs: 60_000 });
  http = createServer();
  gateway.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  bob = await WsProbe.subscribed(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, 'bob-token', ['general']);
});

afterEach(async () => {
  await relay?.close();
  relay = undefined;
  bob.close();
  gateway.close();
  await new Promise((resolve) => http.close(resolve));
  await store.close();
});

function startRelay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  relay = new OutboxRelay({ store, broadcaster: gateway, pollMs: 60_000, backoffMs: 5, maxBackoffMs: 20, ...options });
  relay.start();
  return relay;
}

/** Marks are written in batches (markDelayMs): a drained outbox shows a moment after the broadcasts. */
const MARKS_WRITTEN = { timeout: 5_000, interval: 25 };
const pending = { pendingBroadcast: true };
const send = (clientMsgId: string, options: WriteOptions = pending) =>
  store.create({ roomId: 'general', senderId: 'alice', clientMsgId, text: clientMsgId }, options);
const messageEventOf = (message: Message): MessageEvent => ({ type: 'message.created', message });
const received = () => bob.frames.filter((f) => String(f.type).startsWith('message.')) as unknown as MessageEvent[];

describe('OutboxRelay', () => {
  it('on start delivers what was left pending, a page at a time in version order, and clears the marks', async () => {
    for (let i = 1; i <= 25; i++) await send(`left-${i}`);
    await send('not-outbox', {}); // written by another pattern: never the relay's business
    const r = startRelay({ pageSize: 10 });
    await bob.until(() => received().length === 25);
    await r.idle();
    expect(received().map((e) => e.message.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(received().every((e) => e.type === 'message.created')).toBe(true);
    expect(await r.counters()).toEqual({ pending: 0, delivered: 25, handedOver: 0, retries: 0 });
    expect(await store.pendingBroadcasts(100)).toEqual([]);
  });

  it("with several nodes leaves another node's fresh changes to it, and takes them over once handoverMs has passed", async () => {
    await send('mine', { pendingBroadcast: true, origin: 'b' });
    await send('theirs', { pendingBroadcast: true, origin: 'a' });
    await send('mine-after-theirs', { pendingBroadcast: true, origin: 'b' });
    const patient = startRelay({ node: 'b', handoverMs: 3_600_000 });
    await bob.until(() => received().length === 1);
    await patient.idle();
    // Only b's change before a's: the room stops at a's, so b's later one waits too (version order).
    expect(received().map((e) => e.message.clientMsgId)).toEqual(['mine']);
    await patient.close();
    const takingOver = startRelay({ node: 'b', handoverMs: 1 });
    await bob.until(() => received().length === 3);
    await takingOver.idle();
    expect(received().map((e) => e.message.clientMsgId)).toEqual(['mine', 'theirs', 'mine-after-theirs']);
    expect(await takingOver.counters()).toMatchObject({ handedOver: 1 });
  });

  it('delivers notified saves in order, and reads the database for those beyond its bound of notifications', async () => {
    const r = startRelay({ pageSize: 5, maxHints: 5 });
    await r.idle(); // the start-up pass found nothing
    for (let i = 1; i <= 20; i++) r.notify(messageEventOf((await send(`hinted-${i}`)).message));
    await bob.until(() => new Set(received().map((e) => e.message.id)).size === 20);
    await vi.waitFor(async () => expect((await r.counters()).pending).toBe(0), MARKS_WRITTEN);
    const seqs = received().map((e) => e.message.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('writes the marks of notified broadcasts together, after markDelayMs or at close, not one update per pass', async () => {
    const marking = vi.spyOn(store, 'markBroadcast');
    const r = startRelay({ pageSize: 100, markDelayMs: 60_000 });
    await r.idle();
    for (let i = 1; i <= 6; i++) {
      r.notify(messageEventOf((await send(`batched-${i}`)).message));
      await r.idle();
    }
    await bob.until(() => received().length === 6);
    expect((await r.counters()).pending).toBe(6); // broadcast, marks still waiting
    expect(marking.mock.calls.every(([marks]) => marks.length === 0)).toBe(true);
    await r.close();
    expect(await store.countPendingBroadcasts()).toBe(0);
    expect(marking.mock.calls.filter(([marks]) => marks.length > 0).map(([marks]) => marks.length)).toEqual([6]);

    const timed = startRelay({ pageSize: 100, markDelayMs: 20 });
    await timed.idle();
    timed.notify(messageEventOf((await send('timed')).message));
    await vi.waitFor(async () => expect(await store.countPendingBroadcasts()).toBe(0), MARKS_WRITTEN);
  });

  it('makes a broadcast again when it failed after reaching members (at least once); the client view shows it once', async () => {
    let failures = 0;
    const failsAfterSending: Broadcaster = {
      async broadcast(event) {
        await gateway.broadcast(event);
        if (failures++ === 0) throw new Error('gateway failed after sending');
      },
    };
    const r = startRelay({ broadcaster: failsAfterSending });
    const { message } = await send('twice');
    r.notify();
    await bob.until(() => received().length === 2);
    await vi.waitFor(async () => expect((await r.counters()).pending).toBe(0), MARKS_WRITTEN);
    expect(received().map((e) => e.message.id)).toEqual([message.id, message.id]);
    const view = new LocalView();
    for (const event of received()) view.apply(event.message);
    expect(view.messages('general')).toEqual([message]);
    expect(await r.counters()).toMatchObject({ delivered: 1, retries: 1 });
  });

  it('broadcasts a change made while an older one was being broadcast, and keeps each pending until its own broadcast', async () => {
    let edited: Message | null = null;
    const editsMeanwhile: Broadcaster = {
      async broadcast(event) {
        await gateway.broadcast(event);
        if (event.type === 'message.created') {
          edited = (await store.edit('general', event.message.id, 'edited meanwhile', pending))?.message ?? null;
          relay?.notify(); // what the pattern does after the edit's save
        }
      },
    };
    const r = startRelay({ broadcaster: editsMeanwhile });
    await send('raced');
    r.notify();
    await bob.until(() => received().length === 2);
    await r.idle();
    expect(received().map((e) => [e.type, e.message.version])).toEqual([
      ['message.created', 1],
      ['message.edited', 2],
    ]);
    expect(received()[1]?.message).toEqual(edited);
    expect(await r.counters()).toEqual({ pending: 0, delivered: 2, handedOver: 0, retries: 0 });
  });

  it('leaves messages pending while the broadcaster throws, retrying with backoff, and delivers them once it heals', async () => {
    const faults = new FaultPoints();
    faults.arm('broadcast.throw', {});
    const r = startRelay({ broadcaster: new FaultyBroadcaster(gateway, faults) });
    await send('during-window-1');
    await send('during-window-2');
    r.notify();
    await vi.waitFor(async () => expect((await r.counters()).retries).toBeGreaterThanOrEqual(3));
    expect(received()).toEqual([]);
    expect((await r.counters()).pending).toBe(2);
    faults.disarm('broadcast.throw');
    await bob.until(() => received().length === 2);
    expect(received().map((e) => e.message.clientMsgId)).toEqual(['during-window-1', 'during-window-2']);
    await vi.waitFor(async () => expect(await r.counters()).toMatchObject({ pending: 0, delivered: 2 }), MARKS_WRITTEN);
  });
});
