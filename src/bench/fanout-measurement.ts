import { epochNow, stampedText } from './delivery-stamp.js';
import { closedLoop } from './load-loops.js';
import { percentiles, type Percentiles } from './percentiles.js';
import type { SwarmMember } from './subscriber-swarm.js';
import { SwarmProcess, type SwarmProtocolName } from './swarm-process.js';

/** Every tenth socket times its deliveries: 100 of 1,000, so 20,000 samples of 200 messages, at a tenth of the cost. */
export const LATENCY_SAMPLE_EVERY = 10;
const DELIVERY_DEADLINE_MS = 120_000;

export interface FanoutRun {
  deliveriesPerSecond: number;
  /** From a send's start (stamped in its text) to its arrival at a sampled socket, over every such delivery. */
  latencyMs: Percentiles;
}

export interface FanoutLoad {
  wsUrl: string;
  members: SwarmMember[];
  protocol?: SwarmProtocolName;
  messages: number;
  /** Sends in flight (closed loop). */
  concurrency: number;
  textBytes: number;
  /** Sends message `i` with this text; resolves once the server accepted it. */
  send: (i: number, text: string) => Promise<void>;
}

/**
 * One fan-out measurement, the same for every server and baseline of figure 3: the members subscribe in a swarm
 * process of their own, `messages` sends go out `concurrency` at a time, each text stamped with its send time, and
 * the rate is every member's deliveries over the time from the first send to the last delivery.
 */
export async function measureFanout(load: FanoutLoad): Promise<FanoutRun> {
  const { members, messages, concurrency, textBytes, send } = load;
  const total = messages * members.length;
  const swarm = await SwarmProcess.open(load.wsUrl, members, { protocol: load.protocol ?? 'reference', latencySampleEvery: LATENCY_SAMPLE_EVERY });
  try {
    const started = performance.now();
    await closedLoop(messages, concurrency, (i) => send(i, stampedText(epochNow(), textBytes)));
    await swarm.waitForDeliveries(total, DELIVERY_DEADLINE_MS);
    const deliveriesPerSecond = (total * 1000) / (performance.now() - started);
    const p = percentiles(await swarm.latencies());
    return { deliveriesPerSecond, latencyMs: { count: p.count, p50: Math.round(p.p50 * 10) / 10, p99: Math.round(p.p99 * 10) / 10 } };
  } finally {
    swarm.close();
  }
}
