import type { TargetCapabilities, TargetFactory } from '../../harness/sut/target.js';
import type { CentrifugoEngine } from './centrifugo-config.js';
import { CentrifugoTarget, type CentrifugoTargetOptions } from './centrifugo-target.js';

/**
 * What Centrifugo does not promise, from its documentation ("History and stream recovery": history streams are
 * ephemeral, "can expire or can be lost at any moment", the application's database is the source of truth; the
 * memory engine's history is "cleared" on restart; the Redis engine's persistence is Redis's). What it does promise is
 * checked as usual: an acknowledged publish has an offset (I4), an idempotency key stores a retried publish once
 * within its result TTL of 5 minutes (I5), offsets order a stream (I6 within an epoch), and a resubscribe says
 * whether it recovered everything missed (`recovered`, honest recovery).
 */
const HISTORY_IS_A_CACHE =
  'Centrifugo history is a bounded, expiring cache (history_size, history_ttl), not a store: an acknowledged publication may be evicted or lost, and its docs name the application database as the source of truth';

const NOT_PROMISED: Record<CentrifugoEngine, TargetCapabilities['notPromised']> = {
  memory: {
    I1: `${HISTORY_IS_A_CACHE}; the memory engine keeps it in the node's process memory, so a restart (server.crash) clears it`,
    I2: 'what the history lost in a restart no client can recover: Centrifugo promises to say so (recovered: false, a new epoch), which honest recovery checks, not to recover it',
    I3: 'a publication delivered live and then lost with the memory history in a restart is missing from the final history, which stands for the database here',
    I6: 'offsets order a stream within one epoch; a restart of the memory engine starts a new epoch at offset 1, so two messages of a room can share an offset',
    I7: 'a client keeps what it received before a restart cleared the memory history; the final history no longer has it',
  },
  redis: {
    I1: `${HISTORY_IS_A_CACHE}; here it lives in a redis-server without persistence`,
  },
};

const DESCRIPTIONS: Record<CentrifugoEngine, string> = {
  memory: 'Centrifugo v6 node, memory engine: history and idempotency results in process memory',
  redis: 'Centrifugo v6 node, Redis engine: history streams and PUB/SUB in a redis-server (no persistence) behind a fault proxy',
};

export function centrifugoTarget(engine: CentrifugoEngine, options: Omit<CentrifugoTargetOptions, 'engine'> = {}): TargetFactory {
  return {
    id: `centrifugo:${engine}`,
    description: DESCRIPTIONS[engine],
    capabilities: {
      // Centrifugo publications are immutable entries of a stream: there is nothing to edit or delete.
      edit: false,
      delete: false,
      crash: true,
      faultPoints: [],
      dbKill: false,
      links: { client: true, frames: true, database: false, broker: engine === 'redis' },
      // A live publication is a push frame with a `pub`; recovered ones come inside the subscribe reply instead.
      broadcastFrame: { contains: '"pub":{' },
      notPromised: NOT_PROMISED[engine],
    },
    start: (env) => CentrifugoTarget.start({ ...options, engine }, env),
  };
}

export const centrifugoTargets: TargetFactory[] = [centrifugoTarget('memory'), centrifugoTarget('redis')];
