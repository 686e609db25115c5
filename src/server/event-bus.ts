/** What the bus has done so far; exposed in /healthz. `queued` counts deliveries waiting or running. */
export interface BusCounters {
  queued: number;
  running: number;
  rejected: number;
  failed: number;
  delivered: number;
}

export interface EventBusOptions {
  /** Deliveries that may wait (the source design's executor: 100). */
  capacity?: number;
  /** Deliveries that run at once before more wait (core threads: 5). */
  coreConcurrency?: number;
  /** Deliveries that run at once when the queue is full (max threads: 20). */
  maxConcurrency?: number;
  /** A fault point: when it answers true every new delivery is rejected, as a saturated queue would. */
  rejectWhen?: () => boolean;
  /** Logs a listener failure or a rejection; never throws back to the publisher. */
  log?: (line: string) => void;
}

type Listener<E> = (event: E) => Promise<void> | void;

interface Delivery<E> {
  listener: string;
  run: () => Promise<void> | void;
  event: E;
}

/**
 * The `@Async` + `@EventListener` of DESIGN.md §0 in one process: publish returns at once; each listener gets
 * its own delivery, run like a ThreadPoolExecutor (core workers, then the bounded queue, then up to max workers,
 * then rejection). A listener that throws or is rejected affects neither the other listeners nor the publisher;
 * both are counted.
 */
export class EventBus<E> {
  private readonly listeners: { name: string; listener: Listener<E> }[] = [];
  private readonly waiting: Delivery<E>[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly counts = { running: 0, rejected: 0, failed: 0, delivered: 0 };
  private readonly capacity: number;
  private readonly core: number;
  private readonly max: number;

  constructor(private readonly options: EventBusOptions = {}) {
    this.capacity = options.capacity ?? 100;
    this.core = options.coreConcurrency ?? 5;
    this.max = Math.max(this.core, options.maxConcurrency ?? 20);
  }

  subscribe(name: string, listener: Listener<E>): void {
    this.listeners.push({ name, listener });
  }

  /** Hands the event to every listener; returns how many deliveries were rejected (0 when all were accepted). */
  publish(event: E): number {
    let rejected = 0;
    for (const { name, listener } of this.listeners) {
      const delivery: Delivery<E> = { listener: name, run: () => listener(event), event };
      if (this.options.rejectWhen?.() === true) rejected += this.reject(delivery, 'bus saturated (fault point)');
      else if (this.counts.running < this.core) this.start(delivery);
      else if (this.waiting.length < this.capacity) this.waiting.push(delivery);
      else if (this.counts.running < this.max) this.start(delivery);
      else rejected += this.reject(delivery, `queue full (${this.capacity} waiting, ${this.max} running)`);
    }
    return rejected;
  }

  counters(): BusCounters {
    return { queued: this.waiting.length + this.counts.running, ...this.counts };
  }

  /** Resolves once nothing waits or runs (for a graceful shutdown and for tests). */
  drain(): Promise<void> {
    if (this.waiting.length === 0 && this.counts.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private reject(delivery: Delivery<E>, why: string): number {
    this.counts.rejected++;
    this.options.log?.(`event bus: rejected delivery to ${delivery.listener}: ${why}`);
    return 1;
  }

  /**
   * The delivery starts on a later turn of the event loop, never inside `publish`: a listener whose work is
   * synchronous (a broadcast loop over many sockets) would otherwise run before the publisher's own reply is sent.
   */
  private start(delivery: Delivery<E>): void {
    this.counts.running++;
    setImmediate(() => void this.runOne(delivery));
  }

  private async runOne(delivery: Delivery<E>): Promise<void> {
    try {
      await delivery.run();
      this.counts.delivered++;
    } catch (error) {
      this.counts.failed++;
      this.options.log?.(`event bus: listener ${delivery.listener} failed: ${(error as Error)?.message ?? String(error)}`);
    }
    const next = this.waiting.shift();
    if (next) {
      void this.runOne(next);
      return;
    }
    this.counts.running--;
    if (this.counts.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
