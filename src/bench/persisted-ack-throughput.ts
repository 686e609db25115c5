import { rawInsertLoop } from '../mongo/raw-insert-loop.js';
import type { BenchConfig } from './bench-config.js';
import { startBenchServer } from './bench-server.js';
import { benchWorld, tokenOf } from './bench-world.js';
import { HttpSender } from './http-sender.js';
import { timedLoop } from './load-loops.js';
import { ratio } from './percentiles.js';

export interface ThroughputRow {
  pattern: string;
  serverAcksPerSecond: number;
  rawInsertsPerSecond: number;
  server_vs_raw_ratio: number;
}

export interface ThroughputFigure {
  rows: ThroughputRow[];
  writeConcern: string;
  method: string;
}

/**
 * Figure 2: acknowledged sends per second through the server at a fixed concurrency, against bare driver
 * `insertOne`s at the same concurrency and write concern, measured right before each server run.
 */
export async function persistedAckThroughput(
  config: BenchConfig,
  mongoUri: string,
  patterns: string[],
  log: (line: string) => void,
): Promise<ThroughputFigure> {
  const { THROUGHPUT_CONCURRENCY: concurrency, THROUGHPUT_ROOMS: roomCount, THROUGHPUT_MS: durationMs } = config;
  const rooms = Array.from({ length: roomCount }, (_, i) => ({ id: `tp-${i}`, size: concurrency }));
  const rows: ThroughputRow[] = [];
  let writeConcern = 'unknown';
  for (const pattern of patterns) {
    // The baseline runs just before and just after the server, and their mean is used, so a drift of the shared
    // machine's load during the figure weighs on both sides alike.
    const rawRun = (when: string) =>
      rawInsertLoop({ uri: mongoUri, dbName: `bench_raw_${process.pid}_${pattern}_${when}`, concurrency, durationMs, textBytes: config.TEXT_BYTES });
    const rawBefore = await rawRun('before');
    const target = await startBenchServer(pattern, mongoUri, benchWorld(rooms));
    writeConcern = target.server.ready.writeConcern;
    const sender = new HttpSender(target.server.httpUrl, concurrency);
    try {
      const text = 'x'.repeat(config.TEXT_BYTES);
      const served = await timedLoop(durationMs, concurrency, (w, i) =>
        sender.sendMessage(`tp-${w % roomCount}`, tokenOf(w), `tp-${w}-${i}`, text),
      );
      const rawAfter = await rawRun('after');
      const raw = { perSecond: (rawBefore.perSecond + rawAfter.perSecond) / 2 };
      const row = {
        pattern,
        serverAcksPerSecond: Math.round(served.perSecond),
        rawInsertsPerSecond: Math.round(raw.perSecond),
        server_vs_raw_ratio: ratio(served.perSecond, raw.perSecond),
      };
      log(`figure 2: ${pattern}: server ${row.serverAcksPerSecond}/s, raw insertOne ${row.rawInsertsPerSecond}/s, ratio ${row.server_vs_raw_ratio}`);
      rows.push(row);
    } finally {
      sender.close();
      await target.server.stop();
    }
  }
  return {
    rows,
    writeConcern,
    method:
      `${concurrency} sends in flight for ${durationMs / 1000} s, spread round-robin over ${roomCount} rooms ` +
      `(sender i posts to room tp-(i mod ${roomCount})), ${config.TEXT_BYTES}-byte texts, no subscribers; baseline: ` +
      `${concurrency} concurrent driver insertOne loops of a message-shaped document with the same unique index and ` +
      `write concern, for the same time, just before and just after the server (their mean)`,
  };
}
