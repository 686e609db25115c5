import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EchoServer } from '../test-support/echo-server.js';
import { SocketProbe } from '../test-support/socket-probe.js';
import { FaultSpecError } from './fault-spec-error.js';
import { Nemesis } from './nemesis.js';
import { TcpProxy } from './tcp-proxy.js';
import { WsFrameProxy } from './ws-frame-proxy.js';

let echo: EchoServer;
let ws: TcpProxy;
let wsFrames: WsFrameProxy;
let nemesis: Nemesis;
let clock = 0;
const probes: SocketProbe[] = [];

/** A client on the ws proxy whose connection is labelled like the runner does it: `?client=<id>` in its request. */
async function client(id: string): Promise<SocketProbe> {
  const probe = await SocketProbe.connect(ws.listenPort);
  probes.push(probe);
  probe.socket.write(`GET /ws?client=${id} HTTP/1.1\r\n\r\n`);
  await probe.untilText(id);
  return probe;
}

beforeEach(async () => {
  echo = await EchoServer.start();
  ws = await TcpProxy.start({ name: 'ws', upstream: { host: '127.0.0.1', port: echo.port }, labelFromQueryParam: 'client' });
  wsFrames = await WsFrameProxy.start({ name: 'frames', upstream: { host: '127.0.0.1', port: echo.port } });
  nemesis = new Nemesis({ ws, wsFrames }, () => ++clock);
});

afterEach(async () => {
  for (const probe of probes.splice(0)) probe.socket.destroy();
  await ws.close();
  await wsFrames.close();
  await echo.close();
});

describe('Nemesis', () => {
  it('ws.blackhole on one client: its link goes silent, the other is untouched; heal restores it', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const [started] = await nemesis.start({ name: 'ws.blackhole', target: 'alice', params: {} });
    expect(started).toMatchObject({ type: 'fault', fault: 'ws.blackhole', phase: 'start', target: 'alice' });
    expect(ws.toxics().map((t) => [t.type, t.stream, t.target])).toEqual([
      ['blackhole', 'upstream', { label: 'alice' }],
      ['blackhole', 'downstream', { label: 'alice' }],
    ]);

    const dropped = once(ws, 'dropped');
    alice.socket.write('A');
    bob.socket.write('B');
    await bob.untilText('B');
    expect(await dropped).toEqual([expect.objectContaining({ label: 'alice', stream: 'upstream' })]);

    expect(await nemesis.heal({ name: 'ws.blackhole', target: 'alice' })).toEqual([
      expect.objectContaining({ phase: 'heal', target: 'alice' }),
    ]);
    alice.socket.write('C');
    await alice.untilText('C');
    expect(alice.text).not.toContain('A');
  });

  it('ws.reset resets every link when no client is named', async () => {
    const alice = await client('alice');
    await nemesis.start({ name: 'ws.reset' });
    await alice.until((p) => p.error !== undefined);
    expect(alice.error?.code).toBe('ECONNRESET');
  });

  it('maps frame faults to frame rules with broadcast types by default, and heals them all', async () => {
    await nemesis.start({ name: 'ws.delay-frame', target: 'bob', params: { ms: 50, count: 2 } });
    await nemesis.start({ name: 'ws.drop-frame', target: 'alice' });
    expect(wsFrames.rules().map(({ rule }) => rule)).toEqual([
      expect.objectContaining({ action: 'delay', delayMs: 50, count: 2, target: { label: 'bob' } }),
      expect.objectContaining({
        action: 'drop',
        count: 1,
        target: { label: 'alice' },
        match: { types: ['message.created', 'message.edited', 'message.deleted'] },
      }),
    ]);
    const healed = await nemesis.healAll();
    expect(healed.map((e) => [e.fault, e.phase, e.target])).toEqual([
      ['ws.delay-frame', 'heal', 'bob'],
      ['ws.drop-frame', 'heal', 'alice'],
    ]);
    expect(wsFrames.rules()).toEqual([]);
    expect(nemesis.activeFaults()).toEqual([]);
  });

  it('names what is wrong with a fault it cannot start', async () => {
    await expect(nemesis.start({ name: 'ws.meteor' })).rejects.toThrow(/no fault named "ws.meteor"/);
    await expect(nemesis.start({ name: 'db.unreachable' })).rejects.toThrow(/needs a TCP proxy before the database/);
    await expect(nemesis.start({ name: 'ws.latency', params: { ms: 'slow' } })).rejects.toThrow(/params.ms/);
    await expect(nemesis.start({ name: 'ws.latency', params: { stream: 'sideways' } })).rejects.toThrow(FaultSpecError);
    expect(nemesis.activeFaults()).toEqual([]);
    expect(await nemesis.heal({ name: 'ws.latency' })).toEqual([]);
  });
});
