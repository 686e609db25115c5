import type { Fanout, FanoutMode } from './fanout.js';
import { RedisPubSubFanout } from './redis-pubsub-fanout.js';
import { RedisStreamsFanout } from './redis-streams-fanout.js';

export interface FanoutOptions {
  mode: FanoutMode;
  nodeId: string;
  redisUrl?: string;
  log?: (line: string) => void;
}

/** The broker for `serve --fanout`; none for `none` (each node delivers to its own sockets only). */
export function createFanout(options: FanoutOptions): Fanout | undefined {
  if (options.mode === 'none') return undefined;
  if (!options.redisUrl) throw new RangeError(`--fanout ${options.mode} needs --redis-url`);
  const settings = { redisUrl: options.redisUrl, nodeId: options.nodeId, ...(options.log ? { log: options.log } : {}) };
  return options.mode === 'redis-streams' ? new RedisStreamsFanout(settings) : new RedisPubSubFanout(settings);
}
