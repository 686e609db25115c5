import type { TargetCapabilities, TargetFactory } from '../../harness/sut/target.js';
import { SocketioTarget, type SocketioTargetOptions } from './socketio-target.js';

/**
 * How long a dropped client's session is kept for connection-state recovery (Socket.IO's default is 2 minutes).
 * 5 s: a reset link or a crash-free blip reconnects well within it (recovery is exercised), while a blackholed link,
 * which Socket.IO notices only after its ping timeout (2 s here) and which then stays down for its fault window,
 * often outlasts it (the failed recovery and the catch-up from the store are exercised too).
 */
export const SOCKETIO_MAX_DISCONNECTION_MS = 5_000;

/**
 * What Socket.IO itself does not promise, with the reason. The app under test adds a durable store and a history
 * read, so the invariants I1–I8 are promised by the app and judged in full; these two describe Socket.IO's own
 * layer (live delivery and `recovered`), which the measures and the recovery records show.
 */
export const SOCKETIO_NOT_PROMISED = {
  liveDelivery:
    'Socket.IO delivers events at most once by default: a broadcast to a socket whose link is down is lost unless connection-state recovery restores it.',
  recovery:
    'Socket.IO documents that connection-state recovery "will not always be successful" (an expired session, a restarted node, a client that received no event yet): then `recovered` is false and the app must catch up itself.',
} as const;

function capabilities(broker: boolean): TargetCapabilities {
  return {
    edit: false,
    delete: false,
    crash: true,
    faultPoints: [],
    dbKill: false,
    links: { client: true, frames: true, database: true, broker },
    // A broadcast is an EVENT packet of the default namespace: `42["message",{…}]`.
    broadcastFrame: { contains: '["message",' },
    notPromised: {},
  };
}

function socketioTarget(id: string, description: string, options: SocketioTargetOptions): TargetFactory {
  return {
    id,
    description,
    capabilities: capabilities(options.adapter === 'redis-streams'),
    // A scenario's recoveryWindow.ms shortens the session kept for a disconnected socket, to cross it on purpose.
    start: (env) => {
      const ms = env.scenario.recoveryWindow?.ms;
      return SocketioTarget.start(ms === undefined ? options : { ...options, maxDisconnectionDurationMs: ms }, env);
    },
  };
}

export const socketioTargets: TargetFactory[] = [
  socketioTarget(
    'socketio:memory',
    `a chat app on Socket.IO 4.8, one node, in-memory adapter, connection-state recovery (${SOCKETIO_MAX_DISCONNECTION_MS} ms), MongoDB store`,
    { adapter: 'memory', nodes: 1, maxDisconnectionDurationMs: SOCKETIO_MAX_DISCONNECTION_MS },
  ),
  socketioTarget(
    'socketio:redis-streams',
    `a chat app on Socket.IO 4.8, two nodes, Redis Streams adapter, connection-state recovery (${SOCKETIO_MAX_DISCONNECTION_MS} ms), MongoDB store`,
    { adapter: 'redis-streams', nodes: 2, maxDisconnectionDurationMs: SOCKETIO_MAX_DISCONNECTION_MS },
  ),
];
