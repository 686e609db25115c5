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

const PATTERN = 'decoupled';
const MiB = 2 ** 20;

/**
 * Figure 5: the server's peak RSS (VmHWM) while messages flow to N sockets, one of which stopped reading, against
 * a fresh server with the same N sockets all reading.
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
      `${config.MEMORY_MESSAGES} messages of ${config.MEMORY_TEXT_BYTES} characters (8 sends in flight) to a room of ` +
      `${config.MEMORY_SOCKETS} subscribed sockets on ${PATTERN}; in one run socket #1 is paused (reads nothing) from ` +
      `the start; peak = VmHWM of the server process after every reading socket got every message; each run on a fresh server`,
  };
}

async function measure(config: BenchConfig, mongoUri: string, stallOne: boolean): Promise<MemoryRun> {
  const rooms = [{ id: 'mem', size: config.MEMORY_SOCKETS }];
  const target = await startBenchServer(PATTERN, mongoUri, benchWorld(rooms));
  const sender = new HttpSender(target.server.httpUrl, 8);
  let swarm: SwarmProcess | undefined;
  try {
    swarm = await SwarmProcess.open(target.server.wsUrl, swarmMembers(rooms, config.MEMORY_SOCKETS));
    const idleRssMiB = round((await peakRssBytes(target.server.pid)) / MiB);
    if (stallOne) await swarm.pause(1);
    const text = 'm'.repeat(config.MEMORY_TEXT_BYTES);
    await closedLoop(config.MEMORY_MESSAGES, 8, (i) => sender.sendMessage('mem', tokenOf(0), `mem-${i}`, text));
    const readers = config.MEMORY_SOCKETS - (stallOne ? 1 : 0);
    await swarm.waitForDeliveries(readers * config.MEMORY_MESSAGES, 180_000);
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
