import { expect, it } from 'vitest';
import type { RoomCursor } from '../chat/message.js';
import { World } from '../chat/world.js';
import { DEMO_WORLD } from '../chat/world-spec.js';
import { startGatewayServer } from '../test-support/gateway-server.js';
import { gatedStore } from '../test-support/gated-store.js';
import { WsProbe } from '../test-support/ws-probe.js';

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
