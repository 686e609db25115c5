interface Task {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs async tasks at most `concurrency` at a time over all keys and at most `perKey` at a time for one key, taking
 * keys in turn: a key with a thousand queued tasks gets no more of the free slots than a key with one. The gateway
 * keys the database reads it makes for clients (subscription and heartbeat cursors) by user, so no single user can
 * fill the database with reads and push everyone else's work behind its own (p-limit and p-queue are FIFO: the first
 * to queue a thousand tasks would go first).
 */
export class FairLimiter {
  private readonly queues = new Map<string, Task[]>();
  private readonly running = new Map<string, number>();
  /** Keys with queued tasks, in turn order; a key goes to the back after each task it starts. */
  private readonly turn: string[] = [];
  private active = 0;

  constructor(
    readonly concurrency: number,
    readonly perKey: number,
  ) {
    if (!(concurrency >= 1 && perKey >= 1)) throw new RangeError('FairLimiter needs concurrency and perKey >= 1');
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (queue === undefined) {
        this.queues.set(key, (queue = []));
        this.turn.push(key);
      }
      queue.push({ run: task, resolve: resolve as (value: unknown) => void, reject });
      this.next();
    });
  }

  /** Tasks queued or running, for tests and health. */
  pending(): number {
    let queued = 0;
    for (const queue of this.queues.values()) queued += queue.length;
    return queued + this.active;
  }

  private next(): void {
    let skipped = 0;
    while (this.active < this.concurrency && this.turn.length > 0 && skipped < this.turn.length) {
      const key = this.turn.shift()!;
      if ((this.running.get(key) ?? 0) >= this.perKey) {
        this.turn.push(key);
        skipped++;
        continue;
      }
      skipped = 0;
      const queue = this.queues.get(key)!;
      const task = queue.shift()!;
      if (queue.length > 0) this.turn.push(key);
      else this.queues.delete(key);
      this.start(key, task);
    }
  }

  private start(key: string, task: Task): void {
    this.active++;
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    const done = () => {
      this.active--;
      const left = this.running.get(key)! - 1;
      if (left === 0) this.running.delete(key);
      else this.running.set(key, left);
      this.next();
    };
    let promise: Promise<unknown>;
    try {
      promise = task.run();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => {
        done();
        task.resolve(value);
      },
      (error: unknown) => {
        done();
        task.reject(error);
      },
    );
  }
}
