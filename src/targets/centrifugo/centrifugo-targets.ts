import type { InvariantId } from '../../harness/checker/verdict.js';
import type { TargetFactory } from '../../harness/sut/target.js';
import type { CentrifugoEngine } from './centrifugo-config.js';
import { CentrifugoTarget, type CentrifugoTargetOptions } from './centrifugo-target.js';

/**
 * What Centrifugo does not promise, from its documentation ("History and stream recovery": history streams are
 * ephemeral, "can expire or can be lost at any moment", the application's database is the source of truth; the
 * memory engine's history is "cleared" on restart; the Redis engine's persistence is Redis's). What it does promise is
 * checked as usual: an acknowledged publish has an offset (I4), an idempotency key stores a retried publish once
 * within its result TTL of 5 minutes (I5), offsets order a stream (I6 within an epoch), and a resubscribe says
 * whether it recovered everything missed (`recovered`, honest recovery). Where no restart clears the history and no
 * scenario shrinks it, the history holds every publication of a run (1,000 per room, 600 s), and the final history is
 * held to what clients received (I2, I3, I7) as a database would be.
 */
const HISTORY_IS_A_CACHE =
  'Centrifugo history is a bounded, expiring cache (history_size, history_ttl), not a store: an acknowledged publication may be evicted or lost, and its docs name the application database as the source of truth';

/** What a restart that empties the history (a new epoch) withdraws; `where` says which restart. */
function clearedBy(where: string): Partial<Record<InvariantId, string>> {
  return {
    I2: `what the history lost in ${where} no client can recover: Centrifugo promises to say so (recovered: false, a new epoch), which honest recovery checks, not to recover it`,
    I3: `a publication delivered live and then lost with the history in ${where} is missing from the final history, which stands for the database here`,
    I6: `offsets order a stream within one epoch; after ${where} the stream starts a new epoch at offset 1, so two messages of a room can share an offset`,
    I7: `a client keeps what it received before ${where} cleared the history; the final history no longer has it`,
  };
}

const NOT_PROMISED: Record<CentrifugoEngine, string> = {
  memory: `${HISTORY_IS_A_CACHE}; the memory engine keeps it in the node's process memory, so a restart clears it`,
  redis: `${HISTORY_IS_A_CACHE}; here it lives in a redis-server without persistence, so a Redis restart clears it`,
};

const CLEARING_FAULT: Record<CentrifugoEngine, { fault: string; where: string }> = {
  memory: { fault: 'server.crash', where: 'a restart of the node (server.crash)' },
  redis: { fault: 'broker.restart', where: 'a restart of Redis without persistence (broker.restart)' },
};

/**
 * Past its history's size or TTL Centrifugo promises only to say what it lost (`recovered: false`, checked by honest
 * recovery), so what the final history or a returning client lacks is not a broken promise there.
 */
const PAST_WINDOW: Partial<Record<InvariantId, string>> = {
  I2: 'a publication evicted from the history (history_size) or expired (history_ttl) before a member came back cannot be recovered from Centrifugo: it promises to say so (recovered: false), which honest recovery checks, not to recover it',
  I3: 'a publication a member received live and the bounded history then evicted is missing from the final history, which stands for the database here: a receipt of an evicted publication, not an invented one',
  I7: 'a member keeps what it received before the bounded history evicted it; the final history no longer has it',
};

/**
 * Measured (real-inputs, reproduced on both engines): a publish under a key already used with other data is answered
 * `ok` at the first publication's offset, and its own data is dropped without a word.
 */
const KEY_IDENTIFIES_PUBLICATION =
  "an idempotency key names a publication for its result TTL (5 minutes) and Centrifugo does not compare the data: a publish retried under a used key with another text is answered as published, at the first publication's offset, and its text is dropped silently (the reference contract's 409 IDEMPOTENCY_KEY_REUSED has no Centrifugo counterpart)";

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
      notPromised: { I1: NOT_PROMISED[engine] },
      notPromisedUnder: {
        recoveryWindow: PAST_WINDOW,
        faults: { [CLEARING_FAULT[engine].fault]: clearedBy(CLEARING_FAULT[engine].where) },
        keys: { retryOtherText: { I4: KEY_IDENTIFIES_PUBLICATION } },
      },
    },
    // A scenario's recoveryWindow makes the history small (size, TTL) so that a resubscribe crosses it on purpose.
    start: (env) => {
      const { messages, ms } = env.scenario.recoveryWindow ?? {};
      return CentrifugoTarget.start(
        {
          ...options,
          engine,
          ...(messages !== undefined ? { historySize: messages } : {}),
          ...(ms !== undefined ? { historyTtlSeconds: Math.ceil(ms / 1_000) } : {}),
        },
        env,
      );
    },
  };
}

export const centrifugoTargets: TargetFactory[] = [centrifugoTarget('memory'), centrifugoTarget('redis')];
