import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { errorBody } from './error-replies.js';

export interface SheddingOptions {
  /** Chat requests being served at once by this process; the next one is refused. 0 turns the bound off. */
  maxInFlight: number;
  /** Writes (send, edit, delete) being served at once for one room: they run one at a time, so they queue. 0: off. */
  maxInFlightPerRoom: number;
  /** The event loop's p99 delay over the last window, in ms, above which requests are refused. 0: off. */
  maxEventLoopDelayMs: number;
  /** What `Retry-After` says, in seconds. */
  retryAfterSeconds: number;
}

/**
 * In-flight and per-room bounds keep p99 under about half a second on the machine of the README (Little's law: a queue of
 * 64 writes at ~300 a second). The event-loop bound is off: in the bench (figure 6, also with 1,000 subscribers) the
 * loop never ran 200 ms late while latency ran away, because the queue is the room's, not the CPU's.
 */
export const DEFAULT_SHEDDING: SheddingOptions = { maxInFlight: 256, maxInFlightPerRoom: 64, maxEventLoopDelayMs: 0, retryAfterSeconds: 1 };

/** How often the event loop's delay is judged (and its histogram started afresh). */
const DELAY_WINDOW_MS = 250;

export interface SheddingCounters {
  inFlight: number;
  shed: number;
  eventLoopDelayMs: number;
}

/**
 * Load shedding (DESIGN.md §7's 503, code OVERLOADED, outcome not_applied, with Retry-After): refuses a chat request
 * at once, before it is parsed further or touches the database, when this process is already serving more than it
 * can answer promptly — too many requests in flight, too many writes queued on one room (a room's writes run one at
 * a time, so its queue is its latency), or an event loop running late (CPU bound, e.g. a large fan-out). A refused
 * request did nothing, so a client may retry it after Retry-After with the same clientMsgId. /healthz is never shed.
 */
export class LoadShedder {
  private inFlight = 0;
  private readonly perRoom = new Map<string, number>();
  private shed = 0;
  private delayMs = 0;
  private readonly histogram: IntervalHistogram | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: SheddingOptions,
    /** The event loop's recent delay; the default measures it with perf_hooks (tests inject their own). */
    loopDelayMs?: () => number,
  ) {
    if (options.maxEventLoopDelayMs > 0 && loopDelayMs === undefined) {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      this.histogram = histogram;
      this.timer = setInterval(() => {
        this.delayMs = histogram.percentile(99) / 1e6;
        histogram.reset();
      }, DELAY_WINDOW_MS);
      this.timer.unref();
    }
    if (loopDelayMs) this.currentDelay = loopDelayMs;
  }

  counters(): SheddingCounters {
    return { inFlight: this.inFlight, shed: this.shed, eventLoopDelayMs: Math.round(this.currentDelay()) };
  }

  /** Counts every chat request (`/rooms/...`) while it is served, and refuses those over a bound. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', (request, reply, done) => {
      if (!request.url.startsWith('/rooms/')) return done();
      const room = request.method === 'GET' ? undefined : roomOf(request);
      const why = this.refusal(room);
      if (why !== undefined) {
        this.shed++;
        return this.refuse(reply, why);
      }
      this.inFlight++;
      if (room !== undefined) this.perRoom.set(room, (this.perRoom.get(room) ?? 0) + 1);
      // 'close' fires once per response, whether it was sent, failed or aborted.
      reply.raw.once('close', () => this.release(room));
      done();
    });
  }

  close(): void {
    clearInterval(this.timer);
    this.histogram?.disable();
  }

  private currentDelay: () => number = () => this.delayMs;

  /** Why a request (a write to `room`, or any chat request when undefined) would be refused now; undefined: admitted. */
  refusal(room: string | undefined): string | undefined {
    const { maxInFlight, maxInFlightPerRoom, maxEventLoopDelayMs } = this.options;
    if (maxInFlight > 0 && this.inFlight >= maxInFlight) return `${this.inFlight} requests already in flight (limit ${maxInFlight})`;
    if (room !== undefined && maxInFlightPerRoom > 0 && (this.perRoom.get(room) ?? 0) >= maxInFlightPerRoom) {
      return `${maxInFlightPerRoom} writes already queued on this room (limit ${maxInFlightPerRoom})`;
    }
    const delay = this.currentDelay();
    if (maxEventLoopDelayMs > 0 && delay > maxEventLoopDelayMs) {
      return `the server is running ${Math.round(delay)} ms late (limit ${maxEventLoopDelayMs} ms)`;
    }
    return undefined;
  }

  private refuse(reply: FastifyReply, why: string): void {
    void reply
      .code(503)
      .header('retry-after', String(this.options.retryAfterSeconds))
      .send(errorBody('OVERLOADED', `server overloaded, nothing was done: ${why}; retry after ${this.options.retryAfterSeconds} s`, 'not_applied'));
  }

  private release(room: string | undefined): void {
    this.inFlight--;
    if (room === undefined) return;
    const left = (this.perRoom.get(room) ?? 1) - 1;
    if (left <= 0) this.perRoom.delete(room);
    else this.perRoom.set(room, left);
  }
}

/** The room of `/rooms/:roomId/...`, as routed (fastify has not parsed params at onRequest). */
function roomOf(request: FastifyRequest): string | undefined {
  const path = request.url.split('?')[0] ?? '';
  const segment = path.split('/')[2];
  if (segment === undefined || segment === '') return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
