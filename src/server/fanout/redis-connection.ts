import { createClient } from 'redis';

/** A command that gets no reply within this is an error (a blackholed broker must not hang a publish). */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * A node-redis client set up for fan-out: commands fail at once while disconnected (no offline queue: a publish
 * must fail rather than wait for a broker that may never come back), time out when the broker stops answering,
 * and the connection is pinged so a silently dead link is noticed; reconnects back off up to a second, forever.
 */
export function redisConnection(url: string, name: string, log: (line: string) => void) {
  const client = createClient({
    url,
    name,
    disableOfflineQueue: true,
    pingInterval: 1_000,
    commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
    socket: {
      connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
    },
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) log(`redis ${name}: ${error.message}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) log(`redis ${name}: connected again`);
    down = false;
  });
  return client;
}

export type RedisConnection = ReturnType<typeof redisConnection>;
