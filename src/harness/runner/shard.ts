/** One slice of a suite's cases, `--shard 2/4`: 1-based index of count. */
export interface Shard {
  index: number;
  count: number;
}

export class ShardSyntaxError extends Error {
  override readonly name = 'ShardSyntaxError';
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new ShardSyntaxError(`--shard ${text}: write INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 2/4`);
  }
  return { index, count };
}

/**
 * The cases of the plan (scenario x target, in order) that this shard runs: every count-th one, starting at its
 * index. Deterministic from the plan alone, every case in exactly one shard, and shards within one case of each
 * other in size; interleaving the shards' cases in index order gives back the plan's order (mergeShards relies on it).
 */
export function inShard<T>(plan: readonly T[], shard: Shard | undefined): T[] {
  return shard === undefined ? [...plan] : plan.filter((_, k) => k % shard.count === shard.index - 1);
}

/** The inverse of inShard: the shards' items (shard 1 first) back in plan order. */
export function interleaveShards<T>(shards: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...shards.map((s) => s.length));
  for (let round = 0; round < longest; round++) {
    for (const items of shards) if (round < items.length) out.push(items[round]!);
  }
  return out;
}
