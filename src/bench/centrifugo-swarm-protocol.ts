import { roomChannel } from '../targets/centrifugo/centrifugo-config.js';
import type { SwarmMember } from './subscriber-swarm.js';
import type { FrameReading, SwarmProtocol } from './swarm-protocol.js';

const NEWLINE = 0x0a;
const PUSH_PREFIX = '{"push":';
const PUBLICATION = '"pub":{';
const REPLY_PREFIX = '{"id":';
const ERROR = '"error":';
const SUBSCRIBE_RESULT = '"subscribe":';
/** Centrifugo's JSON-protocol ping is an empty object, answered with one (its connect reply says `pong: true`). */
const PING = '{}';

const ONE_DELIVERY: FrameReading = Object.freeze({ deliveries: 1 });
const NOTHING: FrameReading = Object.freeze({ deliveries: 0 });

/**
 * Centrifugo's client protocol, JSON over WebSocket, spoken directly (cheaper in the swarm than the `centrifuge`
 * SDK, which decodes every push): once open, a `connect` command with the member's connection token and a
 * `subscribe` per room channel, in one frame, newline-separated. Centrifugo may also put several replies and pushes
 * in one frame, one JSON object a line; each publication push counts as a delivery.
 */
export const centrifugoProtocol: SwarmProtocol = {
  headers: () => ({}),
  session(member: SwarmMember) {
    const commands = [
      { id: 1, connect: { token: member.token, name: 'ackproof-bench' } },
      ...member.rooms.map((room, i) => ({ id: i + 2, subscribe: { channel: roomChannel(room) } })),
    ];
    let unanswered = member.rooms.length;
    return {
      opening: commands.map((c) => JSON.stringify(c)).join('\n'),
      read(frame: Buffer): FrameReading {
        let deliveries = 0;
        let answer: string | undefined;
        let subscribed = false;
        for (let start = 0; start < frame.length; ) {
          const newline = frame.indexOf(NEWLINE, start);
          const end = newline < 0 ? frame.length : newline;
          if (lineStartsWith(frame, start, end, PUSH_PREFIX)) {
            if (lineHas(frame, start, end, PUBLICATION)) deliveries++;
          } else if (lineStartsWith(frame, start, end, REPLY_PREFIX)) {
            if (lineHas(frame, start, end, ERROR)) return { deliveries, refused: `Centrifugo refused: ${frame.toString('utf8', start, end)}` };
            if (lineHas(frame, start, end, SUBSCRIBE_RESULT) && --unanswered === 0) subscribed = true;
          } else if (end - start === PING.length && lineStartsWith(frame, start, end, PING)) {
            answer = PING;
          }
          start = end + 1;
        }
        if (deliveries === 1 && !answer && !subscribed) return ONE_DELIVERY;
        if (deliveries === 0 && !answer && !subscribed) return NOTHING;
        return { deliveries, ...(subscribed ? { subscribed } : {}), ...(answer ? { answer } : {}) };
      },
    };
  },
};

function lineStartsWith(frame: Buffer, start: number, end: number, prefix: string): boolean {
  return end - start >= prefix.length && frame.toString('latin1', start, start + prefix.length) === prefix;
}

function lineHas(frame: Buffer, start: number, end: number, text: string): boolean {
  const at = frame.indexOf(text, start, 'latin1');
  return at >= 0 && at + text.length <= end;
}
