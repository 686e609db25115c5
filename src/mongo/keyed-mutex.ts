/**
 * Runs tasks one at a time per key (a room), in arrival order; different keys run concurrently. The store uses it
 * so a room's writes commit in the order their seq/version were allocated: a reader then never sees version n+1
 * before n has committed, and cannot move its cursor past a write that commits late (DESIGN.md §5) — as long as
 * this process is the only writer of the room.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly counts = new Map<string, number>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.counts.set(key, this.load(key) + 1);
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      const left = this.load(key) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Tasks of this key running or waiting: the demand on it. */
  load(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
