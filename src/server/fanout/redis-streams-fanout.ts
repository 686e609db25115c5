import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageEvent } from '../../chat/message-event.js';
import { decodeEnvelope, encodeEnvelope } from './fanout-envelope.js';
import type { Fanout, FanoutSink } from './fanout.js';
import { redisConnection, REDIS_COMMAND_TIMEOUT_MS, type RedisConnection } from './redis-connection.js';

export interface RedisStreamsFanoutOptions {
  redisUrl: string;
  nodeId: string;
  /** The stream's key; nodes that share it share their events. */
  stream?: string;
  /** Entries kept (approximately): the broker's memory bound, and how far behind a node may fall. */
  maxLength?: number;
  /** Entries read per XREAD: this node's memory bound. */
  batch?: number;
  log?: (line: string) => void;
}

const BLOCK_MS = 1_000;
const RETRY_MS = 200;

/**
 * Fan-out through one Redis stream. Publishing is an XADD (trimmed to about `maxLength` entries); each node reads
 * with XREAD from the last id it delivered, so a node cut off from Redis resumes where it stopped once the link is
 * back: at-least-once across broker outages. When the entries it had not read yet were trimmed meanwhile, the node
 * cannot deliver them live: it tells its members to check their cursors (a heartbeat now), and they fill the gap
 * from the database. Memory is bounded on both sides: the broker keeps `maxLength`, the node reads `batch` at a time.
 */
export class RedisStreamsFanout implements Fanout {
  readonly mode = 'redis-streams' as const;
  readonly #options: Required<Omit<RedisStreamsFanoutOptions, 'log'>> & Pick<RedisStreamsFanoutOptions, 'log'>;
  readonly #publisher: RedisConnection;
  readonly #reader: RedisConnection;
  #lastId = '$';
  #closed = false;
  #loop: Promise<void> | undefined;
  readonly #counts = { published: 0, publishFailures: 0, consumed: 0, readFailures: 0, resumes: 0, trimmedGaps: 0 };

  constructor(options: RedisStreamsFanoutOptions) {
    this.#options = { stream: 'ackproof:changes', maxLength: 10_000, batch: 100, ...options };
    const log = options.log ?? (() => undefined);
    this.#publisher = redisConnection(options.redisUrl, `${options.nodeId}-publish`, log);
    this.#reader = redisConnection(options.redisUrl, `${options.nodeId}-read`, log);
  }

  async broadcast(event: MessageEvent): Promise<void> {
    try {
      await this.#publisher.xAdd(
        this.#options.stream,
        '*',
        { envelope: encodeEnvelope({ node: this.#options.nodeId, event }) },
        { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.#options.maxLength } },
      );
      this.#counts.published++;
    } catch (error) {
      this.#counts.publishFailures++;
      throw error;
    }
  }

  /**
   * Connects and starts reading from the stream's current end: what was published before this node started is
   * not its to deliver (its members catch up from the database when they subscribe).
   */
  async start(sink: FanoutSink): Promise<void> {
    await Promise.all([this.#publisher.connect(), this.#reader.connect()]);
    this.#lastId = await this.#currentEnd();
    this.#loop = this.#read(sink);
  }

  health(): object {
    return { mode: this.mode, node: this.#options.nodeId, lastId: this.#lastId, ...this.#counts };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#loop;
    await Promise.allSettled([this.#publisher.close(), this.#reader.close()]);
  }

  async #read(sink: FanoutSink): Promise<void> {
    let failing = false;
    while (!this.#closed) {
      try {
        if (failing) await this.#checkTrimmed(sink);
        failing = false;
        const reply = await this.#reader
          .withCommandOptions({ timeout: BLOCK_MS + REDIS_COMMAND_TIMEOUT_MS })
          .xRead({ key: this.#options.stream, id: this.#lastId }, { BLOCK: BLOCK_MS, COUNT: this.#options.batch });
        const entries = reply?.[0]?.messages ?? [];
        for (const entry of entries) {
          const envelope = decodeEnvelope(String(entry.message.envelope ?? ''));
          this.#lastId = entry.id;
          if (!envelope) continue;
          this.#counts.consumed++;
          await sink.deliver(envelope.event).catch(() => undefined);
        }
        // A full batch means this node is behind: the entries after it may be trimmed before it gets there.
        if (entries.length === this.#options.batch) await this.#checkTrimmed(sink);
      } catch {
        if (this.#closed) return;
        this.#counts.readFailures++;
        if (!failing) this.#counts.resumes++;
        failing = true;
        await sleep(RETRY_MS);
      }
    }
  }

  /** The entry after the last one delivered is gone (trimmed): this node cannot deliver what it missed live. */
  async #checkTrimmed(sink: FanoutSink): Promise<void> {
    if (this.#lastId === '$' || this.#lastId === '0-0') return;
    const first = await this.#reader.xRange(this.#options.stream, '-', '+', { COUNT: 1 });
    const firstId = first?.[0]?.id;
    if (firstId !== undefined && compareIds(firstId, this.#lastId) > 0) {
      this.#counts.trimmedGaps++;
      sink.missed(`stream ${this.#options.stream} was trimmed past ${this.#lastId} (first entry now ${firstId})`);
    }
  }

  async #currentEnd(): Promise<string> {
    const last = await this.#reader.xRevRange(this.#options.stream, '+', '-', { COUNT: 1 });
    return last?.[0]?.id ?? '0-0';
  }
}

/** Orders stream ids `<ms>-<seq>`. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}
