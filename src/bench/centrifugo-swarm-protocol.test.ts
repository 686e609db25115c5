import { afterEach, describe, expect, it } from 'vitest';
import { findCentrifugo } from '../targets/centrifugo/centrifugo-binary.js';
import { roomChannel } from '../targets/centrifugo/centrifugo-config.js';
import { connectionToken } from '../targets/centrifugo/connection-token.js';
import { startTestCentrifugo } from '../test-support/centrifugo-node.js';
import { centrifugoProtocol } from './centrifugo-swarm-protocol.js';
import { epochNow, stampedText } from './delivery-stamp.js';
import { SubscriberSwarm } from './subscriber-swarm.js';

const push = (offset: number) => JSON.stringify({ push: { channel: 'room:fanout', pub: { data: { text: `m${offset}` }, offset } } });

describe('the Centrifugo protocol in the swarm', () => {
  const member = { token: 'jwt-of-u1', rooms: ['fanout', 'r2'] };

  it('connects with the member token and subscribes each room channel, in one frame', () => {
    const commands = centrifugoProtocol.session(member).opening.split('\n').map((line) => JSON.parse(line) as unknown);
    expect(commands).toEqual([
      { id: 1, connect: { token: 'jwt-of-u1', name: 'ackproof-bench' } },
      { id: 2, subscribe: { channel: 'room:fanout' } },
      { id: 3, subscribe: { channel: 'room:r2' } },
    ]);
    expect(centrifugoProtocol.headers(member)).toEqual({});
  });

  it('is subscribed once every subscribe is answered, whether the replies come in one frame or several', () => {
    const session = centrifugoProtocol.session(member);
    expect(session.read(Buffer.from('{"id":1,"connect":{"client":"c","version":"6.9.1 OSS","ping":25,"pong":true}}'))).toEqual({ deliveries: 0 });
    expect(session.read(Buffer.from('{"id":2,"subscribe":{"recoverable":true,"epoch":"e","positioned":true}}'))).toEqual({ deliveries: 0 });
    expect(session.read(Buffer.from('{"id":3,"subscribe":{}}'))).toEqual({ deliveries: 0, subscribed: true });
    const together = centrifugoProtocol.session(member);
    expect(together.read(Buffer.from('{"id":1,"connect":{}}\n{"id":2,"subscribe":{}}\n{"id":3,"subscribe":{}}'))).toEqual({ deliveries: 0, subscribed: true });
  });

  it('counts every publication push of a frame, and only those', () => {
    const session = centrifugoProtocol.session(member);
    expect(session.read(Buffer.from(push(1)))).toEqual({ deliveries: 1 });
    expect(session.read(Buffer.from([push(2), push(3), push(4)].join('\n')))).toEqual({ deliveries: 3 });
    const join = JSON.stringify({ push: { channel: 'room:fanout', join: { info: { user: 'u2' } } } });
    expect(session.read(Buffer.from(join))).toEqual({ deliveries: 0 });
    // A reply whose data merely mentions "pub" is not a push.
    expect(session.read(Buffer.from('{"id":9,"rpc":{"data":{"pub":{}}}}'))).toEqual({ deliveries: 0 });
  });

  it('answers a ping with a pong, also when it shares a frame with pushes', () => {
    const session = centrifugoProtocol.session(member);
    expect(session.read(Buffer.from('{}'))).toEqual({ deliveries: 0, answer: '{}' });
    expect(session.read(Buffer.from(`${push(5)}\n{}`))).toEqual({ deliveries: 1, answer: '{}' });
  });

  it('reports an error reply as refused', () => {
    const reading = centrifugoProtocol.session(member).read(Buffer.from('{"id":2,"error":{"code":103,"message":"permission denied"}}'));
    expect(reading.refused).toMatch(/permission denied/);
  });
});

const binary = findCentrifugo();
const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const part of open.splice(0).reverse()) await part.close();
});

describe.skipIf(!binary)('a swarm on a real Centrifugo node (skipped without the centrifugo binary: bash .ci/install-centrifugo)', () => {
  async function startNode() {
    // Centrifugo's own ping interval: the swarm's pong is tested on frames above, not by waiting for a ping.
    const { node, hmacSecret } = await startTestCentrifugo(open, { pingIntervalMs: 25_000, positionCheckMs: 40_000 });
    return { node, hmacSecret, wsUrl: `ws://127.0.0.1:${node.config.port}/connection/websocket` };
  }

  it('counts each publication once per socket and times every one of them', async () => {
    const { node, hmacSecret, wsUrl } = await startNode();
    const members = Array.from({ length: 20 }, (_, i) => ({ token: connectionToken(`u${i}`, hmacSecret), rooms: ['fanout'] }));
    const swarm = await SubscriberSwarm.open(wsUrl, members, { protocol: centrifugoProtocol, latencySampleEvery: 1 });
    open.push({ close: async () => swarm.close() });
    const api = node.api(5_000);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api.publish(roomChannel('fanout'), { text: stampedText(epochNow(), 100) }, `k${i}`)),
    );
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
    await swarm.waitForDeliveries(30 * 20, 10_000);
    // Stamps are read independently of the count: a push counted twice, or a frame's pushes missed, would differ.
    expect(swarm.latencies).toHaveLength(swarm.deliveries);
    expect(swarm.deliveries).toBe(600);
    expect(Math.min(...swarm.latencies)).toBeGreaterThanOrEqual(0);
  });

  it('fails to open when Centrifugo refuses a token, instead of waiting forever', async () => {
    const { wsUrl } = await startNode();
    const members = [{ token: connectionToken('mallory', 'not-the-secret'), rooms: ['fanout'] }];
    await expect(SubscriberSwarm.open(wsUrl, members, { protocol: centrifugoProtocol })).rejects.toThrow(/invalid token|closed before subscribing/);
  });
});
