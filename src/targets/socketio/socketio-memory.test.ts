import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import type { CatchupEvent } from '../../history/event.js';
import type { TargetClient, TargetOpResult } from '../../harness/sut/target.js';
import { WsFrameProxy } from '../../faults/ws-frame-proxy.js';
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
  afterEach(async () => {
    await under?.close();
    under = undefined;
  });

  /** alice on node 0 directly, bob through a link the test can cut, both connected. */
  async function aliceAndLinkedBob(started: TargetUnderTest) {
    const alice = started.client('alice', ['general']);
    const bob = await started.proxiedClient('bob', ['general']);
    await Promise.all([alice.connect(), bob.client.connect()]);
    return { alice, bob };
  }

  /** alice sends; bob receives it live (after which he holds a Socket.IO offset, which recovery needs). */
  async function sendSeen(alice: TargetClient, bob: { id: string; client: TargetClient }, text: string): Promise<TargetOpResult> {
    const sent = await alice.send('general', text);
    await bob.client.waitFor(() => under!.broadcastIds(bob.id).includes(sent.message!.id), WAIT_MS);
    return sent;
  }

  function catchupsOf(process: string, since: number): CatchupEvent[] {
    return under!.eventsOf(process, 'catchup').slice(since);
  }

  it('acknowledges a send with the stored message, broadcasts it to the room, and the snapshot holds it', async () => {
    under = await TargetUnderTest.start('sio-memory-send', memory.start, ROOMS);
    const alice = under.client('alice', ['general', 'quiet']);
    const bob = under.client('bob', ['general']);
    // Alice again, subscribed to `general` only: she is a member of `quiet` but did not ask for it.
    const aliceElsewhere = under.client('alice', ['general']);
    await Promise.all([alice.connect(), bob.connect(), aliceElsewhere.connect()]);

    const sent = await alice.send('general', 'hello bob');
    expect(sent.status).toBe('ok');
    expect(sent.message).toMatchObject({ roomId: 'general', senderId: 'alice', text: 'hello bob', seq: 1, version: 1 });
    const quiet = await alice.send('quiet', 'note to self');
    expect(quiet.status).toBe('ok');

    await bob.waitFor(() => under!.broadcastIds('bob-1').includes(sent.message!.id), WAIT_MS);
    // Isolation: bob is not in `quiet` and never hears of it.
    expect(under.eventsOf('bob-1', 'broadcast').map((e) => e.message.roomId)).not.toContain('quiet');
    await alice.waitFor(() => under!.broadcastIds('alice-0').includes(quiet.message!.id), WAIT_MS);
    expect(under.eventsOf('alice-2', 'broadcast').map((e) => e.message.roomId)).toEqual(['general']);
    const complete = under.eventsOf('alice-0', 'complete');
    expect(complete.map((c) => [c.status, c.httpStatus])).toEqual([['ok', 201], ['ok', 201]]);

    // A lone surrogate is refused, not stored as U+FFFD while the broadcast carries it as sent.
    const broken = await alice.send('general', '\ud83d broken');
    expect(broken.status).toBe('fail');

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
    const { alice, bob } = await aliceAndLinkedBob(under);
    await sendSeen(alice, bob, 'before');

    const since = under.eventsOf(bob.id, 'catchup').length;
    await under.cutLink(bob.id, bob.client, bob.link, WAIT_MS);
    const missed = await alice.send('general', 'while you were away');
    expect(missed.status).toBe('ok');
    await bob.link.setEnabled(true);

    await bob.client.waitFor(() => catchupsOf(bob.id, since).length > 0, WAIT_MS);
    const [recovery, ...more] = catchupsOf(bob.id, since);
    expect(recovery).toMatchObject({ reason: 'reconnect', recovered: true, changes: [missed.message] });
    // Recovered: no read of the store was needed, and the missed message did not come as a live broadcast.
    expect(more).toEqual([]);
    expect(under.broadcastIds(bob.id)).not.toContain(missed.message!.id);
  });

  it('a disconnect longer than maxDisconnectionDuration comes back with recovered: false and catches up from the store', async () => {
    under = await TargetUnderTest.start(
      'sio-memory-expired',
      (env) => SocketioTarget.start({ adapter: 'memory', nodes: 1, maxDisconnectionDurationMs: SHORT_SESSION_MS }, env),
      ROOMS,
    );
    const { alice, bob } = await aliceAndLinkedBob(under);
    await sendSeen(alice, bob, 'before');

    const since = under.eventsOf(bob.id, 'catchup').length;
    await under.cutLink(bob.id, bob.client, bob.link, WAIT_MS);
    const missed = await alice.send('general', 'long gone');
    // The fault itself: the link stays down past the session's lifetime.
    await delay(SHORT_SESSION_MS * 2);
    await bob.link.setEnabled(true);

    await bob.client.waitFor(() => catchupsOf(bob.id, since).some((e) => e.changes.some((m) => m.id === missed.message!.id)), WAIT_MS);
    const [claim, read] = catchupsOf(bob.id, since);
    expect(claim).toMatchObject({ reason: 'reconnect', recovered: false, changes: [] });
    expect(read).toMatchObject({ reason: 'reconnect', after: 1, changes: [missed.message] });
    expect(read?.recovered).toBeUndefined();
  });

  it('a client that received no event before its link dropped is not recovered (no offset), and catches up from the store', async () => {
    under = await TargetUnderTest.start('sio-memory-zero-event', memory.start, ROOMS);
    const { alice, bob } = await aliceAndLinkedBob(under);
    const since = under.eventsOf(bob.id, 'catchup').length;
    await under.cutLink(bob.id, bob.client, bob.link, WAIT_MS);
    const missed = await alice.send('general', 'first ever');
    await bob.link.setEnabled(true);
    await bob.client.waitFor(() => catchupsOf(bob.id, since).some((e) => e.changes.some((m) => m.id === missed.message!.id)), WAIT_MS);
    expect(catchupsOf(bob.id, since)[0]).toMatchObject({ recovered: false });
  });

  it('works through the harness frame relay; a dropped broadcast frame is not redelivered live (at most once), only the store has it', async () => {
    under = await TargetUnderTest.start('sio-memory-frames', memory.start, ROOMS);
    const relay = await WsFrameProxy.start({ name: 'frames', upstream: under.target.clientEndpoints[0]! });
    try {
      const alice = under.client('alice', ['general']);
      const bob = { id: 'bob-1', client: under.client('bob', ['general'], { via: { host: '127.0.0.1', port: relay.listenPort, node: 0, label: 'bob-1' } }) };
      await Promise.all([alice.connect(), bob.client.connect()]);
      await sendSeen(alice, bob, 'through the relay');
      // Socket.IO frames are `42["message",…]`, not JSON objects with a `type`: match the event name.
      relay.addRule({ name: 'drop-one', action: 'drop', target: { label: 'bob-1' }, count: 1, match: { contains: '"message"' } });
      const dropped = await alice.send('general', 'dropped on the way');
      const next = await sendSeen(alice, bob, 'after the drop');
      expect(relay.rules()[0]?.applied).toBe(1);
      expect(under.broadcastIds(bob.id)).not.toContain(dropped.message!.id);
      expect(under.broadcastIds(bob.id)).toContain(next.message!.id);
      const view = await bob.client.finalSync();
      expect(view).toMatchObject({ rooms: [{ roomId: 'general', messages: [{ text: 'through the relay' }, dropped.message, next.message] }] });
    } finally {
      await relay.close();
    }
  });

  it('server.crash kills the node and restarts it; clients reconnect unrecovered and catch up; the node records nothing itself (the runner records the fault)', async () => {
    under = await TargetUnderTest.start('sio-memory-crash', memory.start, ROOMS);
    const alice = under.client('alice', ['general']);
    const bob = { id: 'bob-1', client: under.client('bob', ['general']) };
    await Promise.all([alice.connect(), bob.client.connect()]);
    const first = await sendSeen(alice, bob, 'before the crash');

    expect(under.target.faults.handles('server.crash')).toBe(true);
    const since = under.eventsOf(bob.id, 'catchup').length;
    await under.target.faults.start({ name: 'server.crash', params: {} });
    await under.target.faults.heal({ name: 'server.crash', params: {} });
    expect(under.history.filter((e) => e.type === 'fault')).toEqual([]);

    await bob.client.waitFor(() => catchupsOf(bob.id, since).length > 0, WAIT_MS);
    // The in-memory adapter's sessions died with the process.
    expect(catchupsOf(bob.id, since)[0]).toMatchObject({ recovered: false });
    await alice.waitFor(() => alice.connected, WAIT_MS);
    const second = await alice.send('general', 'after the restart');
    expect(second.message?.seq).toBe(2);
    const view = await bob.client.finalSync();
    expect(view).toMatchObject({ rooms: [{ roomId: 'general', messages: [first.message, second.message] }] });
  });
});
