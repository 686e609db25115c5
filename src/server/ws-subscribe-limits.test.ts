import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { RoomCursor } from '../chat/message.js';
import { World } from '../chat/world.js';
import type { WorldSpec } from '../chat/world-spec.js';
import { startGatewayServer, type GatewayServer } from '../test-support/gateway-server.js';
import { WsProbe } from '../test-support/ws-probe.js';

/**
 * A database that serves one query at a time, in arrival order (as a busy one does), and counts what it was asked:
 * so a test sees how many cursor reads a client's frame caused, how many ran at once, and whose were served first.
 */
class SerialCursorStore {
  reads: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private tail: Promise<void> = Promise.resolve();

  cursor(roomId: string): Promise<RoomCursor> {
    this.reads.push(roomId);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const served = this.tail.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.tail = served;
    return served.then(() => {
      this.inFlight--;
      return { roomId, latestSeq: 0, latestVersion: 0 };
    });
  }

  reset(): void {
    this.reads = [];
    this.maxInFlight = 0;
  }
}

const MANY = 200;
const world: WorldSpec = {
  users: [
    { id: 'mallory', token: 'mallory-token' },
    { id: 'bob', token: 'bob-token' },
  ],
  rooms: [
    { id: 'general', members: ['mallory', 'bob'] },
    ...Array.from({ length: MANY }, (_, i) => ({ id: `r${i}`, members: ['mallory'] })),
  ],
};
const store = new SerialCursorStore();
let served: GatewayServer;
let url: string;

beforeAll(async () => {
  served = await startGatewayServer({ world: new World(world), store, heartbeatMs: 60_000, maxRoomsPerSocket: MANY + 1 });
  url = served.url;
});
afterAll(() => served.close());
beforeEach(() => store.reset());

const rooms = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

it('reads a room listed 5,000 times in one frame once, and answers it once', async () => {
  const probe = await WsProbe.subscribed(url, 'mallory-token', Array(5_000).fill('general'));
  expect(probe.ofType('subscribed')[0]?.rooms).toEqual([{ roomId: 'general', latestSeq: 0, latestVersion: 0 }]);
  expect(store.reads).toEqual(['general']);
  probe.close();
});

it('refuses a frame over the rooms cap with TOO_MANY_ROOMS, reads nothing for it, and keeps the socket', async () => {
  const probe = await WsProbe.open(url, 'mallory-token');
  probe.send({ type: 'subscribe', rooms: [...rooms(MANY), 'general', 'one-too-many'] });
  await probe.until(() => probe.frames.length === 1);
  expect(probe.frames[0]).toMatchObject({ type: 'error', code: 'TOO_MANY_ROOMS', limit: MANY + 1 });
  expect(store.reads).toEqual([]);
  // Within the cap it works, and the cap counts the socket's rooms, not only the frame's.
  probe.send({ type: 'subscribe', rooms: rooms(MANY) });
  await probe.until(() => probe.ofType('subscribed').length === 1);
  probe.send({ type: 'subscribe', rooms: ['general', 'another'] });
  await probe.until(() => probe.frames.length === 3);
  expect(probe.frames[2]).toMatchObject({ type: 'error', code: 'TOO_MANY_ROOMS' });
  expect(probe.closed).toBeUndefined();
  probe.close();
});

it('reads one client\'s many cursors a few at a time, and serves another user\'s subscription meanwhile', async () => {
  const mallory = await WsProbe.open(url, 'mallory-token');
  const bob = await WsProbe.open(url, 'bob-token');
  mallory.send({ type: 'subscribe', rooms: rooms(MANY) });
  await new Promise<void>((resolve) => {
    const check = () => (store.reads.length > 0 ? resolve() : setImmediate(check));
    check();
  });
  bob.send({ type: 'subscribe', rooms: ['general'] });
  const order: string[] = [];
  void mallory.until(() => mallory.ofType('subscribed').length === 1).then(() => order.push('mallory'));
  await bob.until(() => bob.ofType('subscribed').length === 1).then(() => order.push('bob'));
  await mallory.until(() => mallory.ofType('subscribed').length === 1);
  expect(order).toEqual(['bob', 'mallory']);
  expect(store.maxInFlight).toBeLessThanOrEqual(4);
  expect(mallory.ofType('subscribed')[0]?.rooms).toHaveLength(MANY);
  mallory.close();
  bob.close();
});
