import { randomUUID } from 'node:crypto';
import type { BenchConfig } from './bench-config.js';
import { startBenchServer } from './bench-server.js';
import { benchWorld, swarmMembers, tokenOf } from './bench-world.js';
import { centrifugoFanout, type CentrifugoFanout } from './centrifugo-fanout.js';
import { LATENCY_SAMPLE_EVERY, measureFanout, type FanoutRun } from './fanout-measurement.js';
import { HttpSender } from './http-sender.js';
import { ratio, type Percentiles } from './percentiles.js';
import { RawBroadcastServer } from './raw-broadcast-server.js';

export interface FanoutRow {
  pattern: string;
  serverDeliveriesPerSecond: number;
  latencyMs: Percentiles;
  rawDeliveriesPerSecond: number;
  fanout_vs_raw_ratio: number;
  /** This pattern's deliveries/s over Centrifugo's in the same run; NaN when Centrifugo was not measured. */
  reference_vs_centrifugo_ratio: number;
  /** Why the pattern has no rate (e.g. not every delivery arrived), the other rows being measured all the same. */
  error?: string;
}

export interface FanoutFigure {
  rows: FanoutRow[];
  frameBytes: number;
  /** The bare ws broadcast baseline. */
  raw: FanoutRun;
  /** The peer: Centrifugo delivering the same messages to the same sockets. */
  centrifugo: CentrifugoFanout;
  method: string;
}

/**
 * Figure 3: deliveries per second to N subscribers through the server, against a bare ws broadcast loop and,
 * side by side, against Centrifugo delivering the same messages to the same number of sockets.
 */
export async function fanout(config: BenchConfig, mongoUri: string, patterns: string[], log: (line: string) => void): Promise<FanoutFigure> {
  const { FANOUT_SUBSCRIBERS: subscribers, FANOUT_MESSAGES: messages, FANOUT_CONCURRENCY: concurrency, TEXT_BYTES: textBytes } = config;
  const room = { id: 'fanout', size: subscribers };
  const load = { members: swarmMembers([room], subscribers), messages, concurrency, textBytes };
  const frameBytes = Buffer.byteLength(eventFrameLike('x'.repeat(textBytes)));

  const rawServer = await RawBroadcastServer.start();
  let raw: FanoutRun;
  const rawSender = new HttpSender(rawServer.httpUrl, concurrency);
  try {
    raw = await measureFanout({ ...load, wsUrl: rawServer.wsUrl, send: (_i, text) => rawSender.post('/broadcast', undefined, eventFrameLike(text)).then(() => undefined) });
  } finally {
    rawSender.close();
    rawServer.stop();
  }
  raw.deliveriesPerSecond = Math.round(raw.deliveriesPerSecond);
  log(`figure 3: bare ws broadcast: ${raw.deliveriesPerSecond} deliveries/s, p50 ${raw.latencyMs.p50} ms, p99 ${raw.latencyMs.p99} ms`);

  const centrifugo = await centrifugoFanout({ room, messages, concurrency, textBytes });
  log(
    centrifugo.error
      ? `figure 3: Centrifugo: not measured (${centrifugo.error})`
      : `figure 3: Centrifugo ${centrifugo.version}: ${centrifugo.deliveriesPerSecond} deliveries/s, p50 ${centrifugo.latencyMs.p50} ms, p99 ${centrifugo.latencyMs.p99} ms`,
  );

  const rows: FanoutRow[] = [];
  for (const pattern of patterns) {
    const target = await startBenchServer(pattern, mongoUri, benchWorld([room]));
    const sender = new HttpSender(target.server.httpUrl, concurrency);
    try {
      const run = await measureFanout({ ...load, wsUrl: target.server.wsUrl, send: (i, text) => sender.sendMessage(room.id, tokenOf(0), `fan-${i}`, text) }).catch(
        (error: unknown) => {
          // A pattern that lost deliveries has no rate; say why (decoupled's bounded bus logs each rejection).
          const rejected = target.server.stderrTail().filter((line) => line.includes('rejected delivery'));
          const why = `${String((error as Error)?.message ?? error).split('\n')[0]}${rejected.length > 0 ? `; server log: ${rejected.at(-1)}` : ''}`;
          log(`figure 3: ${pattern}: not measured: ${why}`);
          rows.push({ ...unmeasured(pattern, raw.deliveriesPerSecond), error: why });
          return undefined;
        },
      );
      if (!run) continue;
      const row: FanoutRow = {
        pattern,
        serverDeliveriesPerSecond: Math.round(run.deliveriesPerSecond),
        latencyMs: run.latencyMs,
        rawDeliveriesPerSecond: raw.deliveriesPerSecond,
        fanout_vs_raw_ratio: ratio(run.deliveriesPerSecond, raw.deliveriesPerSecond),
        reference_vs_centrifugo_ratio: ratio(run.deliveriesPerSecond, centrifugo.deliveriesPerSecond),
      };
      log(
        `figure 3: ${pattern}: ${row.serverDeliveriesPerSecond} deliveries/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, ` +
          `ratio to raw ${row.fanout_vs_raw_ratio}, to Centrifugo ${row.reference_vs_centrifugo_ratio}`,
      );
      rows.push(row);
    } finally {
      sender.close();
      await target.server.stop();
    }
  }
  return {
    rows,
    frameBytes,
    raw,
    centrifugo,
    method:
      `${messages} messages (${concurrency} sends in flight) to a room of ${subscribers} members, one subscribed socket ` +
      `each, in a separate process; rate = deliveries / (first send to last delivery). Delivery latency: each text ` +
      `carries its send's start time; every ${LATENCY_SAMPLE_EVERY}th socket takes (arrival − send start) for each ` +
      `delivery, p50/p99 over all of them. Baseline: a bare ws server in its own process that sends each POSTed ` +
      `${frameBytes}-byte frame (a message.created event of the same text) to every socket, driven the same way. ` +
      `Peer: Centrifugo (memory engine, history of ${messages} per channel with recovery and positioning forced, as ` +
      `the centrifugo:memory target runs it), the same ${subscribers} sockets in the same kind of swarm speaking its ` +
      `JSON protocol (connect with a JWT, subscribe to room:fanout), the same messages published through its server ` +
      `API with an idempotency key, ${concurrency} in flight (${centrifugo.frameBytes}-byte push frames)`,
  };
}

function unmeasured(pattern: string, rawDeliveriesPerSecond: number): FanoutRow {
  return {
    pattern,
    serverDeliveriesPerSecond: Number.NaN,
    latencyMs: { count: 0, p50: Number.NaN, p99: Number.NaN },
    rawDeliveriesPerSecond,
    fanout_vs_raw_ratio: Number.NaN,
    reference_vs_centrifugo_ratio: Number.NaN,
  };
}

/** A frame shaped like the server's message.created event for the same text, for the bare baseline. */
function eventFrameLike(text: string): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    type: 'message.created',
    message: { id: randomUUID(), roomId: 'fanout', senderId: 'u0', clientMsgId: 'fan-000', text, seq: 100, version: 100, createdAt: now, editedAt: null, deletedAt: null },
  });
}
