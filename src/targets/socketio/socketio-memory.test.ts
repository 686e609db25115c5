import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import type { CatchupEvent } from '../../history/event.js';
import { TcpProxy } from '../../faults/tcp-proxy.js';
import { TargetUnderTest } from '../../test-support/target-under-test.js';
import { SocketioTarget } from './socketio-target.js';
import { socketioTargets } from './socketio-targets.js';

const ROOMS = [
  { id: 'general', members: ['alice', 'bob'] },
  { id: 'quiet', members: ['alice'] },
];
const WAIT_MS = 15_000;
/** Short, so a test can outlast it; the factories use SOCKETIO_MAX_DISCONNECTION_MS. */
const SHORT_SESSION_MS = 1_000;

const memory = socketioTargets.find((f) => f.id === 'socketio:memory')!;

describe('socketio:memory', () => {
  let under: TargetUnderTest | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await under?.close();
    proxy = under = undefined;
  });

  /** A client-link proxy in front of node 0, as the harness puts one: it tells clients apart by `?client=`. */
  async function proxied(): Promise<TcpProxy> {
    const [endpoint] = under!.target.clientEndpoints;
    proxy = await TcpProxy.start({ name: 'ws', upstream: endpoint!, labelFromQueryParam: 'client' });
    return proxy;
  }

  function recoveryOf(process: string, since: number): CatchupEvent | undefined {
    return under!.eventsOf(process, 'catchup').slice(since).find((e) => e.recovered !== undefined && e.roomId === 'general');
  }

  it('acknowledges a send with the stored message, broadcasts it to the room, and the snapshot holds it', async () => {
    under = await TargetUnderTest.start('sio-memory-send', memory.start, ROOMS);
    const alice = under.client('alice', ['general', 'quiet']);
    const bob = under.client('bob', ['general']);
    await Promise.all([alice.connect(), bob.connect()]);

    const sent = await alice.send('general', 'hello bob');
    expect(sent.status).toBe('ok');
    expect(sent.message).toMatchObject({ roomId: 'general', senderId: 'alice', text: 'hello bob', seq: 1, version: 1 });
    const quiet = await alice.send('quiet', 'note to self');
    expect(quiet.status).toBe('ok');

    await bob.waitFor(() => under!.eventsOf('bob-1', 'broadcast').some((e) => e.message.id === sent.message!.id), WAIT_MS);
    // Isolation: bob is not in `quiet` and never hears of it.
    expect(under.eventsOf('bob-1', 'broadcast').map((e) => e.message.roomId)).not.toContain('quiet');
    const complete = under.eventsOf('alice-0', 'complete');
    expect(complete.map((c) => [c.status, c.httpStatus])).toEqual([['ok', 201], ['ok', 201]]);

    const snapshot = await under.target.snapshot(['general', 'quiet']);
    expect(snapshot).toEqual([sent.message, quiet.message]);
  });

  it('refuses a send to a room the user is not in, as not applied', async () => {
    under = await TargetUnderTest.start('sio-memory-forbidden', memory.start, ROOMS);
    const bob = under.client('bob', ['general']);
    await bob.connect();
    const refused = await bob.send('quiet', 'let me in');
    expect(refused.status).toBe('fail');
    expect(under.eventsOf('bob-0', 'complete')[0]?.error).toMatchObject({ code: 'FORBIDDEN', outcome: 'not_applied' });
    expect(await under.target.snapshot(['quiet'])).toEqual([]);
  });

  it('a client whose link is reset comes back with recovered: true and the message it missed', async () => {
    under = await TargetUnderTest.start('sio-memory-recover', memory.start, ROOMS);
    const link = await proxied();
    const alice = under.client('alice', ['general']);
    const bob = under.client('bob', ['general'], { via: { ...link.address, node: 0, label: 'bob-1' } });
    await Promise.all([alice.connect(), bob.connect()]);
    // Socket.IO can only recover a client that holds an offset, i.e. received at least one event.
    const first = await alice.send('general', 'before');
    await bob.waitFor(() => under!.eventsOf('bob-1', 'broadcast').some((e) => e.message.id === first.message!.id), WAIT_MS);

    const catchupsBefore = under.eventsOf('bob-1', 'catchup').length;
    await link.setEnabled(false);
    await bob.waitFor(() => under!.eventsOf('bob-1', 'connection').some((e) => e.state === 'closed'), WAIT_MS);
    const missed = await alice.send('general', 'while you were away');
    expect(missed.status).toBe('ok');
    await link.setEnabled(true);

    await bob.waitFor(() => recoveryOf('bob-1', catchupsBefore) !== undefined, WAIT_MS);
    const recovery = recoveryOf('bob-1', catchupsBefore)!;
    expect(recovery.recovered).toBe(true);
    expect(recovery.changes.map((m) => m.id)).toEqual([missed.message!.id]);
    // Recovered: no read of the store was needed, and the missed message did not come as a live broadcast.
    expect(under.eventsOf('bob-1', 'catchup').slice(catchupsBefore)).toHaveLength(1);
    expect(under.eventsOf('bob-1', 'broadcast').map((e) => e.message.id)).not.toContain(missed.message!.id);
  });

  it('a disconnect longer than maxDisconnectionDuration comes back with recovered: false and catches up from the store', async () => {
    under = await TargetUnderTest.start(
      'sio-memory-expired',
      (env) => SocketioTarget.start({ adapter: 'memory', nodes: 1, maxDisconnectionDurationMs: SHORT_SESSION_MS }, env),
      ROOMS,
    );
    const link = await proxied();
    const alice = under.client('alice', ['general']);
    const bob = under.client('bob', ['general'], { via: { ...link.address, node: 0, label: 'bob-1' } });
    await Promise.all([alice.connect(), bob.connect()]);
    const first = await alice.send('general', 'before');
    await bob.waitFor(() => under!.eventsOf('bob-1', 'broadcast').some((e) => e.message.id === first.message!.id), WAIT_MS);

    const catchupsBefore = under.eventsOf('bob-1', 'catchup').length;
    await link.setEnabled(false);
    await bob.waitFor(() => under!.eventsOf('bob-1', 'connection').some((e) => e.state === 'closed'), WAIT_MS);
    const missed = await alice.send('general', 'long gone');
    // The fault itself: the link stays down past the session's lifetime.
    await delay(SHORT_SESSION_MS * 2);
    await link.setEnabled(true);

    await bob.waitFor(() => under!.eventsOf('bob-1', 'catchup').slice(catchupsBefore).some((e) => e.changes.some((m) => m.id === missed.message!.id)), WAIT_MS);
    const after = under.eventsOf('bob-1', 'catchup').slice(catchupsBefore);
    expect(after[0]).toMatchObject({ reason: 'reconnect', recovered: false, changes: [] });
    expect(after[1]).toMatchObject({ reason: 'reconnect', after: 1, changes: [missed.message] });
    expect(after[1]?.recovered).toBeUndefined();
  });

  it('a client that received no event before its link dropped is not recovered (no offset), and catches up from the store', async () => {
    under = await TargetUnderTest.start('sio-memory-zero-event', memory.start, ROOMS);
    const link = await proxied();
    const alice = under.client('alice', ['general']);
    const bob = under.client('bob', ['general'], { via: { ...link.address, node: 0, label: 'bob-1' } });
    await Promise.all([alice.connect(), bob.connect()]);
    const catchupsBefore = under.eventsOf('bob-1', 'catchup').length;
    await link.setEnabled(false);
    await bob.waitFor(() => under!.eventsOf('bob-1', 'connection').some((e) => e.state === 'closed'), WAIT_MS);
    const missed = await alice.send('general', 'first ever');
    await link.setEnabled(true);
    await bob.waitFor(() => under!.eventsOf('bob-1', 'catchup').slice(catchupsBefore).some((e) => e.changes.some((m) => m.id === missed.message!.id)), WAIT_MS);
    expect(under.eventsOf('bob-1', 'catchup')[catchupsBefore]).toMatchObject({ recovered: false });
  });

  it('server.crash kills the node and restarts it; clients reconnect unrecovered and catch up; the crash is recorded', async () => {
    under = await TargetUnderTest.start('sio-memory-crash', memory.start, ROOMS);
    const alice = under.client('alice', ['general']);
    const bob = under.client('bob', ['general']);
    await Promise.all([alice.connect(), bob.connect()]);
    const first = await alice.send('general', 'before the crash');
    await bob.waitFor(() => under!.eventsOf('bob-1', 'broadcast').some((e) => e.message.id === first.message!.id), WAIT_MS);

    expect(under.target.faults.handles('server.crash')).toBe(true);
    const catchupsBefore = under.eventsOf('bob-1', 'catchup').length;
    await under.target.faults.start({ name: 'server.crash', params: {} });
    await under.target.faults.heal({ name: 'server.crash', params: {} });
    expect(under.history.filter((e) => e.type === 'fault').map((e) => e.type === 'fault' && e.phase)).toEqual(['start', 'heal']);

    await bob.waitFor(() => under!.eventsOf('bob-1', 'catchup').length > catchupsBefore, WAIT_MS);
    // The in-memory adapter's sessions died with the process.
    expect(under.eventsOf('bob-1', 'catchup')[catchupsBefore]).toMatchObject({ recovered: false });
    await alice.waitFor(() => alice.connected, WAIT_MS);
    const second = await alice.send('general', 'after the restart');
    expect(second.status).toBe('ok');
    expect(second.message?.seq).toBe(2);
    const view = await bob.finalSync();
    expect(view).toMatchObject({ rooms: [{ roomId: 'general', messages: [first.message, second.message] }] });
  });
});
