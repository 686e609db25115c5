import { openRawMessages } from '../mongo/raw-messages.js';
import type { BenchConfig } from './bench-config.js';
import { startBenchServer } from './bench-server.js';
import { benchWorld, swarmMembers, tokenOf } from './bench-world.js';
import { HttpSender } from './http-sender.js';
import { openLoop, timedLoop } from './load-loops.js';
import { percentiles, ratio } from './percentiles.js';
import { SwarmProcess } from './swarm-process.js';

/** One offered rate held for a step: what was acknowledged, what was shed, and how long the acknowledged took. */
export interface HeldStep {
  offeredPerSecond: number;
  ackedPerSecond: number;
  shedShare: number;
  /** Other answers (5xx but OVERLOADED, transport errors), as a share of the offered. */
  errorShare: number;
  ackP50Ms: number;
  ackP99Ms: number;
}

export interface HeldRun {
  shedding: boolean;
  steps: HeldStep[];
  /** The highest acknowledged rate of a step whose acknowledged p99 stayed under the bound (0 if none did). */
  heldPerSecond: number;
}

export interface HeldSendRateFigure {
  runs: HeldRun[];
  rawInsertsPerSecond: number;
  /** Held rate with shedding over the raw insert rate of the same run. */
  held_vs_raw_ratio: number;
  p99BoundMs: number;
  method: string;
}

const ROOM = 'held';
/** The server flags that turn every shedding bound off (the run without shedding). */
const NO_SHEDDING = ['--max-in-flight', '0', '--max-in-flight-per-room', '0', '--max-event-loop-delay-ms', '0'];

/**
 * Figure 6: decoupled under an open-loop send rate stepped up past what it can serve, into one room with
 * HELD_SUBSCRIBERS subscribed sockets, once without load shedding and once with the server's default bounds. A
 * step "holds" when its acknowledged sends' p99 stays under HELD_P99_MS; the held rate is the best acknowledged rate
 * of such a step. The baseline is the raw insert rate (32 concurrent driver insertOnes) measured in the same run.
 */
export async function heldSendRate(config: BenchConfig, mongoUri: string, log: (line: string) => void): Promise<HeldSendRateFigure> {
  const text = 'x'.repeat(config.TEXT_BYTES);
  const rawInsertsPerSecond = await rawInsertRate(mongoUri, text, config.THROUGHPUT_MS);
  log(`figure 6: raw insertOne ${Math.round(rawInsertsPerSecond)}/s`);
  const runs: HeldRun[] = [];
  for (const shedding of [false, true]) {
    const rooms = [{ id: ROOM, size: Math.max(1, config.HELD_SUBSCRIBERS) }];
    const { server } = await startBenchServer('decoupled', mongoUri, benchWorld(rooms), shedding ? [] : NO_SHEDDING);
    const swarm = config.HELD_SUBSCRIBERS > 0 ? await SwarmProcess.open(server.wsUrl, swarmMembers(rooms, config.HELD_SUBSCRIBERS)) : undefined;
    // As many sockets as requests may be outstanding: the server, not the client's pool, must see the offered load.
    const sender = new HttpSender(server.httpUrl, 4_096);
    const steps: HeldStep[] = [];
    try {
      for (const rate of config.HELD_RATES) {
        const step = await runStep(sender, rate, config.HELD_STEP_MS, `${shedding ? 's' : 'n'}${rate}`, text);
        steps.push(step);
        log(
          `figure 6: shedding ${shedding ? 'on' : 'off'}, offered ${rate}/s: acked ${Math.round(step.ackedPerSecond)}/s, ` +
            `shed ${Math.round(step.shedShare * 100)}%, errors ${Math.round(step.errorShare * 100)}%, p99 ${Math.round(step.ackP99Ms)} ms`,
        );
      }
    } finally {
      sender.close();
      swarm?.close();
      await server.stop();
    }
    const holding = steps.filter((s) => s.ackP99Ms <= config.HELD_P99_MS);
    runs.push({ shedding, steps, heldPerSecond: Math.round(Math.max(0, ...holding.map((s) => s.ackedPerSecond))) });
  }
  const withShedding = runs.find((r) => r.shedding)?.heldPerSecond ?? 0;
  return {
    runs,
    rawInsertsPerSecond: Math.round(rawInsertsPerSecond),
    held_vs_raw_ratio: ratio(withShedding, rawInsertsPerSecond),
    p99BoundMs: config.HELD_P99_MS,
    method:
      `decoupled, one room with ${config.HELD_SUBSCRIBERS} subscribed sockets (a separate process); sender u0 posts ` +
      `${config.TEXT_BYTES}-byte texts open-loop at ${config.HELD_RATES.join(', ')}/s, ${config.HELD_STEP_MS / 1000} s ` +
      `each, every request on its own connection slot (no client-side queue); once with every shedding bound off, once ` +
      `with serve's defaults. A step holds when its acknowledged sends' p99 <= ${config.HELD_P99_MS} ms; the held rate ` +
      `is the best acknowledged rate of a holding step. Baseline: 32 concurrent driver insertOne loops ` +
      `(${config.THROUGHPUT_MS / 1000} s), the same run`,
  };
}

async function runStep(sender: HttpSender, rate: number, stepMs: number, prefix: string, text: string): Promise<HeldStep> {
  const count = Math.max(1, Math.round((rate * stepMs) / 1000));
  const statuses: number[] = new Array<number>(count).fill(0);
  const started = performance.now();
  const latencies = await openLoop(count, rate, async (i) => {
    try {
      const reply = await sender.post(`/rooms/${ROOM}/messages`, tokenOf(0), { clientMsgId: `${prefix}-${i}`, text });
      statuses[i] = reply.status === 503 && reply.body.includes('"OVERLOADED"') ? -503 : reply.status;
    } catch {
      statuses[i] = 0;
    }
  });
  const elapsedMs = Math.max(stepMs, performance.now() - started);
  const acked = latencies.filter((_, i) => statuses[i] === 201 || statuses[i] === 200);
  const shed = statuses.filter((s) => s === -503).length;
  const { p50, p99 } = percentiles(acked);
  return {
    offeredPerSecond: rate,
    ackedPerSecond: (acked.length * 1000) / elapsedMs,
    shedShare: shed / count,
    errorShare: (count - acked.length - shed) / count,
    ackP50Ms: p50,
    ackP99Ms: p99,
  };
}

/** Driver insertOnes of a message-shaped document, 32 in flight, for `durationMs` (after 1 s not counted). */
async function rawInsertRate(mongoUri: string, text: string, durationMs: number): Promise<number> {
  const concurrency = 32;
  const messages = await openRawMessages({ uri: mongoUri, dbName: `bench_held_raw_${process.pid}`, maxPoolSize: concurrency });
  try {
    const op = (round: string) => (w: number, i: number) =>
      messages.insert({ roomId: `raw-${w % 8}`, senderId: `w${w}`, clientMsgId: `${round}${w}-${i}`, text, seq: i });
    await timedLoop(1_000, concurrency, op('warm-'));
    return (await timedLoop(durationMs, concurrency, op(''))).perSecond;
  } finally {
    await messages.close();
  }
}
