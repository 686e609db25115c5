export interface PoolOptions<T> {
  /** At most this many items are worked on at once (1: one after another, in order). */
  workers: number;
  /** Asked before each start: once true, nothing more starts; what is under way finishes. */
  stopped?: () => boolean;
  /** Work that must run alone (it touches something every other item shares): it waits until nothing else runs,
   * and nothing starts beside it. */
  alone?: (item: T, index: number) => boolean;
}

/**
 * Works on the items with up to `workers` at once, starting them strictly in order (so what started is always a
 * prefix of the items). Resolves once nothing runs and nothing more will start; if a work item rejects, nothing
 * more starts and the pool rejects with the first error once the others have settled.
 */
export function runPool<T>(items: readonly T[], options: PoolOptions<T>, work: (item: T, index: number) => Promise<void>): Promise<void> {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`workers ${options.workers}: expected a whole number of at least 1`);
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = 0;
    let soloRunning = false;
    let failure: { error: unknown } | undefined;
    const pump = (): void => {
      while (!failure && next < items.length && !(options.stopped?.() ?? false)) {
        const index = next;
        const solo = options.alone?.(items[index]!, index) ?? false;
        if (soloRunning || running >= options.workers || (solo && running > 0)) break;
        next++;
        running++;
        soloRunning = solo;
        Promise.resolve()
          .then(() => work(items[index]!, index))
          .catch((error: unknown) => void (failure ??= { error }))
          .finally(() => {
            running--;
            if (solo) soloRunning = false;
            pump();
          });
      }
      if (running > 0) return;
      if (failure) reject(failure.error);
      else resolve();
    };
    pump();
  });
}
