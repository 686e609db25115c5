import type { BenchConfig } from './bench-config.js';
import { peakRssBytes, startBenchServer } from './bench-server.js';
import { benchWorld, swarmMembers, tokenOf } from './bench-world.js';
import { HttpSender } from './http-sender.js';
import { closedLoop } from './load-loops.js';
import { ratio } from './percentiles.js';
import { SwarmProcess } from './swarm-process.js';

export interface MemoryRun {
  peakRssMiB: number;
  idleRssMiB: number;
  slowConsumersClosed: number;
}

export interface MemoryFigure {
  pattern: string;
  allReading: MemoryRun;
  oneStalled: MemoryRun;
  stalled_vs_reading_ratio: number;
  method: string;
}

// outbox: every message reaches every reading socket (at least once), so "all delivered" is a condition that ends. decoupled's
// bounded bus may drop broadcasts under this burst (its documented trap), and then the count never completes.
const PATTERN = 'outbox';
const MiB = 2 ** 20;
/** 4,000 three-byte characters: the largest text the server takes, about 12 KB a frame. */
const HEAVY_TEXT = '€'.repeat(4000);
/** The large messages go round-robin to these rooms (members u0 and u1), so the store writes several at once. */
const HEAVY_ROOMS = ['heavy-0', 'heavy-1', 'heavy-2', 'heavy-3'];

/**
 * Figure 5: the server's peak RSS (VmHWM) while messages flow to N sockets, one of which stopped reading, against
 * a fresh server with the same N sockets all reading. Small messages go to a room of all N; large ones go to a
 * room of the sender and the stalled consumer, enough to fill the kernel's buffers and then the server's bound.
 */
export async function memoryUnderSlowConsumer(config: BenchConfig, mongoUri: string, log: (line: string) => void): Promise<MemoryFigure> {
  const allReading = await measure(config, mongoUri, false);
  log(`figure 5: all reading: peak ${allReading.peakRssMiB} MiB`);
  const oneStalled = await measure(config, mongoUri, true);
  log(`figure 5: one stalled: peak ${oneStalled.peakRssMiB} MiB, slow consumers closed ${oneStalled.slowConsumersClosed}`);
  return {
    pattern: PATTERN,
    allReading,
    oneStalled,
    stalled_vs_reading_ratio: ratio(oneStalled.peakRssMiB, allReading.peakRssMiB),
    method:
      `${PATTERN}; ${config.MEMORY_SOCKETS} subscribed sockets; ${config.MEMORY_MESSAGES} ${config.TEXT_BYTES}-byte messages ` +
      `to the room of all of them and, at the same time, ${config.MEMORY_HEAVY_MESSAGES} messages of 4,000 three-byte ` +
      `characters (~12 KB frames) round-robin to 4 rooms of the sender and member u1 (8 sends in flight each); in one run u1's socket ` +
      `is paused (reads nothing) from the start; peak = VmHWM of the server process once every reading socket got ` +
      `every message; each run on a fresh server`,
  };
}

async function measure(config: BenchConfig, mongoUri: string, stallOne: boolean): Promise<MemoryRun> {
  const rooms = [
    { id: 'mem', size: config.MEMORY_SOCKETS },
    ...HEAVY_ROOMS.map((id) => ({ id, size: 2 })),
  ];
  const target = await startBenchServer(PATTERN, mongoUri, benchWorld(rooms));
  const sender = new HttpSender(target.server.httpUrl, 16);
  let swarm: SwarmProcess | undefined;
  try {
    swarm = await SwarmProcess.open(target.server.wsUrl, swarmMembers(rooms, config.MEMORY_SOCKETS));
    const idleRssMiB = round((await peakRssBytes(target.server.pid)) / MiB);
    if (stallOne) await swarm.pause(1);
    const small = 'm'.repeat(config.TEXT_BYTES);
    await Promise.all([
      closedLoop(config.MEMORY_MESSAGES, 8, (i) => sender.sendMessage('mem', tokenOf(0), `mem-${i}`, small)),
      closedLoop(config.MEMORY_HEAVY_MESSAGES, 8, (i) =>
        sender.sendMessage(HEAVY_ROOMS[i % HEAVY_ROOMS.length]!, tokenOf(0), `heavy-${i}`, HEAVY_TEXT),
      ),
    ]);
    const readers = config.MEMORY_SOCKETS - (stallOne ? 1 : 0);
    await swarm.waitForDeliveries(readers * config.MEMORY_MESSAGES + (stallOne ? 1 : 2) * config.MEMORY_HEAVY_MESSAGES, 180_000);
    const peakRssMiB = round((await peakRssBytes(target.server.pid)) / MiB);
    const health = JSON.parse((await sender.get('/healthz')).body) as { ws?: { slowConsumersClosed?: number } };
    return { peakRssMiB, idleRssMiB, slowConsumersClosed: health.ws?.slowConsumersClosed ?? Number.NaN };
  } finally {
    swarm?.close();
    sender.close();
    await target.server.stop();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
