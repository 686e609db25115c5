import type { CompleteEvent, HistoryEvent, InvokeEvent, MetaEvent } from './event.js';

/** Milliseconds since the run started. Injected so tests (and replays) control time. */
export type Clock = () => number;

type TimedEvent = Exclude<HistoryEvent, MetaEvent>;
/** A record as its author gives it: the recorder stamps the time. */
export type UntimedEvent = TimedEvent extends infer E ? (E extends TimedEvent ? Omit<E, 'time'> : never) : never;

/** The default clock: a monotonic high-resolution clock started when the recorder is made, in whole microseconds. */
export function monotonicClock(): Clock {
  const start = performance.now();
  return () => Math.round((performance.now() - start) * 1000) / 1000;
}

/**
 * The run's history in memory, shared by the runner, the clients and the nemesis: append records, get times from
 * one clock (never going backwards even if the clock does), allocate op ids, and let a listener (the JSONL writer)
 * see each record as it is appended.
 */
export class HistoryRecorder {
  private readonly history: HistoryEvent[];
  private readonly listeners = new Set<(event: HistoryEvent) => void>();
  private lastTime = 0;
  private ops = 0;

  constructor(
    readonly meta: MetaEvent,
    private readonly clock: Clock = monotonicClock(),
  ) {
    this.history = [meta];
  }

  /**
   * Calls the listener with each record appended from now on, and first with every record so far (meta included)
   * when `replay` is set — what a JSONL writer attached after construction needs. Returns how to stop.
   */
  subscribe(listener: (event: HistoryEvent) => void, options: { replay?: boolean } = {}): () => void {
    if (options.replay) for (const event of this.history) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  now(): number {
    this.lastTime = Math.max(this.lastTime, this.clock());
    return this.lastTime;
  }

  /** A fresh op id (unique in this history), for a client that stamps its own invoke. */
  nextOpId(): number {
    return this.ops++;
  }

  /** Stamps the record with `now()` and appends it. */
  record<E extends UntimedEvent>(event: E): E & { time: number } {
    const timed = { ...event, time: this.now() };
    this.push(timed as TimedEvent);
    return timed;
  }

  /**
   * Appends a record its author already stamped (the client's `record` option, with `now` and `nextOpId` from
   * here). A time behind the last one is raised to it, so the history stays in time order.
   */
  append(event: HistoryEvent): void {
    if (event.type === 'meta') throw new Error('a history has one meta record, given to the recorder when it is made');
    this.lastTime = Math.max(this.lastTime, event.time);
    this.push(event.time === this.lastTime ? event : { ...event, time: this.lastTime });
  }

  /** Records an invoke with a fresh op id; complete it with `complete({op: invoke.op, …})`. */
  invoke(event: Omit<InvokeEvent, 'type' | 'time' | 'op'>): InvokeEvent {
    return this.record({ ...event, type: 'invoke', op: this.nextOpId() });
  }

  complete(event: Omit<CompleteEvent, 'type' | 'time'>): CompleteEvent {
    return this.record({ ...event, type: 'complete' });
  }

  private push(event: TimedEvent): void {
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
  }

  /** Everything recorded so far, meta first. */
  events(): readonly HistoryEvent[] {
    return this.history;
  }
}
