import { CommandCounter, commandsBetween, type CommandCounts } from '../mongo/command-counter.js';
import { openRawMessages } from '../mongo/raw-messages.js';
import type { BenchConfig } from './bench-config.js';
import { CpuMeter, type CpuUse, type Watched } from './cpu-meter.js';
import { BareInsertServer } from './bare-insert-server.js';
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
  /** Where the time went: CPU ms per acknowledged send (server run) and per insert (raw run, the one after). */
  cpu: { server: CpuPerWrite; raw: CpuPerWrite };
  /** Database round trips per write (server run, raw run after), by command (absent from older reports). */
  database?: { server: CommandsPerWrite; raw: CommandsPerWrite };
}

/** Data commands the database answered during the timed part, per acknowledged write; and writes per insert command. */
export interface CommandsPerWrite {
  commandsPerWrite: number;
  byCommand: Record<string, number>;
  writesPerInsert: number;
}

/** CPU milliseconds per write of each process measured, their sum, and how busy the whole machine was (0..1). */
export interface CpuPerWrite {
  msPerWrite: Record<string, number>;
  totalMsPerWrite: number;
  machineBusy: number;
}

export interface ThroughputFigure {
  rows: ThroughputRow[];
  /** The bare HTTP + insert baseline, measured like a pattern (absent from reports written before it existed). */
  bareHttp?: ThroughputRow;
  writeConcern: string;
  method: string;
}

/** Sends (and inserts) made before the timed part: connections, JIT, the rooms' first blocks of numbers. */
const WARMUP_MS = 1_000;

/** What answers figure 2's sends: a reference server child, or the bare HTTP + insert baseline. */
interface SendTarget {
  httpUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Figure 2: acknowledged sends per second through the server at a fixed concurrency, against bare driver
 * `insertOne`s at the same concurrency and write concern, measured right before and after each server run; and,
 * once, the same for a bare HTTP server that only inserts (BareInsertServer), the floor of any HTTP server here.
 */
export async function persistedAckThroughput(
  config: BenchConfig,
  mongoUri: string,
  databasePid: number | undefined,
  patterns: string[],
  log: (line: string) => void,
): Promise<ThroughputFigure> {
  const { THROUGHPUT_CONCURRENCY: concurrency, THROUGHPUT_ROOMS: roomCount, THROUGHPUT_MS: durationMs } = config;
  const rooms = Array.from({ length: roomCount }, (_, i) => ({ id: `tp-${i}`, size: concurrency }));
  const text = 'x'.repeat(config.TEXT_BYTES);

  /** `op` with `concurrency` in flight: a warm-up not counted, then `durationMs` timed with the CPU of `watched`. */
  const counter = await CommandCounter.open(mongoUri);
  const timed = async (watched: Record<string, Watched | undefined>, op: (round: string) => (w: number, i: number) => Promise<void>) => {
    await timedLoop(WARMUP_MS, concurrency, op('warm-'));
    const before = await counter.read();
    const meter = new CpuMeter(watched).start();
    const run = await timedLoop(durationMs, concurrency, op(''));
    const cpu = meter.stop();
    return { ...run, cpu, commands: commandsBetween(before, await counter.read()) };
  };

  const measure = async (label: string, start: () => Promise<SendTarget>): Promise<ThroughputRow> => {
    // The baseline runs just before and just after the server, and their mean is used, so a drift of the shared
    // machine's load during the figure weighs on both sides alike.
    const rawRun = async (when: string) => {
      const dbName = `bench_raw_${process.pid}_${label.replace(/[^a-zA-Z0-9]+/g, '_')}_${when}`;
      const messages = await openRawMessages({ uri: mongoUri, dbName, maxPoolSize: concurrency });
      try {
        return await timed({ client: 'self', database: databasePid }, (round) => (w, i) =>
          messages.insert({ roomId: `raw-${w % roomCount}`, senderId: `w${w}`, clientMsgId: `${round}${w}-${i}`, text, seq: i }),
        );
      } finally {
        await messages.close();
      }
    };
    const rawBefore = await rawRun('before');
    const target = await start();
    const sender = new HttpSender(target.httpUrl, concurrency);
    let served: Awaited<ReturnType<typeof timed>>;
    try {
      served = await timed({ server: target.pid, 'load generator': 'self', database: databasePid }, (round) => (w, i) =>
        sender.sendMessage(`tp-${w % roomCount}`, tokenOf(w), `tp-${round}${w}-${i}`, text),
      );
    } finally {
      sender.close();
      await target.stop();
    }
    const rawAfter = await rawRun('after');
    const raw = { perSecond: (rawBefore.perSecond + rawAfter.perSecond) / 2 };
    const row = {
      pattern: label,
      serverAcksPerSecond: Math.round(served.perSecond),
      rawInsertsPerSecond: Math.round(raw.perSecond),
      server_vs_raw_ratio: ratio(served.perSecond, raw.perSecond),
      cpu: { server: perWrite(served.cpu, served.completed), raw: perWrite(rawAfter.cpu, rawAfter.completed) },
      database: { server: commandsPerWrite(served.commands, served.completed), raw: commandsPerWrite(rawAfter.commands, rawAfter.completed) },
    };
    log(
      `figure 2: ${label}: server ${row.serverAcksPerSecond}/s, raw insertOne ${row.rawInsertsPerSecond}/s, ratio ${row.server_vs_raw_ratio}; ` +
        `CPU ms per write ${row.cpu.server.totalMsPerWrite} vs ${row.cpu.raw.totalMsPerWrite}, ` +
        `database commands per write ${row.database.server.commandsPerWrite} vs ${row.database.raw.commandsPerWrite}, machine busy ${Math.round(row.cpu.server.machineBusy * 100)}%`,
    );
    return row;
  };

  try {
    const bareHttp = await measure(BARE_HTTP, async () => {
      const bare = await BareInsertServer.start(mongoUri, `bench_bare_${process.pid}`);
      return { httpUrl: bare.httpUrl, pid: bare.pid, stop: async () => bare.stop() };
    });
    const rows: ThroughputRow[] = [];
    let writeConcern = 'unknown';
    for (const pattern of patterns) {
      rows.push(
        await measure(pattern, async () => {
          const { server } = await startBenchServer(pattern, mongoUri, benchWorld(rooms));
          writeConcern = server.ready.writeConcern;
          return { httpUrl: server.httpUrl, pid: server.pid, stop: async () => void (await server.stop()) };
        }),
      );
    }
    return {
      rows,
      bareHttp,
      writeConcern,
      method:
        `${concurrency} sends in flight for ${durationMs / 1000} s (after ${WARMUP_MS / 1000} s not counted), spread ` +
        `round-robin over ${roomCount} rooms (sender i posts to room tp-(i mod ${roomCount})), ${config.TEXT_BYTES}-byte ` +
        `texts, no subscribers; baseline: ${concurrency} concurrent driver insertOne loops of a message-shaped document ` +
        `with the store's idempotency index and the same write concern, warmed up and timed the same way, just before ` +
        `and just after the server (their mean). Also measured the same way: "${BARE_HTTP}", a node:http server in its ` +
        `own process that parses each send and makes one insertOne of the same document (no framework, auth, ` +
        `validation, numbering or event), the floor of any HTTP server on this machine. CPU per write: utime+stime ` +
        `from /proc of each process over the timed part (the server run's load generator and the raw run's client are ` +
        `this bench process), and the whole machine's busy share. Database round trips per write: the data commands ` +
        `(insert, find, update, ...) the database server counted in serverStatus over the timed part, divided by the ` +
        `acknowledged writes`,
    };
  } finally {
    await counter.close();
  }
}

/** The label of the bare HTTP + insert baseline's row. */
export const BARE_HTTP = 'bare http + insertOne';

function perWrite(use: CpuUse, writes: number): CpuPerWrite {
  const msPerWrite: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(use.cpuSeconds)) msPerWrite[name] = round3((seconds * 1000) / Math.max(1, writes));
  const total = Object.values(msPerWrite).reduce((a, b) => a + b, 0);
  return { msPerWrite, totalMsPerWrite: round3(total), machineBusy: round3(use.machineBusy) };
}

function commandsPerWrite(commands: CommandCounts, writes: number): CommandsPerWrite {
  const per = (n: number) => round3(n / Math.max(1, writes));
  const byCommand = Object.fromEntries(Object.entries(commands).map(([name, n]) => [name, per(n)]));
  const total = Object.values(commands).reduce((a, b) => a + b, 0);
  return { commandsPerWrite: per(total), byCommand, writesPerInsert: round3(writes / Math.max(1, commands.insert ?? 0)) };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
