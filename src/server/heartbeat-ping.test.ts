import { expect, it } from 'vitest';
import { World } from '../chat/world.js';
import { DEMO_WORLD } from '../chat/world-spec.js';
import { startGatewayServer } from '../test-support/gateway-server.js';
import { gatedStore } from '../test-support/gated-store.js';
import { WsProbe } from '../test-support/ws-probe.js';

it('pings every socket each heartbeat tick while the cursor reads of a heartbeat round are stuck on the database', async () => {
  const gate = gatedStore();
  const served = await startGatewayServer({ world: new World(DEMO_WORLD), store: gate.store, heartbeatMs: 20 });
  try {
    const probe = await WsProbe.subscribed(served.url, 'alice-token', ['general']);
    gate.shut();
    await gate.waiting(1); // a heartbeat round is stuck reading general's cursor
    const heartbeats = probe.ofType('heartbeat').length;
    const pings = probe.pings;
    await probe.until(() => probe.pings >= pings + 5);
    // No heartbeat frame came meanwhile (the round is still stuck), yet the link was shown alive five times.
    expect(probe.ofType('heartbeat').length).toBe(heartbeats);
    gate.open();
    probe.close();
  } finally {
    await served.close();
  }
});
