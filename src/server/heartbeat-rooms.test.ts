import { expect, it } from 'vitest';
import type { RoomCursor } from '../chat/message.js';
import { World } from '../chat/world.js';
import { DEMO_WORLD } from '../chat/world-spec.js';
import { startGatewayServer } from '../test-support/gateway-server.js';
import { WsProbe } from '../test-support/ws-probe.js';

/**
 * A store whose cursor reads wait at a gate while it is shut, and that says when a read is waiting: the test
 * decides the interleaving of a heartbeat round and a subscribe, instead of hoping for it.
 */
function gatedStore() {
  let shut = false;
  const held: (() => void)[] = [];
  const arrivals: (() => void)[] = [];
  return {
    store: {
      cursor: async (roomId: string): Promise<RoomCursor> => {
        if (shut) {
          const released = new Promise<void>((resolve) => held.push(resolve));
          arrivals.splice(0).forEach((arrived) => arrived());
          await released;
        }
        return { roomId, latestSeq: 0, latestVersion: 0 };
      },
    },
    shut: () => void (shut = true),
    /** Resolves once `count` reads are waiting at the gate. */
    waiting: (count: number): Promise<void> =>
      new Promise<void>((resolve) => {
        const check = () => (held.length >= count ? resolve() : arrivals.push(check));
        check();
      }),
    open: () => {
      shut = false;
      held.splice(0).forEach((release) => release());
    },
  };
}

it('a heartbeat never lists fewer rooms than the session holds, even for a room joined while a round read the cursors', async () => {
  const gate = gatedStore();
  const served = await startGatewayServer({ world: new World(DEMO_WORLD), store: gate.store, heartbeatMs: 20 });
  try {
    const probe = await WsProbe.subscribed(served.url, 'alice-token', ['general']);
    gate.shut();
    await gate.waiting(1); // a heartbeat round is reading general's cursor
    probe.send({ type: 'subscribe', rooms: ['pair'] }); // joined during that round
    await gate.waiting(2); // the subscribe's own cursor read
    const heartbeatsBefore = probe.ofType('heartbeat').length;
    gate.open();
    await probe.until(() => probe.ofType('subscribed').length === 2 && probe.ofType('heartbeat').length >= heartbeatsBefore + 2);
    for (const heartbeat of probe.ofType('heartbeat').slice(heartbeatsBefore)) {
      expect((heartbeat['rooms'] as RoomCursor[]).map((r) => r.roomId).sort()).toEqual(['general', 'pair']);
    }
    probe.close();
  } finally {
    await served.close();
  }
});
