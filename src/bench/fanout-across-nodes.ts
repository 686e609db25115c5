import { findRedisServer, RedisProcess } from '../brokers/redis-process.js';
import { ChatClient } from '../client/chat-client.js';
import type { BenchConfig } from './bench-config.js';
import { startBenchServer, type BenchTarget } from './bench-server.js';
import { benchWorld, swarmMembers, tokenOf, userId } from './bench-world.js';
import { HttpSender } from './http-sender.js';
import { closedLoop } from './load-loops.js';
import { percentiles, ratio, type Percentiles } from './percentiles.js';
import { SwarmProcess } from './swarm-process.js';

const NODES = 3;
const LATENCY_SENDS = 100;

export interface NodesFanoutFigure {
  pattern: string;
  fanout: 'redis-streams';
  nodes: number;
  subscribers: number;
  /** Members spread over 3 nodes (one swarm process per node), sends through node 0. */
  acrossNodesDeliveriesPerSecond: number;
  /** The same members, swarms and sends, all on one node without a broker. */
  oneNodeDeliveriesPerSecond: number;
  nodes_vs_one_ratio: number;
  /** From a send's invoke on node 0 to its broadcast at a member on node 1 (sequential sends). */
  crossNodeLatencyMs: Percentiles;
  /** The same on one node, for reference. */
  sameNodeLatencyMs: Percentiles;
  method: string;
  error?: string;
}

/** Figure 7: live delivery across three reference nodes over Redis Streams, as a ratio to one node delivering the same. */
export async function fanoutAcrossNodes(config: BenchConfig, mongoUri: string, log: (line: string) => void): Promise<NodesFanoutFigure> {
  // Outbox: its deliveries always complete; decoupled's bounded bus may drop broadcasts under this burst (figure 5).
  const pattern = 'outbox';
  const { FANOUT_SUBSCRIBERS: subscribers, FANOUT_MESSAGES: messages, FANOUT_CONCURRENCY: concurrency } = config;
  const figure: NodesFanoutFigure = {
    pattern,
    fanout: 'redis-streams',
    nodes: NODES,
    subscribers,
    acrossNodesDeliveriesPerSecond: Number.NaN,
    oneNodeDeliveriesPerSecond: Number.NaN,
    nodes_vs_one_ratio: Number.NaN,
    crossNodeLatencyMs: { count: 0, p50: Number.NaN, p99: Number.NaN },
    sameNodeLatencyMs: { count: 0, p50: Number.NaN, p99: Number.NaN },
    method:
      `${messages} messages (${concurrency} sends in flight, all through node 0) to a room of ${subscribers} members, one ` +
      `socket each, spread over ${NODES} swarm processes; across nodes: ${NODES} ${pattern} nodes on one database with ` +
      `Redis Streams between them, swarm i on node i; baseline: one node, no broker, the same ${NODES} swarms on it. ` +
      `Latency: ${LATENCY_SENDS} sequential sends through node 0, to a member on node 1 (across) or node 0 (one node)`,
  };
  if (!findRedisServer()) {
    figure.error = 'redis-server is not installed (bash .ci/install-redis)';
    return figure;
  }
  const rooms = [{ id: 'fanout', size: subscribers }];
  const world = benchWorld(rooms);
  const members = swarmMembers(rooms, subscribers);
  const slices = Array.from({ length: NODES }, (_, i) => members.filter((_, m) => m % NODES === i));
  const text = 'x'.repeat(config.TEXT_BYTES);
  try {
    const one = await startBenchServer(pattern, mongoUri, world);
    try {
      figure.oneNodeDeliveriesPerSecond = Math.round(await rate([one, one, one]));
      figure.sameNodeLatencyMs = await latency(one, one);
    } finally {
      await one.server.stop();
    }
    log(`figure 7: one node: ${figure.oneNodeDeliveriesPerSecond} deliveries/s, p99 ${figure.sameNodeLatencyMs.p99} ms`);
    const redis = await RedisProcess.start();
    const dbName = `bench_nodes_${process.pid}_${Date.now().toString(36)}`;
    const nodes: BenchTarget[] = [];
    try {
      for (let i = 0; i < NODES; i++) {
        nodes.push(await startBenchServer(pattern, mongoUri, world, ['--node-id', `n${i}`, '--fanout', 'redis-streams', '--redis-url', redis.url], dbName));
      }
      figure.acrossNodesDeliveriesPerSecond = Math.round(await rate(nodes));
      figure.crossNodeLatencyMs = await latency(nodes[0]!, nodes[1]!);
    } finally {
      await Promise.allSettled(nodes.map((n) => n.server.stop()));
      await redis.stop();
    }
    figure.nodes_vs_one_ratio = ratio(figure.acrossNodesDeliveriesPerSecond, figure.oneNodeDeliveriesPerSecond);
    log(`figure 7: ${NODES} nodes: ${figure.acrossNodesDeliveriesPerSecond} deliveries/s (ratio ${figure.nodes_vs_one_ratio}), cross-node p50 ${figure.crossNodeLatencyMs.p50} ms, p99 ${figure.crossNodeLatencyMs.p99} ms`);
  } catch (error) {
    figure.error = String((error as Error)?.message ?? error).split('\n')[0];
    log(`figure 7: failed: ${figure.error}`);
  }
  return figure;

  /** Deliveries per second to the members, swarm i on `targets[i]`, every send through the first target. */
  async function rate(targets: BenchTarget[]): Promise<number> {
    const swarms = await Promise.all(targets.map((t, i) => SwarmProcess.open(t.server.wsUrl, slices[i]!)));
    const sender = new HttpSender(targets[0]!.server.httpUrl, concurrency);
    try {
      const started = performance.now();
      await closedLoop(messages, concurrency, (i) => sender.sendMessage('fanout', tokenOf(0), `nodes-${Date.now()}-${i}`, text).then(() => undefined));
      await Promise.all(swarms.map((swarm, i) => swarm.waitForDeliveries(messages * slices[i]!.length, 120_000)));
      return (messages * subscribers * 1000) / (performance.now() - started);
    } finally {
      sender.close();
      for (const swarm of swarms) swarm.close();
    }
  }

  /** Sequential sends through `from` by u0; the time until u1, connected to `to`, has each live. */
  async function latency(from: BenchTarget, to: BenchTarget): Promise<Percentiles> {
    const receiveTimes = new Map<string, number>();
    const client = (user: number, target: BenchTarget, onBroadcast?: (id: string, time: number) => void) =>
      new ChatClient({
        id: userId(user),
        userId: userId(user),
        token: tokenOf(user),
        httpUrl: target.server.httpUrl,
        wsUrl: target.server.wsUrl,
        rooms: ['fanout'],
        emit: (event) => {
          if (event.type === 'broadcast' && onBroadcast) onBroadcast(event.message.id, event.time);
        },
        now: () => performance.now(),
        nextOp: (() => { let op = 0; return () => op++; })(),
        gapFill: false,
      });
    const sender = client(0, from);
    const receiver = client(1, to, (id, time) => void (receiveTimes.has(id) || receiveTimes.set(id, time)));
    await Promise.all([sender.connect(), receiver.connect()]);
    const samples: number[] = [];
    try {
      for (let i = 0; i < LATENCY_SENDS; i++) {
        const started = performance.now();
        const sent = await sender.send('fanout', `latency ${i}`);
        const id = sent.message?.id;
        if (sent.status !== 'ok' || !id) continue;
        await receiver.waitFor(() => receiveTimes.has(id) || undefined, 10_000);
        samples.push(receiveTimes.get(id)! - started);
      }
    } finally {
      await Promise.allSettled([sender.close(), receiver.close()]);
    }
    const p = percentiles(samples);
    return { count: p.count, p50: Math.round(p.p50 * 10) / 10, p99: Math.round(p.p99 * 10) / 10 };
  }
}
