import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storedMessages } from '../../test-support/reference-server.js';
import { EnvironmentError } from '../../proc/environment-error.js';
import { httpCall } from '../../test-support/http-call.js';
import { mongoUri, uniqueDatabaseName } from '../../test-support/test-database.js';
import { WsProbe } from '../../test-support/ws-probe.js';
import { AdminClient, AdminError } from './admin-client.js';
import { ServerProcess } from './server-process.js';

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.kill();
  server = undefined;
});

const send = (s: ServerProcess, clientMsgId: string) =>
  httpCall(s.httpUrl, 'POST', '/rooms/general/messages', { token: 'alice-token', body: { clientMsgId, text: 'survives?' } });

describe('ServerProcess and the admin client', () => {
  it('crash.afterSave: the process dies after the save; the message is stored; a restart on the same port serves it', async () => {
    const dbName = uniqueDatabaseName('server-process-crash');
    server = await ServerProcess.start({ pattern: 'decoupled', mongoUri: mongoUri(), dbName, adminPort: true });
    expect(server.ready).toMatchObject({ event: 'ready', pattern: 'decoupled', writeConcern: 'w:1,j:true', pid: server.pid });
    const { httpUrl, adminUrl } = server;
    const admin = new AdminClient(adminUrl!);
    expect(await admin.armFault('crash.afterSave')).toEqual({ point: 'crash.afterSave', params: {}, fired: 0 });
    expect(await admin.listFaults()).toHaveLength(1);

    await expect(send(server, 'crash-1')).rejects.toThrow(); // the connection dies with the process
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });

    expect((await storedMessages(dbName, 'general')).map((m) => m.clientMsgId)).toEqual(['crash-1']);

    await server.restart();
    expect([server.httpUrl, server.adminUrl]).toEqual([httpUrl, adminUrl]);
    expect(await admin.listFaults()).toEqual([]); // faults do not survive a restart
    const changes = await httpCall(server.httpUrl, 'GET', '/rooms/general/changes?after=0', { token: 'bob-token' });
    expect(changes.body.changes.map((m: { clientMsgId: string }) => m.clientMsgId)).toEqual(['crash-1']);
    expect((await send(server, 'crash-1')).status).toBe(200);
  });

  it('stops gracefully on SIGTERM: sockets get 1001 and the exit code is 0', async () => {
    server = await ServerProcess.start({ pattern: 'coupled', mongoUri: mongoUri(), dbName: uniqueDatabaseName('server-process-stop') });
    expect(server.adminUrl).toBeNull();
    const probe = await WsProbe.subscribed(server.wsUrl, 'bob-token', ['general']);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    await probe.until(() => probe.closed !== undefined);
    expect(probe.closed?.code).toBe(1001);
  });

  it('adds users and rooms at run time, and refuses a bad world file with exit 3 naming the file and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ackproof-world-'));
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ users: [{ id: 'zed', token: 'zt' }], rooms: [{ id: 'z', members: ['zed'] }] }));
    server = await ServerProcess.start({ pattern: 'decoupled', mongoUri: mongoUri(), dbName: uniqueDatabaseName('server-process-world'), adminPort: true, worldFile: good });
    const admin = new AdminClient(server.adminUrl!);
    const world = await admin.addWorld({ users: [{ id: 'amy', token: 'at' }], rooms: [{ id: 'z', members: ['amy'] }] });
    expect(world.rooms).toEqual([{ id: 'z', members: ['zed', 'amy'] }]);
    const sent = await httpCall(server.httpUrl, 'POST', '/rooms/z/messages', { token: 'at', body: { clientMsgId: 'a', text: 'hi' } });
    expect(sent.status).toBe(201);
    await expect(admin.addWorld({ rooms: [{ id: 'q', members: ['nobody'] }] })).rejects.toBeInstanceOf(AdminError);
    await expect(admin.armFault('no.such.point')).rejects.toMatchObject({ status: 404, code: 'UNKNOWN_FAULT_POINT' });

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ users: [{ id: 'x' }] }));
    const refusal = await ServerProcess.start({ pattern: 'decoupled', mongoUri: mongoUri(), dbName: 'unused', worldFile: bad }).then(
      () => undefined,
      (error: unknown) => error,
    );
    // serve's exit 3 is the environment's problem (a file, a port): the CLI will say so and exit 3 too.
    expect(refusal).toBeInstanceOf(EnvironmentError);
    const failed = (refusal as Error).message;
    expect(failed).toContain('code 3');
    expect(failed).toContain(bad);
    expect(failed).toContain('users[0].token');
  });
});
