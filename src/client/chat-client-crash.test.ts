import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/event.js';
import { AdminClient } from '../targets/reference/admin-client.js';
import { ServerProcess } from '../targets/reference/server-process.js';
import { mongoUri, uniqueDatabaseName } from '../test-support/test-database.js';
import { ChatClient } from './chat-client.js';

/** The client across a real crash: `ackproof serve` in a child process, SIGKILLed after a save, then restarted. */
let server: ServerProcess | undefined;
const clients: ChatClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.kill();
});

describe('ChatClient across a server crash', () => {
  it('the sender is told info, the member reconnects by itself after the restart and recovers the message', async () => {
    server = await ServerProcess.start({ pattern: 'decoupled', mongoUri: mongoUri(), dbName: uniqueDatabaseName('client-crash'), adminPort: true });
    const history: HistoryEvent[] = [];
    let op = 0;
    const make = (user: string) => {
      const client = new ChatClient({
        id: user,
        userId: user,
        token: `${user}-token`,
        httpUrl: server?.httpUrl ?? '',
        wsUrl: server?.wsUrl ?? '',
        rooms: ['general'],
        emit: (e) => history.push(e),
        now: () => history.length,
        nextOp: () => ++op,
        retries: 0,
        reconnect: { auto: true, backoffMs: 50, maxBackoffMs: 200 },
      });
      clients.push(client);
      return client;
    };
    const alice = make('alice');
    const bob = make('bob');
    await Promise.all([alice.connect(), bob.connect()]);

    await new AdminClient(server.adminUrl ?? '').armFault('crash.afterSave');
    const sent = await alice.send('general', 'saved, then the server died');
    expect(sent.status).toBe('info');
    await server.exited;
    await bob.waitForEvent((e) => e.type === 'connection' && e.process === 'bob' && e.state === 'closed', 10_000);

    await server.restart();
    const recovered = await bob.waitFor(() => bob.messages('general').find((m) => m.clientMsgId === sent.clientMsgId), 20_000);
    expect(recovered.text).toBe('saved, then the server died');
    const bobSaw = bob.events;
    expect(bobSaw.some((e) => e.type === 'broadcast')).toBe(false); // it died before the publish
    expect(bobSaw.some((e) => e.type === 'catchup' && e.reason === 'reconnect' && e.changes.some((m) => m.id === recovered.id))).toBe(true);

    // The sender's retry with the same key finds the original: one message.
    const retry = await alice.send('general', 'saved, then the server died', { clientMsgId: sent.clientMsgId });
    expect(retry).toMatchObject({ status: 'ok', httpStatus: 200, message: { id: recovered.id } });
  });
});
