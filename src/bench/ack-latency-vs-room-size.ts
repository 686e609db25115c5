import type { BenchConfig } from './bench-config.js';
import { startBenchServer } from './bench-server.js';
import { benchWorld, swarmMembers, tokenOf, type BenchRoom } from './bench-world.js';
import { HttpSender } from './http-sender.js';
import { openLoop } from './load-loops.js';
import { percentiles, ratio, type Percentiles } from './percentiles.js';
import { SwarmProcess } from './swarm-process.js';

export interface AckLatencyRow {
  pattern: string;
  members: number;
  latencyMs: Percentiles;
  p50Ratio: number;
  p99Ratio: number;
}

export interface AckLatencyFigure {
  rows: AckLatencyRow[];
  /** Patterns the server did not offer, with why. */
  skipped: { pattern: string; reason: string }[];
  method: string;
}

const WARMUP = 20;

/** Figure 1: p50/p99 of acknowledged sends per pattern and room size, as ratios to the 1-member room. */
export async function ackLatencyVsRoomSize(config: BenchConfig, mongoUri: string, log: (line: string) => void): Promise<AckLatencyFigure> {
  const rooms: BenchRoom[] = config.ACK_ROOM_SIZES.map((size) => ({ id: `room-${size}`, size }));
  const rows: AckLatencyRow[] = [];
  const skipped: AckLatencyFigure['skipped'] = [];
  for (const pattern of config.PATTERNS) {
    let target;
    try {
      target = await startBenchServer(pattern, mongoUri, benchWorld(rooms));
    } catch (error) {
      const reason = String((error as Error).message).split('\n').find((l) => /pattern|invalid|error/i.test(l)) ?? 'did not start';
      log(`figure 1: pattern ${pattern} skipped: ${reason}`);
      skipped.push({ pattern, reason });
      continue;
    }
    const sender = new HttpSender(target.server.httpUrl);
    const swarm = await SwarmProcess.open(target.server.wsUrl, swarmMembers(rooms, Math.max(...config.ACK_ROOM_SIZES)));
    try {
      let expected = await swarm.deliveries();
      const perPattern: AckLatencyRow[] = [];
      for (const room of rooms) {
        const send = (tag: string) => (i: number) => sender.sendMessage(room.id, tokenOf(0), `${tag}-${i}`, 'x'.repeat(config.TEXT_BYTES));
        await openLoop(WARMUP, config.ACK_RATE, send('warm'));
        const latencies = await openLoop(config.ACK_SENDS, config.ACK_RATE, send('timed'));
        // Every broadcast of this room size lands before the next size starts, so sizes do not overlap.
        expected += (WARMUP + config.ACK_SENDS) * room.size;
        await swarm.waitForDeliveries(expected, 120_000);
        const latencyMs = percentiles(latencies);
        perPattern.push({ pattern, members: room.size, latencyMs, p50Ratio: Number.NaN, p99Ratio: Number.NaN });
        log(`figure 1: ${pattern} ${room.size} members: p50 ${latencyMs.p50.toFixed(2)} ms, p99 ${latencyMs.p99.toFixed(2)} ms`);
      }
      const base = perPattern[0]!.latencyMs;
      for (const row of perPattern) {
        row.p50Ratio = ratio(row.latencyMs.p50, base.p50);
        row.p99Ratio = ratio(row.latencyMs.p99, base.p99);
      }
      rows.push(...perPattern);
    } finally {
      swarm.close();
      sender.close();
      await target.server.stop();
    }
  }
  return {
    rows,
    skipped,
    method:
      `sender u0 posts ${config.ACK_SENDS} timed sends (after ${WARMUP} warm-up) of ${config.TEXT_BYTES}-byte texts at ` +
      `${config.ACK_RATE}/s (open loop) into a room whose every member has one subscribed socket (in a separate ` +
      `process); latency = request start to 2xx; ratio = the same pattern's figure over its ${config.ACK_ROOM_SIZES[0]}-member room`,
  };
}
