import { randomBytes } from 'node:crypto';
import { freePort } from '../net/free-port.js';
import { TempDir } from '../proc/temp-dir.js';
import { findCentrifugo } from '../targets/centrifugo/centrifugo-binary.js';
import { roomChannel } from '../targets/centrifugo/centrifugo-config.js';
import { CentrifugoProcess } from '../targets/centrifugo/centrifugo-process.js';
import { connectionToken } from '../targets/centrifugo/connection-token.js';
import { idempotencyKey, type ChatPublicationData } from '../targets/centrifugo/publication-message.js';
import { swarmMembers, userId, type BenchRoom } from './bench-world.js';
import { measureFanout, type FanoutRun } from './fanout-measurement.js';
import type { Percentiles } from './percentiles.js';

export const CENTRIFUGO_MISSING = 'Centrifugo not installed: bash .ci/install-centrifugo';

/** Figure 3's peer: Centrifugo delivering the same messages to the same sockets, or why it was not measured. */
export interface CentrifugoFanout {
  /** As the node reported it, e.g. "6.9.1 OSS". */
  version: string;
  engine: 'memory';
  historySize: number;
  deliveriesPerSecond: number;
  latencyMs: Percentiles;
  /** One publication push as Centrifugo frames it for these messages. */
  frameBytes: number;
  error?: string;
}

export interface CentrifugoFanoutLoad {
  room: BenchRoom;
  messages: number;
  concurrency: number;
  textBytes: number;
}

/**
 * Centrifugo (memory engine) on a free loopback port, configured as the `centrifugo:memory` target configures it
 * (centrifugo-config.ts: recovery and positioning forced on the room namespace, so history is on), with the history
 * sized to this run's messages; ping and position checks at Centrifugo's own defaults (25 s, 40 s) rather than the
 * target's 1 s, which are there to notice faults a bench does not inject. The room's members connect with their own
 * JWTs and subscribe to `room:<id>`; the messages are the chat publications the target sends, published through the
 * server API with the same idempotency key, the same number in flight as the reference server gets.
 */
export async function centrifugoFanout(load: CentrifugoFanoutLoad): Promise<CentrifugoFanout> {
  const { room, messages } = load;
  const figure: CentrifugoFanout = {
    version: 'unknown',
    engine: 'memory',
    historySize: messages,
    deliveriesPerSecond: Number.NaN,
    latencyMs: { count: 0, p50: Number.NaN, p99: Number.NaN },
    frameBytes: pushBytes(roomChannel(room.id), publication(messages, 'x'.repeat(load.textBytes)), messages),
  };
  if (!findCentrifugo()) return { ...figure, error: CENTRIFUGO_MISSING };
  const dir = TempDir.create('ackproof-bench-centrifugo-');
  const hmacSecret = randomBytes(16).toString('hex');
  let node: CentrifugoProcess | undefined;
  try {
    node = await CentrifugoProcess.start(dir.path, {
      port: await freePort(),
      apiKey: randomBytes(12).toString('hex'),
      hmacSecret,
      engine: 'memory',
      historySize: messages,
      historyTtlSeconds: 600,
      pingIntervalMs: 25_000,
      positionCheckMs: 40_000,
    });
    figure.version = node.version;
    const api = node.api(30_000);
    const channel = roomChannel(room.id);
    const run: FanoutRun = await measureFanout({
      ...load,
      wsUrl: `ws://127.0.0.1:${node.config.port}/connection/websocket`,
      members: swarmMembers([room], room.size).map((member, i) => ({ ...member, token: connectionToken(userId(i), hmacSecret) })),
      protocol: 'centrifugo',
      send: async (i, text) => {
        const data = publication(i, text);
        const outcome = await api.publish(channel, data, idempotencyKey(data.senderId, data.clientMsgId));
        if (outcome.status !== 'ok') throw new Error(`publish ${data.clientMsgId}: ${outcome.error.message}`);
      },
    });
    return { ...figure, deliveriesPerSecond: Math.round(run.deliveriesPerSecond), latencyMs: run.latencyMs };
  } catch (error) {
    return { ...figure, error: String((error as Error)?.message ?? error).split('\n')[0] };
  } finally {
    await node?.stop();
    dir.remove();
  }
}

/** What the Centrifugo target publishes for a send: the chat message as u0 made it. */
function publication(i: number, text: string): ChatPublicationData {
  return { senderId: userId(0), clientMsgId: `fan-${i}`, text, createdAt: new Date().toISOString() };
}

function pushBytes(channel: string, data: ChatPublicationData, offset: number): number {
  return Buffer.byteLength(JSON.stringify({ push: { channel, pub: { data, offset } } }));
}
