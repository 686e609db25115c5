import { describe, expect, it } from 'vitest';
import { referenceProtocol } from './swarm-protocol.js';

describe('the reference protocol in the swarm', () => {
  const member = { token: 'tok-u1', rooms: ['fanout', 'r2'] };
  const read = (frame: string) => referenceProtocol.session(member).read(Buffer.from(frame));

  it('sends its token on the upgrade and subscribes its rooms once open', () => {
    expect(referenceProtocol.headers(member)).toEqual({ authorization: 'Bearer tok-u1' });
    expect(JSON.parse(referenceProtocol.session(member).opening)).toEqual({ type: 'subscribe', rooms: ['fanout', 'r2'] });
  });

  it('counts a message.created event as one delivery and nothing else as one', () => {
    expect(read('{"type":"message.created","message":{"id":"m1"}}')).toEqual({ deliveries: 1 });
    expect(read('{"type":"message.edited","message":{"id":"m1"}}')).toEqual({ deliveries: 0 });
    expect(read('{"type":"subscribed","rooms":["fanout"]}')).toEqual({ deliveries: 0, subscribed: true });
    expect(read('{"type":"error","code":"FORBIDDEN"}').refused).toMatch(/^subscribe refused: .*FORBIDDEN/);
  });
});
