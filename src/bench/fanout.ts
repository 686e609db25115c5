import { randomUUID } from 'node:crypto';
import type { BenchConfig } from './bench-config.js';
import { startBenchServer } from './bench-server.js';
import { benchWorld, swarmMembers, tokenOf } from './bench-world.js';
import { HttpSender } from './http-sender.js';
import { closedLoop } from './load-loops.js';
import { ratio } from './percentiles.js';
import { RawBroadcastServer } from './raw-broadcast-server.js';
import { SwarmProcess } from './swarm-process.js';

export interface FanoutRow {
  pattern: string;
  serverDeliveriesPerSecond: number;
  rawDeliveriesPerSecond: number;
  fanout_vs_raw_ratio: number;
}

export interface FanoutFigure {
  rows: FanoutRow[];
  frameBytes: number;
  method: string;
}

/** Figure 3: deliveries per second to N subscribers through the server, against a bare ws broadcast loop. */
export async function fanout(config: BenchConfig, mongoUri: string, patterns: string[], log: (line: string) => void): Promise<FanoutFigure> {
  const { FANOUT_SUBSCRIBERS: subscribers, FANOUT_MESSAGES: messages, FANOUT_CONCURRENCY: concurrency } = config;
  const rooms = [{ id: 'fanout', size: subscribers }];
  const text = 'x'.repeat(config.TEXT_BYTES);
  const frame = eventFrameLike(text);
  const frameBytes = Buffer.byteLength(frame);

  const raw = await RawBroadcastServer.start();
  let rawRate: number;
  try {
    rawRate = await deliveriesPerSecond(raw.wsUrl, swarmMembers(rooms, subscribers), messages * subscribers, () => {
      const sender = new HttpSender(raw.httpUrl, concurrency);
      return { run: (i) => sender.post('/broadcast', undefined, frame).then(() => undefined), close: () => sender.close() };
    });
  } finally {
    raw.stop();
  }
  log(`figure 3: bare ws broadcast: ${Math.round(rawRate)} deliveries/s`);

  const rows: FanoutRow[] = [];
  for (const pattern of patterns) {
    const target = await startBenchServer(pattern, mongoUri, benchWorld(rooms));
    try {
      const rate = await deliveriesPerSecond(target.server.wsUrl, swarmMembers(rooms, subscribers), messages * subscribers, () => {
        const sender = new HttpSender(target.server.httpUrl, concurrency);
        return { run: (i) => sender.sendMessage('fanout', tokenOf(0), `fan-${i}`, text), close: () => sender.close() };
      });
      const row = {
        pattern,
        serverDeliveriesPerSecond: Math.round(rate),
        rawDeliveriesPerSecond: Math.round(rawRate),
        fanout_vs_raw_ratio: ratio(rate, rawRate),
      };
      log(`figure 3: ${pattern}: ${row.serverDeliveriesPerSecond} deliveries/s, ratio ${row.fanout_vs_raw_ratio}`);
      rows.push(row);
    } finally {
      await target.server.stop();
    }
  }
  return {
    rows,
    frameBytes,
    method:
      `${messages} messages (${concurrency} sends in flight) to a room of ${subscribers} members, one subscribed socket ` +
      `each, in a separate process; rate = deliveries / (first send to last delivery). Baseline: a bare ws server in ` +
      `its own process that sends each POSTed ${frameBytes}-byte frame (a message.created event of the same text) to ` +
      `every socket, driven the same way`,
  };

  async function deliveriesPerSecond(
    wsUrl: string,
    members: ReturnType<typeof swarmMembers>,
    total: number,
    makeSender: () => { run: (i: number) => Promise<void>; close: () => void },
  ): Promise<number> {
    const swarm = await SwarmProcess.open(wsUrl, members);
    const sender = makeSender();
    try {
      const started = performance.now();
      await closedLoop(messages, concurrency, sender.run);
      await swarm.waitForDeliveries(total, 120_000);
      return (total * 1000) / (performance.now() - started);
    } finally {
      sender.close();
      swarm.close();
    }
  }
}

/** A frame shaped like the server's message.created event for the same text, for the bare baseline. */
function eventFrameLike(text: string): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    type: 'message.created',
    message: { id: randomUUID(), roomId: 'fanout', senderId: 'u0', clientMsgId: 'fan-000', text, seq: 100, version: 100, createdAt: now, editedAt: null, deletedAt: null },
  });
}
