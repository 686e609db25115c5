import { setTimeout as delay } from 'node:timers/promises';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { SocketioChatApp } from './socketio-chat-app.js';
import { SocketioMessageStore } from './socketio-message-store.js';

/**
 * One node of the Socket.IO chat app as its own process (the harness reaches it only over the wire and by signals).
 * Its configuration is one JSON argument ({@link SocketioAppConfig}); once it serves it prints one JSON line
 * `{"event":"ready","port":…,"pid":…}` on stdout. Exit code 3: it could not start (a port, the database, Redis).
 */
export interface SocketioAppConfig {
  nodeId: string;
  host: string;
  /** 0 picks a free port; a restart passes the port it had. */
  port: number;
  mongoUri: string;
  dbName: string;
  maxDisconnectionDurationMs: number;
  /** With it, the Redis Streams adapter on this Redis; without, Socket.IO's in-memory adapter. */
  redisUrl?: string;
}

/** How long start-up keeps trying to reach the database (a node restarted while its database link is faulted). */
const STARTUP_DEADLINE_MS = 20_000;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as SocketioAppConfig;
  const store = await SocketioMessageStore.open(config.mongoUri, config.dbName);
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  // The unique indexes are what make sends idempotent and seqs contiguous: no send is taken before they exist.
  for (;;) {
    try {
      await store.ensureIndexes();
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(200);
    }
  }
  let adapter: ReturnType<typeof createAdapter> | undefined;
  if (config.redisUrl) {
    const redis = createClient({ url: config.redisUrl });
    // Errors while the broker link is faulted are expected; node-redis reconnects by itself.
    redis.on('error', () => undefined);
    await redis.connect();
    adapter = createAdapter(redis);
  }
  const app = await SocketioChatApp.start({
    store,
    nodeId: config.nodeId,
    host: config.host,
    port: config.port,
    maxDisconnectionDurationMs: config.maxDisconnectionDurationMs,
    ...(adapter ? { adapter } : {}),
  });
  process.stdout.write(`${JSON.stringify({ event: 'ready', port: app.port, pid: process.pid, node: config.nodeId })}\n`);
  const shutdown = () => {
    void app
      .close()
      .then(() => store.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`socketio app: cannot start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(3);
});
