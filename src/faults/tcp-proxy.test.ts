import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EchoServer } from '../test-support/echo-server.js';
import { SocketProbe } from '../test-support/socket-probe.js';
import { FaultSpecError } from './fault-spec-error.js';
import { TcpProxy } from './tcp-proxy.js';

let echo: EchoServer;
let proxy: TcpProxy;
const probes: SocketProbe[] = [];

async function client(): Promise<SocketProbe> {
  const probe = await SocketProbe.connect(proxy.listenPort);
  probes.push(probe);
  return probe;
}

beforeEach(async () => {
  echo = await EchoServer.start();
  proxy = await TcpProxy.start({ name: 'test', upstream: { host: '127.0.0.1', port: echo.port }, labelFromQueryParam: 'client' });
});

afterEach(async () => {
  for (const probe of probes.splice(0)) probe.socket.destroy();
  await proxy.close();
  await echo.close();
});

describe('TcpProxy without toxics', () => {
  it('relays both ways and passes the FIN on', async () => {
    const probe = await client();
    probe.socket.write('hello');
    await probe.untilText('hello');
    probe.socket.end();
    await probe.until((p) => p.ended);
    expect(probe.error).toBeUndefined();
  });

  it('relays a large transfer intact (backpressure, bounded buffering)', async () => {
    const probe = await client();
    const payload = Buffer.alloc(6 * 1024 * 1024, 'abcdefghij');
    probe.socket.end(payload);
    await probe.until((p) => p.ended);
    expect(probe.received.equals(payload)).toBe(true);
  });

  it('lists connections with their client port and label', async () => {
    const probe = await client();
    probe.socket.write('GET /ws?client=alice-1 HTTP/1.1\r\n\r\n');
    await probe.untilText('alice-1');
    const [info] = proxy.connections();
    expect(info).toMatchObject({ label: 'alice-1', clientPort: probe.socket.localPort });
    expect(proxy.findByClientPort(probe.socket.localPort ?? 0)?.id).toBe(info?.id);
  });

  it('rejects a bad toxic spec naming the field', () => {
    expect(() => proxy.addToxic({ name: 'l', type: 'latency', stream: 'downstream', attributes: { latency: -1 } })).toThrow(
      /attribute "latency"/,
    );
    expect(() => proxy.addToxic({ name: 'x', type: 'nope' as 'latency', stream: 'downstream' })).toThrow(FaultSpecError);
  });
});

describe('toxics', () => {
  it('latency delays each chunk by at least the latency, and healing releases held data', async () => {
    const probe = await client();
    proxy.addToxic({ name: 'lat', type: 'latency', stream: 'downstream', attributes: { latency: 150 } });
    const sentAt = Date.now();
    probe.socket.write('slow');
    await probe.untilText('slow');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(145);

    proxy.addToxic({ name: 'held', type: 'latency', stream: 'downstream', attributes: { latency: 600_000 } });
    probe.socket.write('held');
    await echo.until('data', () => echo.receivedText.includes('held'));
    expect(probe.text).not.toContain('held');
    proxy.removeToxic('held');
    await probe.untilText('slowheld');
  });

  it('blackhole drops data silently, keeps the connection open, and healing lets new data through', async () => {
    const probe = await client();
    proxy.addToxic({ name: 'bh', type: 'blackhole', stream: 'downstream' });
    const dropped = once(proxy, 'dropped');
    probe.socket.write('lost');
    expect(await dropped).toEqual([expect.objectContaining({ toxic: 'bh', stream: 'downstream', bytes: 4 })]);
    proxy.removeToxic('bh');
    probe.socket.write('found');
    await probe.untilText('found');
    expect(probe.text).toBe('found');
    expect(probe.closed).toBe(false);
  });

  it('reset_peer gives the client ECONNRESET; new connections after healing work', async () => {
    const probe = await client();
    probe.socket.write('x');
    await probe.untilText('x');
    proxy.addToxic({ name: 'rst', type: 'reset_peer', stream: 'downstream' });
    await probe.until((p) => p.error !== undefined);
    expect(probe.error?.code).toBe('ECONNRESET');

    proxy.removeToxic('rst');
    const again = await client();
    again.socket.write('back');
    await again.untilText('back');
  });

  it('reset_peer with a timeout resets connections that open while it is active', async () => {
    proxy.addToxic({ name: 'rst', type: 'reset_peer', stream: 'upstream', attributes: { timeout: 50 } });
    const probe = await client();
    await probe.until((p) => p.error !== undefined);
    expect(probe.error?.code).toBe('ECONNRESET');
  });

  it('limit_data closes the connection after N bytes in its stream', async () => {
    const probe = await client();
    proxy.addToxic({ name: 'lim', type: 'limit_data', stream: 'downstream', attributes: { bytes: 5 } });
    probe.socket.write('abcdefgh');
    await probe.until((p) => p.ended);
    expect(probe.text).toBe('abcde');
  });

  it('slow_close delays the FIN by at least the delay; healing passes a held FIN on', async () => {
    proxy.addToxic({ name: 'sc', type: 'slow_close', stream: 'upstream', attributes: { delay: 150 } });
    const first = await client();
    const endedAt = Date.now();
    first.socket.end();
    await echo.until('end');
    expect(Date.now() - endedAt).toBeGreaterThanOrEqual(145);

    proxy.addToxic({ name: 'held', type: 'slow_close', stream: 'upstream', attributes: { delay: 600_000 } });
    const second = await client();
    second.socket.write('ping');
    await second.untilText('ping');
    second.socket.end();
    const serverEnd = echo.until('end');
    proxy.removeToxic('sc');
    proxy.removeToxic('held');
    await serverEnd;
    await second.until((p) => p.ended);
  });

  it('targets one labelled connection and leaves the others alone', async () => {
    const alice = await client();
    const bob = await client();
    alice.socket.write('GET /ws?client=alice HTTP/1.1\r\n\r\n');
    await alice.untilText('alice');
    proxy.addToxic({ name: 'bh-alice', type: 'blackhole', stream: 'downstream', target: { label: 'alice' } });
    const dropped = once(proxy, 'dropped');
    alice.socket.write('A');
    bob.socket.write('B');
    await bob.untilText('B');
    expect(await dropped).toEqual([expect.objectContaining({ label: 'alice', bytes: 1 })]);
    expect(alice.text).not.toContain('A');
    proxy.removeToxic('bh-alice');
    alice.socket.write('C');
    await alice.untilText('C');
    expect(alice.text.endsWith('HTTP/1.1\r\n\r\nC')).toBe(true);
  });

  it('disabled: open connections are reset and new ones refused; enabled again on the same port', async () => {
    const probe = await client();
    const port = proxy.listenPort;
    await proxy.setEnabled(false);
    await probe.until((p) => p.closed);
    const refused = connect({ host: '127.0.0.1', port });
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');

    await proxy.setEnabled(true);
    expect(proxy.listenPort).toBe(port);
    const again = await client();
    again.socket.write('up');
    await again.untilText('up');
  });
});
