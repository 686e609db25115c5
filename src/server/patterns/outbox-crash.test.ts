import { afterAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../targets/reference/admin-client.js';
import { ServerProcess } from '../../targets/reference/server-process.js';
import { firstReceipt, RecordedClients } from '../../test-support/recorded-clients.js';
import { mongoUri, uniqueDatabaseName } from '../../test-support/test-database.js';

/**
 * crash.afterSave with the outbox, on real processes. A crash drops every socket of the process that dies, so
 * "live, without a reconnect" can only hold for members whose connection survives: here two `ackproof serve
 * --pattern outbox` processes share one database, as gateway servers would. The writer dies after a save; the
 * members stay connected to the other one, whose relay finds the pending document in the database.
 */
const processes: ServerProcess[] = [];
const clients = new RecordedClients();
afterAll(async () => {
  await clients.closeAll();
  await Promise.all(processes.map((p) => p.kill()));
});

describe('outbox across a crash after save', () => {
  it('every acknowledged message, and the one whose send died, reaches every connected member live', async () => {
    const dbName = uniqueDatabaseName('outbox-crash');
    const start = (heartbeatMs: number) =>
      ServerProcess.start({ pattern: 'outbox', mongoUri: mongoUri(), dbName, adminPort: true, heartbeatMs, extraArgs: ['--outbox-poll-ms', '100'] });
    const [writer, gateway] = await Promise.all([start(60_000), start(200)]);
    processes.push(writer, gateway);
    const members = [clients.client('bob', gateway, { gapFill: true }), clients.client('carol', gateway, { gapFill: true })];
    await Promise.all(members.map((m) => m.connect()));
    const alice = clients.client('alice', writer); // sends only (over HTTP); never connected

    const before = await alice.send('general', 'before the crash');
    expect(before.status).toBe('ok');
    await new AdminClient(writer.adminUrl ?? '').armFault('crash.afterSave');
    const died = await alice.send('general', 'saved, then the writer died');
    expect(died.status).toBe('info');
    expect((await writer.exited).signal).toBe('SIGKILL');

    // Only the surviving gateway's relay can deliver it now: it polls the database for pending documents.
    const diedId = await members[0]!.waitFor(
      () => members[0]!.messages('general').find((m) => m.clientMsgId === died.clientMsgId)?.id,
      10_000,
    );
    for (const member of members) await member.waitForBroadcast(diedId, 10_000);

    await writer.restart();
    const retried = await alice.send('general', 'saved, then the writer died', { clientMsgId: died.clientMsgId });
    expect(retried).toMatchObject({ status: 'ok', httpStatus: 200, message: { id: diedId } });
    const after = await alice.send('general', 'after the restart');
    expect(after.status).toBe('ok');

    const acknowledged = [before.message!.id, diedId, after.message!.id];
    for (const member of members) {
      for (const id of acknowledged) await member.waitForMessage('general', id, 10_000);
      // Live: by a broadcast or by filling a gap the member noticed, never by a reconnect's catch-up.
      const ways = acknowledged.map((id) => firstReceipt(member, id));
      expect(ways.every((way) => way === 'broadcast' || way === 'gap'), `${member.id}: ${ways.join(', ')}`).toBe(true);
      expect(member.events.filter((e) => e.type === 'connection').map((e) => (e.type === 'connection' ? e.state : ''))).toEqual(['open']);
      expect(member.messages('general').map((m) => m.id)).toEqual(acknowledged); // once each, in seq order
    }
    const health = (await (await fetch(`${gateway.httpUrl}/healthz`)).json()) as { outbox: { pending: number; delivered: number } };
    expect(health.outbox.delivered).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
