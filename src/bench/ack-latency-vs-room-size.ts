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
  /** The p99 ratio of each round on its own (its sends over the same round's smallest room): the figure's spread. */
  p99RatioRounds?: number[];
}

export interface AckLatencyFigure {
  rows: AckLatencyRow[];
  /** Patterns the server did not offer, with why. */
  skipped: { pattern: string; reason: string }[];
  method: string;
}

const WARMUP = 20;

/**
 * Figure 1: p50/p99 of acknowledged sends per pattern and room size, as ratios to the smallest room. Each room
 * size gets a fresh server and database, so every size starts from the same (empty) collection: on a database
 * whose queries get slower as the collection grows, a shared one would make later sizes look slower.
 */
export async function ackLatencyVsRoomSize(config: BenchConfig, mongoUri: string, log: (line: string) => void): Promise<AckLatencyFigure> {
  const rows: AckLatencyRow[] = [];
  const skipped: AckLatencyFigure['skipped'] = [];
  for (const pattern of config.PATTERNS) {
    // Rounds interleave the sizes, so a drift of the shared machine's load weighs on every size alike.
    const samples = config.ACK_ROOM_SIZES.map(() => [] as number[]);
    const roundRatios = config.ACK_ROOM_SIZES.map(() => [] as number[]);
    try {
      for (let round = 1; round <= config.ACK_ROUNDS; round++) {
        const perRound: Percentiles[] = [];
        for (const [i, size] of config.ACK_ROOM_SIZES.entries()) {
          const latencies = await timeSends(config, mongoUri, pattern, { id: `room-${size}`, size });
          samples[i]!.push(...latencies);
          const p = percentiles(latencies);
          perRound.push(p);
          roundRatios[i]!.push(ratio(p.p99, perRound[0]!.p99));
          log(`figure 1: ${pattern} ${size} members, round ${round}: p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms`);
        }
      }
    } catch (error) {
      if (!(error instanceof ServerDidNotStart)) throw error;
      log(`figure 1: pattern ${pattern} skipped: ${error.message}`);
      skipped.push({ pattern, reason: error.message });
      continue;
    }
    const pooled = samples.map((sample) => percentiles(sample));
    const base = pooled[0]!;
    rows.push(
      ...config.ACK_ROOM_SIZES.map((members, i) => ({
        pattern,
        members,
        latencyMs: pooled[i]!,
        p50Ratio: ratio(pooled[i]!.p50, base.p50),
        p99Ratio: ratio(pooled[i]!.p99, base.p99),
        p99RatioRounds: roundRatios[i]!,
      })),
    );
  }
  return {
    rows,
    skipped,
    method:
      `${config.ACK_ROUNDS} rounds, each measuring every room size once; per round and size, sender u0 posts ${config.ACK_SENDS} timed sends (after ${WARMUP} warm-up) of ${config.TEXT_BYTES}-byte texts at ` +
      `${config.ACK_RATE}/s (open loop) into a room whose every member has one subscribed socket (held by a separate ` +
      `process); each room size on a fresh server and database; latency = request start to 2xx; ratio = the same ` +
      `pattern's figure over its ${config.ACK_ROOM_SIZES[0]}-member room, on the rounds' samples pooled (so a p99 rests on ` +
      `${config.ACK_ROUNDS * config.ACK_SENDS} sends); the spread is each round's own p99 ratio`,
  };
}

class ServerDidNotStart extends Error {}

async function timeSends(config: BenchConfig, mongoUri: string, pattern: string, room: BenchRoom): Promise<number[]> {
  let target;
  try {
    target = await startBenchServer(pattern, mongoUri, benchWorld([room]));
  } catch (error) {
    const lines = String((error as Error).message).split('\n');
    throw new ServerDidNotStart(lines.find((l) => /pattern|invalid|error/i.test(l)) ?? lines[0] ?? 'did not start');
  }
  const sender = new HttpSender(target.server.httpUrl);
  let swarm: SwarmProcess | undefined;
  try {
    swarm = await SwarmProcess.open(target.server.wsUrl, swarmMembers([room], room.size)).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; server log: ${target.server.stderrTail().slice(-5).join(' | ')}`);
    });
    const send = (tag: string) => (i: number) => sender.sendMessage(room.id, tokenOf(0), `${tag}-${i}`, 'x'.repeat(config.TEXT_BYTES));
    await openLoop(WARMUP, config.ACK_RATE, send('warm'));
    const latencies = await openLoop(config.ACK_SENDS, config.ACK_RATE, send('timed'));
    // Every broadcast has landed before the server stops, so none is cut short.
    await swarm.waitForDeliveries((WARMUP + config.ACK_SENDS) * room.size, 120_000);
    return latencies;
  } finally {
    swarm?.close();
    sender.close();
    await target.server.stop();
  }
}
