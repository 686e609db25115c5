import type { SwarmMember } from './subscriber-swarm.js';

/** What one received frame meant to the swarm. */
export interface FrameReading {
  /** Messages delivered by this frame (a server may put several in one frame). */
  deliveries: number;
  /** The socket is now subscribed to every room it asked for. */
  subscribed?: boolean;
  /** The server refused the connection or a subscription. */
  refused?: string;
  /** A frame the protocol requires in answer (a pong). */
  answer?: string;
}

/** One socket's side of a server's client protocol: what it sends once open, and how it reads each frame. */
export interface SwarmSession {
  /** Sent as soon as the socket is open. */
  opening: string;
  read(frame: Buffer): FrameReading;
}

/**
 * How the swarm talks to one kind of server. Reading is on the hot path (tens of thousands of frames a second in
 * one process), so it looks at prefixes and never parses a delivery.
 */
export interface SwarmProtocol {
  /** The WebSocket upgrade's headers for this member (its credentials, where the protocol carries them there). */
  headers(member: SwarmMember): Record<string, string>;
  session(member: SwarmMember): SwarmSession;
}

const CREATED_PREFIX = '{"type":"message.created"';
const SUBSCRIBED_PREFIX = '{"type":"subscribed","';
const ERROR_PREFIX = '{"type":"error",';

const ONE_DELIVERY: FrameReading = Object.freeze({ deliveries: 1 });
const NOTHING: FrameReading = Object.freeze({ deliveries: 0 });
const SUBSCRIBED: FrameReading = Object.freeze({ deliveries: 0, subscribed: true });

const startsWith = (frame: Buffer, prefix: string) =>
  frame.length >= prefix.length && frame.toString('latin1', 0, prefix.length) === prefix;

/**
 * The reference server's wire contract (and the bare broadcast baseline's imitation of it): a bearer token on the
 * upgrade, `{type: 'subscribe', rooms}`, then one `message.created` event per frame.
 */
export const referenceProtocol: SwarmProtocol = {
  headers: (member) => ({ authorization: `Bearer ${member.token}` }),
  session: (member) => ({
    opening: JSON.stringify({ type: 'subscribe', rooms: member.rooms }),
    read(frame) {
      if (startsWith(frame, CREATED_PREFIX)) return ONE_DELIVERY;
      if (startsWith(frame, SUBSCRIBED_PREFIX)) return SUBSCRIBED;
      if (startsWith(frame, ERROR_PREFIX)) return { deliveries: 0, refused: `subscribe refused: ${frame.toString()}` };
      return NOTHING;
    },
  }),
};
